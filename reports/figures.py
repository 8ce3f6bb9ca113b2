"""The dashboard's figures as tables: what the page shows under each chart and what the .xlsx holds, built once
from the same ``Dashboard`` so that the numbers cannot differ. Each figure has a code (its anchor on the page, its
sheet in the workbook, ``?figure=`` to download it alone), a caption, headings and rows."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import charts
from .selectors import NUDGE_REASONS, Dashboard

NUDGE_LABELS = {
    "unsigned": _("Pact not signed yet"),
    "returned": _("Registration returned for completion"),
    "draft_registration": _("Registration not sent"),
    "sheet_not_sent": _("Score sheet not sent for review"),
}


@dataclass
class Figure:
    code: str
    caption: str | Promise
    headings: tuple
    rows: list[tuple]
    chart: str = ""

    @property
    def numbers(self) -> list[tuple]:
        """The numeric cells after each row's heading, row by row: what the page's cells and the workbook hold."""
        return [tuple(cell for cell in row[1:] if isinstance(cell, int)) for row in self.rows]


def figures(board: Dashboard, *, with_charts: bool = True) -> list[Figure]:
    state, signing, registered = board.state, board.signing, board.registrations
    scoring, outcome = board.scoring, board.outcomes
    found = [
        Figure(
            "campaigns",
            _("Campaigns of the year"),
            (_("Figure"), _("Number")),
            [
                (str(_("Regions with a roster")), state.regions),
                (str(_("Member units")), state.units),
                *((pair.label, pair.value) for pair in state.by_status),
                (str(_("Regions without a campaign")), state.without_campaign),
            ],
        ),
        Figure(
            "signing",
            _("Pact signing"),
            (_("Figure"), _("Number")),
            [
                (str(_("Signatures made")), signing.signed),
                (str(_("Signatures pending")), signing.pending),
                (str(_("Signatory units in all")), signing.slots),
                (str(_("Pacts open for signing")), signing.pacts_open),
                (str(_("Pacts executed")), signing.pacts_executed),
            ]
            + (
                [(str(_("Days to the nearest deadline")), board.days_to_deadline)]
                if board.days_to_deadline is not None
                else []
            ),
        ),
        Figure(
            "signing_months",
            _("Signatures month by month (running total)"),
            (_("Month"), _("Signatures so far")),
            [(pair.label, pair.value) for pair in signing.by_month],
        ),
        Figure(
            "registrations",
            _("Registrations by title and kind of unit"),
            (_("Award title"), *(label for _code, label in registered.groups), _("Total")),
            [
                (row.name, *(row.counts.get(code, 0) for code, _l in registered.groups), row.total)
                for row in registered.rows
            ]
            + (
                [(str(_("Total")), *(registered.group_total(code) for code, _l in registered.groups), registered.total)]
                if registered.rows
                else []
            ),
        ),
        Figure(
            "registration_status",
            _("Registrations by status"),
            (_("Status"), _("Registrations")),
            [(pair.label, pair.value) for pair in registered.by_status],
        ),
        Figure(
            "sheets",
            _("Score sheets"),
            (_("Status"), _("Score sheets")),
            [(pair.label, pair.value) for pair in scoring.by_status],
        ),
        Figure(
            "scores",
            _("Distribution of final scores (sheets sent or reviewed)"),
            (_("Points"), _("Score sheets")),
            [(pair.label, pair.value) for pair in scoring.distribution],
        ),
        Figure(
            "outcomes",
            _("Votes, decisions and awards"),
            (_("Figure"), _("Number")),
            [
                (str(_("Votes held")), outcome.votes),
                (str(_("Units proposed by the votes")), outcome.proposed),
                (str(_("Award decisions")), outcome.decisions),
                *((str(_("Awarded: %(title)s") % {"title": pair.label}), pair.value) for pair in outcome.awards),
            ],
        ),
        Figure(
            "years",
            _("The last five years"),
            (_("Year"), _("Campaigns"), _("Signatory units"), _("Signed"), _("Registrations"), _("Awards")),
            [(row.year, row.campaigns, row.slots, row.signed, row.registered, row.awarded) for row in board.years],
        ),
        Figure(
            "nudges",
            _("Units that need a nudge"),
            (_("Reason"), _("Units")),
            [(str(NUDGE_LABELS[reason]), board.nudges.counts[reason]) for reason in NUDGE_REASONS],
        ),
    ]
    if board.regions:
        found.append(
            Figure(
                "regions",
                _("By region"),
                (
                    _("Region"),
                    _("Campaign"),
                    _("Member units"),
                    _("Signatory units"),
                    _("Signed"),
                    _("Registrations"),
                    _("Sheets sent"),
                    _("Sheets reviewed"),
                    _("Votes"),
                    _("Awards"),
                ),
                [
                    (
                        row.name,
                        row.campaign_status or "—",
                        row.units,
                        row.slots,
                        row.signed,
                        row.registered,
                        row.sheets_sent,
                        row.sheets_reviewed,
                        row.votes,
                        row.awarded,
                    )
                    for row in board.regions
                ],
            )
        )
    if with_charts:
        _draw(found, board)
    return found


def _draw(found: list[Figure], board: Dashboard) -> None:
    by_code = {figure.code: figure for figure in found}
    signing = board.signing
    if signing.by_month:
        by_code["signing_months"].chart = charts.line(
            "chart-signing-months",
            str(_("Signatures month by month, against the signatory units in all")),
            [pair.label for pair in signing.by_month],
            [pair.value for pair in signing.by_month],
            target=signing.slots,
        )
    if signing.slots:
        by_code["signing"].chart = charts.bars(
            "chart-signing",
            str(_("Signatures made and pending")),
            [str(_("Signed")), str(_("Pending"))],
            [signing.signed, signing.pending],
        )
    registered = board.registrations
    if registered.rows:
        by_code["registrations"].chart = charts.stacked_bars(
            "chart-registrations",
            str(_("Registrations by title, in segments by kind of unit")),
            [row.name for row in registered.rows],
            [
                charts.Series(label, [row.counts.get(code, 0) for row in registered.rows])
                for code, label in registered.groups
            ],
        )
    if registered.by_status:
        by_code["registration_status"].chart = charts.bars(
            "chart-registration-status",
            str(_("Registrations by status")),
            [pair.label for pair in registered.by_status],
            [pair.value for pair in registered.by_status],
            color=charts.PALETTE[2],
        )
    if any(pair.value for pair in board.scoring.by_status):
        by_code["sheets"].chart = charts.bars(
            "chart-sheets",
            str(_("Score sheets by status")),
            [pair.label for pair in board.scoring.by_status],
            [pair.value for pair in board.scoring.by_status],
            color=charts.PALETTE[3],
        )
    if board.scoring.distribution:
        by_code["scores"].chart = charts.columns(
            "chart-scores",
            str(_("Number of score sheets in each band of final points")),
            [pair.label for pair in board.scoring.distribution],
            [charts.Series(str(_("Score sheets")), [pair.value for pair in board.scoring.distribution])],
        )
    if board.outcomes.awards:
        by_code["outcomes"].chart = charts.bars(
            "chart-awards",
            str(_("Units awarded, by title")),
            [pair.label for pair in board.outcomes.awards],
            [pair.value for pair in board.outcomes.awards],
            color=charts.PALETTE[4],
        )
    by_code["years"].chart = charts.columns(
        "chart-years",
        str(_("Signatures, registrations and awards in each of the last five years")),
        [str(row.year) for row in board.years],
        [
            charts.Series(str(_("Signed")), [row.signed for row in board.years]),
            charts.Series(str(_("Registrations")), [row.registered for row in board.years]),
            charts.Series(str(_("Awards")), [row.awarded for row in board.years]),
        ],
    )
