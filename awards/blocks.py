"""The blocks (khối thi đua) a region may vote by: its units of one kind, as the pacts group them.

A region's year-end conference votes either as a whole or block by block (Khối Sở Tư pháp, Khối Thi hành án
dân sự); a block's vote counts only its units' ballots and candidates. The names are those the pacts use for
their blocks (``pacts.views.drafting``), written in Vietnamese as they appear in the minutes.
"""

from dataclasses import dataclass

from pacts.selectors import THADS_KINDS


@dataclass(frozen=True)
class VoteBlock:
    key: str  # in the page's address
    name: str  # as recorded on the vote (Vote.block)
    kinds: frozenset[str]


BLOCKS = (
    VoteBlock("so-tu-phap", "Khối Sở Tư pháp", frozenset({"so_tu_phap"})),
    VoteBlock("thads", "Khối Thi hành án dân sự", frozenset(str(kind) for kind in THADS_KINDS)),
)
BY_KEY = {block.key: block for block in BLOCKS}
BY_NAME = {block.name: block for block in BLOCKS}


def block_by_name(name: str) -> VoteBlock | None:
    """The block of that name; None for the whole region ("") or a name that is not a block."""
    return BY_NAME.get(name)
