"""The rows of the people list (people/person_list.html), written in Python: the template rendered two
includes a row (the leadership posts, the status badge, now ``person_posts`` and ``person_status_badge``,
which the person's page shows too) and a dozen filters. The markup is the one the
template had: tests render the former row template (tests/people/fixtures/person_rows_before.html) and
compare."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.dates import short_date
from core.html import html_format, html_join
from core.pages import row_links

register = template.Library()

ROW = (
    '<tr><td><a href="{}">{}</a>{}</td><td>{}<div class="small text-body-secondary">{}</div></td><td>{}</td>'
    "<td>{}</td><td>{}</td><td>{}{}</td><td>{}</td></tr>\n"
)
POST = '<div>{}: {}, <a href="{}">{}</a> <span class="text-body-secondary small">({})</span></div>'
BADGE = '<span class="badge text-bg-{}">{}</span>'


@register.simple_tag
def person_status_badge(account) -> SafeString:
    """The account's status as a badge: deactivated, invited (waiting or expired) or active."""
    if not account.is_active:
        return html_format(BADGE, "secondary", gettext("Deactivated"))
    if account.pending_invitation:
        if account.invitation_expired:
            return html_format(BADGE, "danger", gettext("Invitation expired"))
        return html_format(BADGE, "warning", gettext("Invitation not yet accepted"))
    return html_format(BADGE, "success", gettext("Active"))


@register.simple_tag
def person_posts(appointments) -> SafeString:
    """The leadership posts held today, one a line, each with its unit (linked) and start; "—" for none."""
    unit_url = row_links("regions:unit_detail")
    posts = html_join(
        POST,
        (
            (
                a.get_kind_display(),
                a.position,
                unit_url(a.unit_id),
                a.unit_label,
                gettext("from %(day)s") % {"day": short_date(a.start)},
            )
            for a in appointments
        ),
    )
    return posts or mark_safe("—")


@register.simple_tag
def person_rows(people) -> SafeString:
    """Each account: name (linked) and position, username and e-mail, roles, unit, the leadership posts it
    holds today, its status (and a pending invitation's dates), its last log-in."""
    person_url = row_links("people:person_detail")
    no_role = html_format('<span class="text-body-secondary">{}</span>', gettext("No role"))

    def cells(account):
        position = html_format('<div class="small text-body-secondary">{}</div>', account.position)
        invitation = ""
        if account.pending_invitation:
            sent, until = account.pending_invitation.sent_at, account.pending_invitation.expires_at
            text = gettext("sent %(sent)s, valid until %(until)s") % {
                "sent": short_date(sent),
                "until": short_date(until),
            }
            invitation = html_format('<div class="small text-body-secondary">{}</div>', text)
        return (
            person_url(account.pk),
            account.full_name or account.username,
            position if account.position else "",
            account.username,
            account.email or "—",
            ", ".join(str(role.label) for role in account.role_list) or no_role,
            account.unit_label or "—",
            person_posts(account.current_appointments),
            person_status_badge(account),
            invitation,
            short_date(account.last_login, "d/m/Y H:i") or "—",
        )

    return html_join(ROW, (cells(account) for account in people))
