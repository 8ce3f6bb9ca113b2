"""What each person has to do next, for the home page: a leader's score sheets sent back, a region officer's
sheets awaiting review and open pacts with their signing progress, the nation's figures for ministry staff.

Every read is a fixed number of queries, whatever the number of units, sheets and pacts.
"""

from django.utils import timezone

from accounts import permissions
from accounts.models import User


def next_steps_for(user: User) -> dict:
    from awards.models import AwardRegistration
    from awards.selectors.scoring import HOME_LIST_LIMIT, returned_sheets, sheets_awaiting_review
    from pacts.progress_counts import national_open_pacts_summary, open_pacts_of_headed_regions

    today, now = timezone.localdate(), timezone.now()
    data: dict = {"now": now}
    if permissions.is_leader(user):
        data["returned_sheets"] = returned_sheets(user, today)
    if permissions.is_region_officer(user):
        awaiting = sheets_awaiting_review(user, today)
        data["sheets_awaiting"] = list(awaiting[:HOME_LIST_LIMIT])
        data["sheets_awaiting_count"] = awaiting.count()
        data["open_pacts"] = list(open_pacts_of_headed_regions(user, today))
    if permissions.is_ministry(user):
        data["national_pacts"] = national_open_pacts_summary()
        data["national_sheets_awaiting"] = sheets_awaiting_review(user, today, everywhere=True).count()
        data["national_registrations_awaiting"] = AwardRegistration.objects.filter(
            status=AwardRegistration.Status.SUBMITTED
        ).count()
    return data
