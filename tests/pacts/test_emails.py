"""The pacts' e-mails go through the outbox: written with the change that causes them, "e-mailed" in the
trail once sent, and a broker that is down never turns the change into an error."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import Role
from outbox.models import Email
from outbox.services import emails_sweep
from outbox.tasks import send_email
from pacts import services
from pacts.models import AuditEvent, Pact
from pacts.tasks import send_due_reminders
from regions import services as region_services
from tests.factories import UserFactory
from tests.pacts.factories import make_world

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis. Connection refused.")

    monkeypatch.setattr(send_email, "apply_async", refuse)


def _emails(kind: str) -> list[tuple[str, str]]:
    return sorted(Email.objects.filter(kind=kind).values_list("to", "status"))


def _emailed(pact) -> list[str]:
    return sorted(AuditEvent.objects.filter(pact=pact, action="emailed").values_list("detail", flat=True))


def _sign(world, n: int) -> None:
    pact = Pact.objects.get(pk=world.pact.pk)
    services.pact_sign(
        pact=pact, unit=world.units[n], user=world.leaders[n], consent=True, content_hash=pact.content_hash
    )


def _open(world):
    return services.pact_open(pact=world.pact, deadline=timezone.now() + timedelta(days=7), actor=world.officer)


def test_opening_writes_one_email_per_leader_in_its_own_transaction(django_capture_on_commit_callbacks):
    world = make_world(3, open_pact=False)
    with django_capture_on_commit_callbacks(execute=False):
        _open(world)
    assert _emails("pacts.opened") == sorted((u.email, "pending") for u in world.leaders)
    email = Email.objects.get(to=world.leaders[1].email)
    assert email.reference == {"pact": world.pact.pk, "unit": world.units[1].pk, "unit_name": world.units[1].name}
    assert world.pact.title in email.body
    assert mail.outbox == []


def test_an_opening_rolled_back_leaves_no_email():
    world = make_world(2, open_pact=False)
    with pytest.raises(Rollback), transaction.atomic():
        _open(world)
        raise Rollback
    assert not Email.objects.exists()


def test_each_email_sent_leaves_its_emailed_event_in_the_trail(django_capture_on_commit_callbacks):
    world = make_world(2, open_pact=False)
    with django_capture_on_commit_callbacks(execute=True):
        _open(world)
    assert _emailed(world.pact) == sorted(f"opened: {u.email}" for u in world.leaders)
    event = AuditEvent.objects.get(pact=world.pact, action="emailed", detail=f"opened: {world.leaders[0].email}")
    assert (event.unit, event.unit_name, event.actor) == (world.units[0], world.units[0].name, None)


def test_with_the_broker_down_the_pact_opens_and_its_emails_follow_the_sweep(
    broker_down, monkeypatch, settings, django_capture_on_commit_callbacks
):
    world = make_world(2, open_pact=False)
    with django_capture_on_commit_callbacks(execute=True):
        pact = _open(world)
    assert Pact.objects.get(pk=pact.pk).status == Pact.Status.OPEN
    assert _emails("pacts.opened") == sorted((u.email, "pending") for u in world.leaders)
    assert _emailed(pact) == []
    monkeypatch.undo()  # the broker is back, and the sweep finds the e-mails overdue
    Email.objects.update(due_at=timezone.now() - timedelta(minutes=settings.OUTBOX_SWEEP_MINUTES + 1))
    assert emails_sweep()["requeued"] == 2
    assert _emails("pacts.opened") == sorted((u.email, "sent") for u in world.leaders)
    assert len(_emailed(pact)) == 2


def test_reminders_write_one_email_per_leader_who_has_not_signed(django_capture_on_commit_callbacks):
    world = make_world(3)
    _sign(world, 0)
    with django_capture_on_commit_callbacks(execute=False):
        assert services.pact_remind(pact=world.pact, actor=world.officer) == 2
    assert _emails("pacts.reminder") == sorted((u.email, "pending") for u in world.leaders[1:])


def test_the_daily_reminders_write_their_emails(settings, django_capture_on_commit_callbacks):
    settings.PACT_REMINDER_DAYS = [3]
    world = make_world(2)
    Pact.objects.filter(pk=world.pact.pk).update(deadline=timezone.now() + timedelta(days=3))
    _sign(world, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0  # once a day
    assert _emails("pacts.reminder") == [(world.leaders[1].email, "sent")]
    assert _emailed(world.pact) == [f"reminder: {world.leaders[1].email}"]


def _new_head(world, n: int, username: str):
    user = UserFactory(username=username, full_name="Hoàng Văn Mới", unit=world.units[n], roles=[Role.LEADER])
    return user, {
        "unit": world.units[n],
        "full_name": user.full_name,
        "position": "Giám đốc",
        "start": timezone.localdate(),
    }


def test_a_new_head_is_told_of_the_pending_pact_in_the_transaction_that_appoints_them():
    world = make_world(2)
    user, fields = _new_head(world, 1, "giamdoc.moi")
    with pytest.raises(Rollback), transaction.atomic():
        region_services.appointment_start(user=user, **fields)
        assert _emails("pacts.handover") == [(user.email, "pending")]
        raise Rollback
    assert not Email.objects.filter(kind="pacts.handover").exists()
    region_services.appointment_start(user=user, **fields)
    assert _emails("pacts.handover") == [(user.email, "pending")]  # to the new head only, not the outgoing one


def test_a_head_of_a_unit_that_has_signed_is_not_emailed():
    world = make_world(2)
    _sign(world, 1)
    user, fields = _new_head(world, 1, "giamdoc.sau")
    region_services.appointment_start(user=user, **fields)
    assert not Email.objects.filter(kind="pacts.handover").exists()


def test_linking_an_account_to_the_current_head_tells_them_of_the_pending_pact():
    world = make_world(2)
    appointment = region_services.appointment_start(
        unit=world.units[1], full_name="Hoàng Văn Mới", position="Giám đốc", start=date(2020, 1, 1)
    )
    user = UserFactory(username="giamdoc.lienket", unit=world.units[1], roles=[Role.LEADER])
    region_services.appointment_link_user(appointment=appointment, user=user)
    assert _emails("pacts.handover") == [(user.email, "pending")]


# --- the pages say the e-mails will follow, even with the broker down ------------------------------


def test_with_the_broker_down_opening_through_the_page_answers_and_says_the_emails_will_follow(
    client, broker_down, django_capture_on_commit_callbacks
):
    world = make_world(2, open_pact=False)
    client.force_login(world.officer)
    client.cookies["thidua_language"] = "en"
    deadline = timezone.localtime(timezone.now() + timedelta(days=7)).strftime("%d/%m/%Y %H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pacts:pact_open", args=[world.pact.pk]), {"deadline": deadline}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("pacts:pact_detail", args=[world.pact.pk])
    assert "queued and will be sent shortly" in response.content.decode()
    assert _emails("pacts.opened") == sorted((u.email, "pending") for u in world.leaders)


def test_with_the_broker_down_reminding_through_the_page_answers_and_says_the_emails_will_follow(
    client, broker_down, django_capture_on_commit_callbacks
):
    world = make_world(2)
    client.force_login(world.officer)
    client.cookies["thidua_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pacts:pact_remind", args=[world.pact.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("pacts:pact_progress", args=[world.pact.pk])
    assert "queued and will be e-mailed shortly" in response.content.decode()
    assert _emails("pacts.reminder") == sorted((u.email, "pending") for u in world.leaders)


def test_recording_a_new_head_through_the_page_says_the_email_will_follow(
    client, ministry_user, django_capture_on_commit_callbacks
):
    world = make_world(2)
    user, _ = _new_head(world, 1, "giamdoc.trang")
    client.force_login(ministry_user)
    client.cookies["thidua_language"] = "en"
    data = {
        "full_name": user.full_name,
        "position": "Giám đốc",
        "kind": "head",
        "start": timezone.localdate().strftime("%d/%m/%Y"),
        "username": user.username,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("regions:appointment_create", args=[world.units[1].pk]), data, follow=True)
    assert "queued and will be sent to them shortly" in response.content.decode()
    assert _emails("pacts.handover") == [(user.email, "sent")]
    assert _emailed(world.pact) == [f"handover: {user.email}"]


def test_the_opening_email_names_the_region_as_it_was_called_on_the_pacts_date(django_capture_on_commit_callbacks):
    world = make_world(1, open_pact=False)
    region = world.pact.campaign.region
    old_name = region.name
    region_services.region_rename(
        region=region, name="Cụm thi đua đổi tên sau ngày giao ước", effective=world.pact.signed_on + timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=False):
        _open(world)
    body = Email.objects.get(kind="pacts.opened").body
    assert old_name in body
    assert "đổi tên sau ngày giao ước" not in body
