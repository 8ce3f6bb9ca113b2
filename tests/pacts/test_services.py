import hashlib
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from pacts import services
from pacts.errors import PactError
from pacts.models import AuditEvent, Pact, PactSignature
from pacts.signals import pact_executed
from regions import services as region_services
from tests.pacts.factories import deputy_of, make_world

pytestmark = pytest.mark.django_db


def _sign(world, n, user=None, **kwargs):
    pact = Pact.objects.get(pk=world.pact.pk)
    return services.pact_sign(
        pact=pact,
        unit=world.units[n],
        user=user or world.leaders[n],
        consent=kwargs.pop("consent", True),
        content_hash=kwargs.pop("content_hash", pact.content_hash),
    )


def _refusals(world):
    return AuditEvent.objects.filter(pact=world.pact, action="refused").count()


def test_a_campaign_starts_with_the_two_phases_of_the_year():
    world = make_world(2, open_pact=False)
    phases = list(world.campaign.phases.values_list("number", "start", "end"))
    year = world.campaign.year
    assert phases == [(1, date(year, 1, 1), date(year, 6, 30)), (2, date(year, 7, 1), date(year, 12, 31))]


def test_a_draft_keeps_every_edit_as_a_revision():
    world = make_world(2, open_pact=False)
    services.pact_update_draft(pact=world.pact, actor=world.officer, implementation="Sơ kết, tổng kết.")
    assert list(world.pact.revisions.values_list("number", flat=True)) == [3, 2, 1]
    assert world.pact.revisions.first().content["implementation"] == "Sơ kết, tổng kết."


def test_opening_freezes_the_text_with_its_hash_and_mails_the_leaders(django_capture_on_commit_callbacks):
    world = make_world(3, open_pact=False)
    with django_capture_on_commit_callbacks(execute=True):
        pact = services.pact_open(pact=world.pact, deadline=timezone.now() + timedelta(days=7), actor=world.officer)
    assert pact.status == Pact.Status.OPEN
    assert pact.campaign.status == "launched"
    assert pact.content_hash == hashlib.sha256(pact.content_text.encode()).hexdigest()
    assert "1. Hoàn thành xuất sắc nhiệm vụ chính trị được giao." in pact.content_text
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in world.leaders)
    assert AuditEvent.objects.filter(pact=pact, action="emailed").count() == 3


def test_an_open_pact_cannot_be_edited():
    world = make_world(2)
    with pytest.raises(PactError):
        services.pact_update_draft(pact=world.pact, actor=world.officer, title="Tiêu đề khác")
    assert Pact.objects.get(pk=world.pact.pk).title == world.pact.title


def test_the_last_signature_executes_the_pact_and_fires_the_hook(django_capture_on_commit_callbacks):
    world = make_world(2)
    fired = []
    pact_executed.connect(lambda sender, pact, **kw: fired.append(pact.pk), weak=False, dispatch_uid="t")
    try:
        _sign(world, 0)
        assert Pact.objects.get(pk=world.pact.pk).status == Pact.Status.OPEN
        with django_capture_on_commit_callbacks(execute=True):
            signature = _sign(world, 1)
    finally:
        pact_executed.disconnect(dispatch_uid="t")
    pact = Pact.objects.get(pk=world.pact.pk)
    assert pact.status == Pact.Status.EXECUTED
    assert fired == [pact.pk]
    assert signature.content_hash == pact.content_hash
    assert signature.signer_name == world.leaders[1].full_name
    assert signature.authority == ""
    assert AuditEvent.objects.filter(pact=pact, action="executed").count() == 1


def test_a_deputy_signs_kt_for_the_head():
    world = make_world(2)
    deputy = deputy_of(world.units[1], "phogiamdoc")
    signature = _sign(world, 1, user=deputy)
    assert signature.authority == "KT."
    assert signature.signer_position == "Phó Giám đốc"


@pytest.mark.parametrize(
    "case",
    ["other_unit", "former_leader", "after_deadline", "withdrawn", "twice", "no_consent", "changed_text"],
)
def test_every_refusal_changes_nothing_and_is_audited(case):
    world = make_world(3)
    user, n, kwargs = world.leaders[1], 1, {}
    if case == "other_unit":
        user = world.leaders[2]
    elif case == "former_leader":
        region_services.appointment_start(
            unit=world.units[1],
            full_name="Người Mới",
            position="Giám đốc",
            start=timezone.localdate() - timedelta(days=1),
        )
    elif case == "after_deadline":
        Pact.objects.filter(pk=world.pact.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    elif case == "withdrawn":
        services.pact_withdraw(pact=world.pact, reason="Sửa nội dung", actor=world.officer)
    elif case == "twice":
        _sign(world, 1)
    elif case == "no_consent":
        kwargs["consent"] = False
    elif case == "changed_text":
        kwargs["content_hash"] = "0" * 64
    before = PactSignature.objects.count()
    refusals = _refusals(world)
    with pytest.raises(PactError):
        _sign(world, n, user=user, **kwargs)
    assert PactSignature.objects.count() == before
    assert _refusals(world) == refusals + 1


def test_a_new_leader_takes_over_the_slot_without_touching_the_others():
    world = make_world(3)
    _sign(world, 0)
    from tests.factories import UserFactory

    newcomer = UserFactory(username="giamdocmoi", full_name="Phạm Giám Đốc Mới", unit=world.units[1])
    region_services.appointment_start(
        unit=world.units[1],
        full_name=newcomer.full_name,
        position="Giám đốc",
        start=timezone.localdate(),
        user=newcomer,
    )
    with pytest.raises(PactError):
        _sign(world, 1)
    assert _sign(world, 1, user=newcomer).signer_name == "Phạm Giám Đốc Mới"
    assert PactSignature.objects.filter(pact=world.pact).count() == 2


def test_withdrawal_keeps_the_signatures_and_starts_a_new_draft():
    world = make_world(2)
    _sign(world, 0)
    draft = services.pact_withdraw(pact=world.pact, reason="Bổ sung chỉ tiêu", actor=world.officer)
    old = Pact.objects.get(pk=world.pact.pk)
    assert old.status == Pact.Status.WITHDRAWN
    assert old.signatures.count() == 1
    assert draft.status == Pact.Status.DRAFT
    assert draft.version == 2
    assert draft.previous == old
    assert list(draft.clauses.values_list("text", flat=True)) == list(old.clauses.values_list("text", flat=True))


def test_signatures_and_audit_events_cannot_be_altered(uses_postgres):
    world = make_world(2)
    signature = _sign(world, 0)
    signature.signer_name = "Giả mạo"
    with pytest.raises(Exception):  # noqa: B017 - the model refuses it
        signature.save()
    with pytest.raises(Exception):  # noqa: B017
        signature.delete()
    if uses_postgres:
        with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - the trigger refuses it
            PactSignature.objects.filter(pk=signature.pk).update(signer_name="Giả mạo")
    assert PactSignature.objects.get(pk=signature.pk).signer_name != "Giả mạo"


def test_reminders_go_to_the_leaders_who_have_not_signed(django_capture_on_commit_callbacks):
    world = make_world(3)
    _sign(world, 0)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.pact_remind(pact=world.pact, actor=world.officer) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in world.leaders[1:])
