"""The rows of the ceremony's order (pacts/board_ceremony.html), written in Python: the form holds a place and a
box for every unit of the pact, and a template renders each row's two fields and its buttons through some
forty nodes, so that a pact of 672 units spent 100 ms in them. The markup is the one the template had: tests
render the former row template (tests/pacts/fixtures/ceremony_rows_before.html) and compare."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.html import escaped, html_format

register = template.Library()

ROW = '<tr id="unit-{unit}" data-unit="{unit}"{warning}>{place}{name}{later}{buttons}</tr>\n'
PLACE = (
    '<td class="ceremony-place"><label class="visually-hidden" for="{id}">{label}</label>'
    '<input type="number" name="{name}" id="{id}" value="{value}" min="1" max="{count}" class="form-control{invalid}"'
    ' inputmode="numeric"{described}{disabled}>{errors}</td>'
)
LATER = (
    '<td><div class="form-check"><input type="checkbox" class="form-check-input" name="{name}" id="{id}"{checked}'
    '{disabled}>\n<label class="form-check-label" for="{id}"><span class="visually-hidden">{label}</span>'
    '<span aria-hidden="true">{text}</span></label></div></td>'
)
MOVE = (
    '<button type="submit" form="ceremony-step" name="move" value="{} {}" class="btn btn-sm btn-outline-secondary"{}>'
    '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span></button>'
)
STEP = (
    '<button type="submit" form="ceremony-step" name="move" value="{} {}" class="btn btn-sm btn-outline-dark">'
    '{}<span class="visually-hidden"> · {}</span></button>'
)


def _filled(markup: str, **values) -> SafeString:
    """``markup`` with its named places filled, each value escaped unless it is already safe."""
    return mark_safe(markup.format(**{name: escaped(value) for name, value in values.items()}))  # noqa: S308 (escaped)


def _place(number, count: int, disabled: str) -> SafeString:
    field_id, value = number.id_for_label, number.value()
    errors = described = invalid = ""
    if number.errors:
        invalid = " is-invalid"
        described = html_format(' aria-invalid="true" aria-describedby="{}-error"', field_id)
        errors = html_format('<div class="invalid-feedback" id="{}-error">{}</div>', field_id, " ".join(number.errors))
    return _filled(
        PLACE,
        id=field_id,
        label=number.label,
        name=number.html_name,
        value="" if value is None else value,
        count=count,
        invalid=invalid,
        described=described,
        disabled=disabled,
        errors=errors,
    )


@register.simple_tag
def ceremony_rows(form, signed: set[int], editable: bool, count: int) -> SafeString:
    """Each unit in the ceremony's order: its place (a number to type), its name (and whether it has signed),
    its "ký sau hội nghị" box, and while the order can change its buttons: up, down, and sign after the
    conference or call up again."""
    disabled = "" if editable else mark_safe(" disabled")
    signed_badge = html_format(' <span class="badge text-bg-success">{}</span>', gettext("Signed"))
    later_text = gettext("Signs after the conference")
    rows = list(form.rows())
    written = []
    for index, (place, number, later) in enumerate(rows):
        unit, unit_name = place.slot.unit_id, place.slot.unit_name
        buttons = ""
        if editable:
            move_up = escaped(gettext("Move %(unit)s up") % {"unit": unit_name})
            up = MOVE.format("up", unit, " disabled" if index == 0 else "", "↑", move_up)
            down = MOVE.format(
                "down",
                unit,
                " disabled" if index == len(rows) - 1 else "",
                "↓",
                escaped(gettext("Move %(unit)s down") % {"unit": unit_name}),
            )
            step = ""
            if place.after_conference:
                step = STEP.format("back", unit, escaped(gettext("Call up again")), escaped(unit_name))
            elif unit not in signed:
                step = STEP.format("later", unit, escaped(gettext("Sign after the conference")), escaped(unit_name))
            # Inline buttons: the spaces between them are the gaps the template left.
            buttons = mark_safe(f'<td class="text-nowrap">{up}\n{down}\n{step}</td>')  # noqa: S308 (escaped above)
        written.append(
            _filled(
                ROW,
                unit=unit,
                warning=mark_safe(' class="table-warning"') if place.after_conference else "",
                place=_place(number, count, disabled),
                name=html_format("<td>{}{}</td>", unit_name, signed_badge if unit in signed else ""),
                later=_filled(
                    LATER,
                    name=later.html_name,
                    id=later.id_for_label,
                    checked=mark_safe(" checked") if later.value() else "",
                    disabled=disabled,
                    label=later.label,
                    text=later_text,
                ),
                buttons=buttons,
            )
        )
    return mark_safe("".join(written))  # noqa: S308 (every piece is escaped or written here)


UNIT = (
    '<li class="board-unit{}" data-unit="{}"{}>\n<span class="board-unit-position">{}</span>\n'
    '<span class="board-unit-name">{}</span>\n<span class="board-unit-detail">{}</span>\n</li>'
)


@register.simple_tag
def board_units(units: list[dict]) -> SafeString:
    """Each signatory unit on the live board, from its state (``board.board_state``): its place, name, and who
    signed and when, or that it signs after the conference, is called up now or has not signed yet.
    static/js/board.js writes the same markup from the polled state."""
    after, now, waiting = gettext("To sign after the conference"), gettext("Called up now"), gettext("Not signed yet")
    written = []
    for unit in units:
        classes = "".join(
            name
            for flag, name in (("signed", " is-signed"), ("next", " is-next"), ("after", " is-after"))
            if unit[flag]
        )
        if unit["signed"]:
            detail = html_format(
                '<span class="board-unit-signer">{}</span> <span class="board-unit-time">{}</span>',
                unit["signer"],
                unit["time"],
            )
        else:
            detail = after if unit["after"] else now if unit["next"] else waiting
        current = mark_safe(' aria-current="step"') if unit["next"] else ""
        written.append(html_format(UNIT, classes, unit["id"], current, unit["position"], unit["name"], detail))
    return mark_safe("\n".join(written))  # noqa: S308 (every piece is html_format's)
