"""The Django admin is no back door to the workflow: campaigns, pacts, their clauses, slots, signatures,
audit trail and PDF jobs can be looked at there by IT staff (administrators), and changed by nobody; ministry
staff use the portal's pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pacts import services
from pacts.models import AuditEvent, Campaign, Pact, PactSignature, PdfJob
from tests.pacts.factories import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(monkeypatch):
    """An open pact with one of its two signatures, its audit trail and a PDF preview job."""
    from pacts import pdf_jobs

    monkeypatch.setattr(pdf_jobs, "queue_render", lambda job_id: True)
    world = make_world(2, prefix="admin")
    pact = Pact.objects.get(pk=world.pact.pk)
    services.pact_sign(
        pact=pact, unit=world.units[0], user=world.leaders[0], consent=True, content_hash=pact.content_hash
    )
    pdf_jobs.pdf_job_create(pact=pact, draft=True)
    return world


def _objects(world) -> dict[str, object]:
    pact = Pact.objects.get(pk=world.pact.pk)
    return {
        "campaign": Campaign.objects.get(pk=world.campaign.pk),
        "pact": pact,
        "pactsignature": PactSignature.objects.get(pact=pact),
        "auditevent": AuditEvent.objects.filter(pact=pact).first(),
        "pdfjob": PdfJob.objects.get(pact=pact),
    }


MODELS = ["campaign", "pact", "pactsignature", "auditevent", "pdfjob"]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("role", ["ministry", "admin"])
def test_no_role_can_add_change_or_delete_a_record_in_the_admin(client, request, record, role, model):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    obj = _objects(record)[model]
    change = reverse(f"admin:pacts_{model}_change", args=[obj.pk])

    page = client.get(change)
    assert page.status_code in (200, 302, 403)  # ministry staff are sent away from the admin (302, then 403)
    assert b'name="_save"' not in page.content
    assert client.post(reverse(f"admin:pacts_{model}_add"), {}).status_code in (302, 403)
    assert client.post(reverse(f"admin:pacts_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code in (302, 403)
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("role", ["ministry", "admin"])
def test_setting_an_open_pact_to_executed_in_the_admin_is_refused_and_changes_nothing(client, request, record, role):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    pact = Pact.objects.get(pk=record.pact.pk)
    data = {
        "title": "SỬA TRONG TRANG QUẢN TRỊ",
        "status": Pact.Status.EXECUTED,
        "campaign": pact.campaign_id,
        "version": pact.version,
        "place": pact.place,
        "signed_on": pact.signed_on.isoformat(),
        "deadline_0": (timezone.localdate() + timedelta(days=3)).strftime("%d/%m/%Y"),
        "deadline_1": "17:00",
        "_save": "Save",
    }
    response = client.post(reverse("admin:pacts_pact_change", args=[pact.pk]), data)
    assert response.status_code in (302, 403)
    after = Pact.objects.get(pk=pact.pk)
    assert (after.status, after.title, after.updated_at) == (Pact.Status.OPEN, pact.title, pact.updated_at)
    assert not AuditEvent.objects.filter(pact=pact, action=AuditEvent.Action.EXECUTED).exists()


def test_administrators_read_a_pact_with_its_clauses_and_slots_but_get_no_form(client, admin_user, record):
    client.force_login(admin_user)
    page = client.get(reverse("admin:pacts_pact_change", args=[record.pact.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert record.pact.content_hash in body
    assert "Hoàn thành xuất sắc nhiệm vụ chính trị được giao." in body
    assert record.units[1].name in body
    assert "<textarea" not in body and 'name="_save"' not in body and 'name="status"' not in body
    assert 'name="clauses-0-text"' not in body and 'name="signatories-0-unit_name"' not in body


def test_ministry_staff_are_kept_out_of_the_admin_which_is_for_it_staff(client, ministry_user, admin_user, record):
    client.force_login(ministry_user)
    for model in ["pdfjob", "pact", "campaign", "pactsignature", "auditevent"]:
        assert client.get(reverse(f"admin:pacts_{model}_changelist")).status_code in (302, 403), model
    client.force_login(admin_user)
    for model in ["pdfjob", "pact", "campaign", "pactsignature", "auditevent"]:
        assert client.get(reverse(f"admin:pacts_{model}_changelist")).status_code == 200, model


def test_administrators_may_correct_a_movement_but_not_delete_one(client, admin_user):
    from pacts.models import Movement

    client.force_login(admin_user)
    movement = Movement.objects.first()
    response = client.post(
        reverse("admin:pacts_movement_change", args=[movement.pk]),
        {"name": movement.name, "short_name": "Vì người nghèo (sửa)", "_save": "Save"},
    )
    assert response.status_code == 302
    assert client.post(reverse("admin:pacts_movement_delete", args=[movement.pk]), {"post": "yes"}).status_code == 403
    assert Movement.objects.filter(pk=movement.pk, short_name="Vì người nghèo (sửa)").exists()
