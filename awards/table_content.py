"""A scoring table's criteria as people write them: parsing a cell, a row, and checking the rows together.

The criteria editor (``awards.forms.scoring_tables``) and the workbook reader (``awards.table_excel``)
both go through these ``parse_*`` functions and ``check_content``, so that the same mistake gets the
same message on either page.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text import nfc

from .models import Criterion
from .services.scoring import CriterionSpec, GroupSpec

MAX_GROUP = 99
MAX_CRITERIA = 500
POINTS_LIMIT = Decimal("100000")  # DecimalField(max_digits=7, decimal_places=2) holds up to 99,999.99
CODE_MAX = Criterion._meta.get_field("code").max_length
GROUP_TITLE_MAX = 255


# The messages a row of criteria may get, the same in the editor and in the import preview.
GROUP_REQUIRED = _("Enter the group number, e.g. 1 or I.")
GROUP_INVALID = _("Write the group number as a whole number from 1 to 99 or in Roman numerals, e.g. 2 or II.")
CODE_REQUIRED = _("Enter the criterion's code, e.g. 1.1.")
CODE_TOO_LONG = _("Keep the code to %(limit_value)d characters.")
TEXT_REQUIRED = _("Enter the criterion's text.")
POINTS_REQUIRED = _("Enter the maximum points (điểm chuẩn).")
POINTS_INVALID = _("Write the points as a number, e.g. 10 or 2.5.")
POINTS_NOT_POSITIVE = _("The maximum points must be above 0.")
POINTS_NEGATIVE = _("The lowest score cannot be negative.")
POINTS_DECIMALS = _("Use at most two decimal places.")
POINTS_TOO_BIG = _("Keep the points below 100,000.")
KIND_INVALID = _("Write the kind as Tiêu chí, Điểm cộng or Điểm trừ (empty means Tiêu chí).")
TITLE_TOO_LONG = _("Keep the group's title to %(limit_value)d characters.")


# --- Roman numerals: groups are numbered I, II, III … on the printed tables -------------------------

_ROMAN_DIGITS = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"))
_ROMAN_DIGITS += ((40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """4 gives "IV"; the group numbers of a scoring table as civil servants write them."""
    if number < 1:
        raise ValueError(number)
    letters = []
    for value, letter in _ROMAN_DIGITS:
        count, number = divmod(number, value)
        letters.append(letter * count)
    return "".join(letters)


_FROM_ROMAN = {roman(number): number for number in range(1, MAX_GROUP + 1)}


# --- reading one cell -------------------------------------------------------------------------------


def _text(value) -> str:
    return " ".join(nfc(str(value)).replace("\xa0", " ").split()) if value is not None else ""


def parse_group_number(value) -> int:
    """ "2", "II" or "II." (as printed before a group's title) give 2."""
    text = _text(value).rstrip(".").upper()
    if not text:
        raise ValidationError(GROUP_REQUIRED, code="required")
    number = int(text) if text.isdigit() else _FROM_ROMAN.get(text)
    if number is None or not 1 <= number <= MAX_GROUP:
        raise ValidationError(GROUP_INVALID, code="invalid")
    return number


def parse_points(value, *, allow_zero: bool = False) -> Decimal:
    """A number of points, with a decimal point or (as Vietnamese write it) a decimal comma: "2,5" is 2.5."""
    text = _text(value).replace(" ", "")
    if not text:
        raise ValidationError(POINTS_REQUIRED, code="required")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        points = Decimal(text)
    except InvalidOperation:
        raise ValidationError(POINTS_INVALID, code="invalid") from None
    if not points.is_finite():
        raise ValidationError(POINTS_INVALID, code="invalid")
    if allow_zero and points < 0:
        raise ValidationError(POINTS_NEGATIVE, code="min_value")
    if not allow_zero and points <= 0:
        raise ValidationError(POINTS_NOT_POSITIVE, code="min_value")
    if points >= POINTS_LIMIT:
        raise ValidationError(POINTS_TOO_BIG, code="max_value")
    if points != points.quantize(Decimal("0.01")):
        raise ValidationError(POINTS_DECIMALS, code="max_decimal_places")
    return points.quantize(Decimal("0.01"))


def points_text(points: Decimal) -> str:
    """20.00 gives "20" and 2.50 gives "2.5", as the editor shows them."""
    return f"{points.normalize():f}"


KIND_WORDS: dict[str, str] = {
    "tiêu chí": Criterion.Kind.STANDARD,
    "điểm chuẩn": Criterion.Kind.STANDARD,
    "điểm cộng": Criterion.Kind.BONUS,
    "cộng": Criterion.Kind.BONUS,
    "điểm trừ": Criterion.Kind.DEDUCTION,
    "trừ": Criterion.Kind.DEDUCTION,
    **{kind.value: kind.value for kind in Criterion.Kind},
}
# The words the template and the import page offer, by kind.
KIND_NAMES: dict[str, str] = {
    Criterion.Kind.STANDARD: "Tiêu chí",
    Criterion.Kind.BONUS: "Điểm cộng",
    Criterion.Kind.DEDUCTION: "Điểm trừ",
}


def parse_kind(value) -> str:
    text = _text(value).casefold()
    if not text:
        return Criterion.Kind.STANDARD
    kind = KIND_WORDS.get(text)
    if kind is None:
        raise ValidationError(KIND_INVALID, code="invalid_choice")
    return kind


# --- a whole table's rows -----------------------------------------------------------------------------


@dataclass
class ContentRow:
    """A criterion as read from a row of the editor (its row number) or of a sheet (its Excel row number),
    with every reason it cannot be saved, by field."""

    number: int
    group: int | None
    group_title: str
    code: str
    text: str
    max_points: Decimal | None
    kind: str
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add_error(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(str(message))

    @property
    def messages(self) -> list[str]:
        return [message for messages in self.errors.values() for message in messages]


def check_content(rows: list[ContentRow]) -> None:
    """Adds what is wrong across rows: a group titled twice differently or not at all, a code used twice."""
    titles: dict[int, tuple[str, int]] = {}
    first_rows: dict[int, ContentRow] = {}
    for row in rows:
        if row.group is None:
            continue
        first_rows.setdefault(row.group, row)
        if not row.group_title:
            continue
        if row.group not in titles:
            titles[row.group] = (row.group_title, row.number)
        elif titles[row.group][0] != row.group_title:
            title, number = titles[row.group]
            row.add_error(
                "group_title",
                gettext(
                    "Group %(group)s is already titled “%(title)s” in row %(row)s: "
                    "leave this title empty or write the same one."
                )
                % {"group": row.group, "title": title, "row": number},
            )
    for group, row in first_rows.items():
        if group not in titles:
            row.add_error("group_title", gettext("Give group %(group)s a title.") % {"group": group})
    codes: dict[str, int] = {}
    for row in rows:
        if not row.code:
            continue
        if row.code in codes:
            row.add_error(
                "code",
                gettext("The code %(code)s is already used in row %(row)s.")
                % {"code": row.code, "row": codes[row.code]},
            )
        else:
            codes[row.code] = row.number


def content_groups(rows: Iterable[ContentRow]) -> list[GroupSpec]:
    """Valid rows grouped by group number, in that order; each group titled by its first title."""
    groups: dict[int, GroupSpec] = {}
    for row in sorted(rows, key=lambda row: row.group or 0):  # stable: rows keep their order within a group
        group = groups.setdefault(row.group, GroupSpec(title=""))
        group.title = group.title or row.group_title
        group.criteria.append(CriterionSpec(code=row.code, text=row.text, max_points=row.max_points, kind=row.kind))
    return list(groups.values())
