"""The rows of the regions app's long tables (a region's roster, the unit list), written in Python: a
template renders each cell of a row through its own nodes and filters, so that the 50 rows of a page cost
more than the rest of the page. The markup is the one the templates had: tests render the former row
templates (tests/regions/fixtures/*_rows_before.html) and compare."""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from core.dates import short_date
from core.html import html_format, html_join
from core.pages import row_links

from .. import terms
from ..models import RegionMembership

register = template.Library()

ROSTER_ROW = '<tr><td>{}</td><th scope="row" class="fw-normal">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>\n'
ROLE_BADGE = {RegionMembership.Role.HEAD: "text-bg-primary", RegionMembership.Role.DEPUTY: "text-bg-info"}


@register.simple_tag(takes_context=True)
def roster_rows(context, memberships) -> SafeString:
    """Each member of the roster: its place in the rotation, name (linked for those who may see units), kind,
    province and role, as that year."""
    unit_url = row_links("regions:unit_detail") if context["can_view_units"] else None

    def cells(m):
        name = html_format('<a href="{}">{}</a>', unit_url(m.unit_id), m.name_on_day) if unit_url else m.name_on_day
        badge = ROLE_BADGE.get(m.role)
        role = html_format('<span class="badge {}">{}</span>', badge, m.role_label) if badge else m.role_label
        return (m.rotation_position, name, m.get_kind_display(), m.province_name_on_day or "—", role)

    return html_join(ROSTER_ROW, (cells(m) for m in memberships))


UNIT_ROW = '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td>{}</tr>\n'


def _active_dates(unit) -> str:
    if unit.active_from and unit.active_to:
        return f"{short_date(unit.active_from)} – {short_date(unit.active_to)}"
    if unit.active_from:
        return gettext("from %(day)s") % {"day": short_date(unit.active_from)}
    if unit.active_to:
        return gettext("until %(day)s") % {"day": short_date(unit.active_to)}
    return "—"


@register.simple_tag(takes_context=True)
def unit_rows(context, units) -> SafeString:
    """Each unit of the list: name of that day (linked), kind, province, parent, active dates (and whether it
    is active that day), and with a chosen year its region and role that year."""
    year = context["year"]
    inactive = html_format('<span class="badge text-bg-secondary">{}</span>', gettext("Not active"))
    unit_url = row_links("regions:unit_detail")

    def region_cell(unit):
        if not year:
            return ""
        if not unit.year_region:
            return SafeString("<td>—</td>")
        region = unit.year_region
        link = html_format(
            '<a href="{}">{}</a>', reverse("regions:region_detail", args=[region.slug]), region.region_name_on_day
        )
        role = (
            html_format('<span class="badge text-bg-info">{}</span>', unit.year_role_label)
            if unit.year_role != "member"
            else ""
        )
        return html_format("<td>{}{}</td>", link, role)

    def cells(unit):
        return (
            unit_url(unit.pk),
            unit.name_on_day,
            unit.get_kind_display(),
            unit.province_name or "—",
            unit.parent_name_on_day or "—",
            _active_dates(unit),
            "" if unit.active_on_day else inactive,
            region_cell(unit),
        )

    return html_join(UNIT_ROW, (cells(unit) for unit in units))


ORDER_ROW = (
    '<tr><td>{}</td><th scope="row" class="fw-normal">{}</th><td>{}</td>'
    '<td><label class="visually-hidden" for="{}">{}</label>\n{}{}</td></tr>\n'
)


@register.simple_tag
def roster_order_rows(form, term: str) -> SafeString:
    """Each member in the rotation order's form: its current place, name and role, and the place to type (with
    its error); a region of 672 units made the template render some 20,000 nodes."""
    roles = {role: terms.role_label(role, term) for role in RegionMembership.Role.values}

    def cells(membership, field):
        errors = html_join('<div class="invalid-feedback d-block">{}</div>', ((error,) for error in field.errors))
        label = gettext("New place of %(unit)s") % {"unit": membership.name_on_day}
        name = membership.name_on_day
        return (membership.rotation_position, name, roles[membership.role], field.id_for_label, label, field, errors)

    return html_join(ORDER_ROW, (cells(membership, field) for membership, field in form.rows()))
