"""The pact pages up to signing: create, detail, comments, revisions, edit, open and withdraw, for each role."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from pacts import canonical, services
from pacts.errors import PactError
from pacts.models import AuditEvent, Pact, PactComment, PactSignature
from regions.models import Unit
from tests.factories import UserFactory
from tests.pacts.factories import deputy_of, leader_signs, make_world
from tests.regions.factories import make_unit

pytestmark = pytest.mark.django_db


def url(name: str, pact: Pact, *args) -> str:
    return reverse(f"pacts:pact_{name}", args=[pact.pk, *args])


def create_url(world) -> str:
    return reverse("pacts:pact_create", args=[world.campaign.pk])


@pytest.fixture
def draft():
    return make_world(3, open_pact=False)


@pytest.fixture
def opened():
    return make_world(3, open_pact=True, prefix="mo")


@pytest.fixture
def stranger():
    """A leader of another region."""
    return make_world(2, open_pact=False, prefix="khac").leaders[0]


def member_officer(world):
    """A region officer whose unit is a member, not the head, of the region."""
    return UserFactory(username=f"canbo.tv.{world.pact.pk}", unit=world.units[1], roles=[Role.REGION])


def _as(client, user):
    client.force_login(user)
    return client


def _draft_data(world, **overrides) -> dict:
    data = {
        "title": "BẢN GIAO ƯỚC THI ĐUA NĂM 2018",
        "number": "01/GƯTĐ-KV",
        "place": "Đồng Hới",
        "signed_on": "19/03/2018",
        "bases": "Căn cứ Luật Thi đua, khen thưởng;",
        "parties": "Các đơn vị thành viên khu vực",
        "clauses": (
            "1. Hoàn thành xuất sắc nhiệm vụ.\n\n2) Đẩy mạnh cải cách hành chính.\r\n \r\nThực hiện tốt chế độ báo cáo."
        ),
        "targets": "100% hồ sơ đúng hạn",
        "implementation": "Sơ kết, tổng kết",
        "units": [unit.pk for unit in world.units],
    }
    return data | overrides


def _future(days: int = 7) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%d/%m/%Y %H:%M")


def _query_count(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["detail", "edit", "open", "withdraw", "revision"])
def test_every_pact_page_sends_visitors_to_log_in(client, draft, name):
    address = url(name, draft.pact, 1) if name == "revision" else url(name, draft.pact)
    response = client.get(address)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert client.get(create_url(draft)).status_code == 302


@pytest.mark.parametrize("name", ["detail", "edit", "open", "withdraw", "revision"])
def test_a_leader_of_another_region_and_an_account_without_a_role_are_refused(
    client, draft, stranger, no_role_user, name
):
    address = url(name, draft.pact, 1) if name == "revision" else url(name, draft.pact)
    assert _as(client, stranger).get(address).status_code == 403
    assert _as(client, no_role_user).get(address).status_code == 403


@pytest.mark.parametrize("name", ["edit", "open"])
def test_members_who_do_not_head_the_region_cannot_draft(client, draft, name):
    for user in (member_officer(draft), draft.leaders[1]):
        assert _as(client, user).get(url(name, draft.pact)).status_code == 403
        assert _as(client, user).get(create_url(draft)).status_code == 403


def test_members_who_do_not_head_the_region_cannot_withdraw(client, opened):
    for user in (member_officer(opened), opened.leaders[1]):
        response = _as(client, user).post(url("withdraw", opened.pact), {"reason": "Sai nội dung"})
        assert response.status_code == 403
    opened.pact.refresh_from_db()
    assert opened.pact.status == Pact.Status.OPEN


@pytest.mark.parametrize("name", ["detail", "edit", "open", "withdraw", "comment"])
def test_an_unknown_pact_is_not_found(client, ministry_user, name):
    assert _as(client, ministry_user).post(reverse(f"pacts:pact_{name}", args=[999999])).status_code == 404
    assert client.get(reverse("pacts:campaign_detail", args=[999999]) + "pacts/new/").status_code == 404


def test_an_unknown_revision_is_not_found(client, draft, ministry_user):
    assert _as(client, ministry_user).get(url("revision", draft.pact, 99)).status_code == 404


def test_comments_are_posted_not_fetched(client, draft):
    assert _as(client, draft.leaders[1]).get(url("comment", draft.pact)).status_code == 405


# --- create ---------------------------------------------------------------------------------------


def test_every_member_unit_is_ticked_by_default_with_the_usual_title(client, draft):
    body = _as(client, draft.officer).get(create_url(draft)).content.decode()
    year = draft.campaign.year
    assert f"BẢN GIAO ƯỚC THI ĐUA NĂM {year}" in body
    for unit in draft.units:
        assert f'value="{unit.pk}"' in body
    assert body.count("checked") >= len(draft.units)


def test_the_quick_choice_ticks_only_the_enforcement_bodies(client, draft):
    thads = make_unit("Cục THADS tỉnh Quảng Bình", Unit.Kind.CUC_THADS)
    from regions import services as region_services

    region_services.membership_add(region=draft.campaign.region, unit=thads, year=draft.campaign.year)
    response = _as(client, draft.officer).get(create_url(draft), {"only": "thads"})
    assert response.context["form"].initial["units"] == [thads.pk]
    assert response.context["form"].initial["block"] == "Khối Thi hành án dân sự"


def test_the_head_units_officer_creates_a_pact_for_a_block(client, draft):
    data = {"block": "Khối Sở Tư pháp", "title": "", "units": [draft.units[0].pk, draft.units[2].pk]}
    response = _as(client, draft.officer).post(create_url(draft), data)
    pact = Pact.objects.get(campaign=draft.campaign, block="Khối Sở Tư pháp")
    assert response.status_code == 302
    assert response.url == url("edit", pact)
    assert pact.title == f"BẢN GIAO ƯỚC THI ĐUA NĂM {draft.campaign.year}"
    assert list(pact.signatories.values_list("unit_id", flat=True)) == [draft.units[0].pk, draft.units[2].pk]
    assert AuditEvent.objects.filter(pact=pact, action="created").exists()


def test_a_second_pact_for_the_same_block_is_refused(client, draft, ministry_user):
    data = {"block": "", "title": "", "units": [draft.units[0].pk]}
    response = _as(client, ministry_user).post(create_url(draft), data)
    assert response.status_code == 200
    assert "Kế hoạch thi đua này đã có giao ước cho khối đó." in response.content.decode()
    assert Pact.objects.filter(campaign=draft.campaign).count() == 1


def test_a_pact_without_signatory_units_is_refused(client, draft, ministry_user):
    response = _as(client, ministry_user).post(create_url(draft), {"block": "Khối A", "title": ""})
    assert "Hãy chọn ít nhất một đơn vị ký kết." in response.content.decode()
    assert Pact.objects.filter(campaign=draft.campaign).count() == 1


def test_a_unit_outside_the_region_cannot_be_a_signatory(client, draft, stranger, ministry_user):
    data = {"block": "Khối A", "title": "", "units": [stranger.unit_id]}
    response = _as(client, ministry_user).post(create_url(draft), data)
    assert "Hãy chọn đơn vị ký kết trong số thành viên của khu vực." in response.content.decode()
    assert Pact.objects.filter(campaign=draft.campaign).count() == 1


# --- detail of a draft, comments, revisions --------------------------------------------------------


def test_every_member_reads_a_draft_in_the_structure_of_the_document(client, draft, ministry_user, admin_user):
    services.pact_update_draft(pact=draft.pact, actor=draft.officer, place="Đồng Hới", number="01/GƯTĐ")
    day = draft.pact.signed_on
    for user in (ministry_user, admin_user, draft.officer, member_officer(draft), draft.leaders[2]):
        response = _as(client, user).get(url("detail", draft.pact))
        assert response.status_code == 200
        body = response.content.decode()
        assert f"Đồng Hới, ngày {day:%d} tháng {day:%m} năm {day:%Y}" in body
        assert "<li>Hoàn thành xuất sắc nhiệm vụ chính trị được giao.</li>" in body
        assert draft.units[2].name in body
        assert url("revision", draft.pact, 1) in body


def test_only_those_who_manage_see_the_editing_buttons(client, draft):
    assert url("edit", draft.pact) in _as(client, draft.officer).get(url("detail", draft.pact)).content.decode()
    body = _as(client, draft.leaders[1]).get(url("detail", draft.pact)).content.decode()
    assert url("edit", draft.pact) not in body
    assert url("open", draft.pact) not in body


def test_a_member_units_leader_comments_on_the_draft(client, draft):
    leader = draft.leaders[1]
    response = _as(client, leader).post(url("comment", draft.pact), {"text": "Đề nghị bổ sung chỉ tiêu về CNTT."})
    assert response.status_code == 302
    comment = PactComment.objects.get(pact=draft.pact)
    assert comment.author == leader
    assert comment.unit == draft.units[1]
    assert AuditEvent.objects.filter(pact=draft.pact, action="commented", actor=leader).exists()
    body = client.get(url("detail", draft.pact)).content.decode()
    assert "Đề nghị bổ sung chỉ tiêu về CNTT." in body
    assert leader.full_name in body


def test_an_empty_comment_is_refused(client, draft):
    response = _as(client, draft.leaders[1]).post(url("comment", draft.pact), {"text": "   "})
    assert response.status_code == 200
    assert "Hãy nhập nội dung góp ý." in response.content.decode()
    assert not PactComment.objects.exists()


def test_a_stranger_cannot_comment(client, draft, stranger):
    assert _as(client, stranger).post(url("comment", draft.pact), {"text": "Góp ý"}).status_code == 403
    assert not PactComment.objects.exists()


def test_an_open_pact_takes_no_comment(client, opened):
    response = _as(client, opened.leaders[1]).post(url("comment", opened.pact), {"text": "Góp ý muộn"}, follow=True)
    assert "Chỉ nhận góp ý khi giao ước còn là dự thảo." in response.content.decode()
    assert not PactComment.objects.exists()


def test_a_revision_shows_its_text_and_what_changed(client, draft):
    services.pact_update_draft(
        pact=draft.pact, actor=draft.officer, clauses=["Hoàn thành xuất sắc nhiệm vụ chính trị được giao.", "Mới."]
    )
    last = draft.pact.revisions.order_by("-number").first().number
    response = _as(client, draft.leaders[1]).get(url("revision", draft.pact, last))
    assert response.status_code == 200
    diff = response.context["diff"]
    assert ("added", "2. Mới.") in [(line.kind, line.text) for line in diff]
    assert ("removed", "2. Đẩy mạnh ứng dụng CNTT.") in [(line.kind, line.text) for line in diff]
    first = client.get(url("revision", draft.pact, 1))
    assert first.context["diff"] is None
    assert "Đây là bản sửa đổi đầu tiên" in first.content.decode()


def test_a_revision_can_be_compared_with_any_other(client, draft, ministry_user):
    response = _as(client, ministry_user).get(url("revision", draft.pact, 2), {"compare": 1})
    assert response.context["base"].number == 1
    assert any(line.kind == "added" for line in response.context["diff"])


# --- edit -----------------------------------------------------------------------------------------


def test_the_head_units_officer_edits_the_draft_and_a_revision_is_kept(client, draft):
    revisions = draft.pact.revisions.count()
    data = _draft_data(draft, units=[draft.units[0].pk, draft.units[1].pk])
    _as(client, draft.officer)
    assert client.get(url("edit", draft.pact)).status_code == 200
    response = client.post(url("edit", draft.pact), data)
    assert response.status_code == 302
    pact = Pact.objects.get(pk=draft.pact.pk)
    assert list(pact.clauses.values_list("text", flat=True)) == [
        "Hoàn thành xuất sắc nhiệm vụ.",
        "Đẩy mạnh cải cách hành chính.",
        "Thực hiện tốt chế độ báo cáo.",
    ]
    assert pact.place == "Đồng Hới"
    assert pact.signed_on.day == 19
    assert pact.signatories.count() == 2
    assert pact.revisions.count() == revisions + 1
    assert AuditEvent.objects.filter(pact=pact, action="edited", actor=draft.officer).exists()


def test_the_editor_shows_the_commitments_one_per_paragraph(client, draft):
    form = _as(client, draft.officer).get(url("edit", draft.pact)).context["form"]
    assert form.initial["clauses"] == "Hoàn thành xuất sắc nhiệm vụ chính trị được giao.\n\nĐẩy mạnh ứng dụng CNTT."


def test_an_empty_title_changes_nothing(client, draft, ministry_user):
    revisions = draft.pact.revisions.count()
    response = _as(client, ministry_user).post(url("edit", draft.pact), _draft_data(draft, title=""))
    assert response.status_code == 200
    assert "Hãy nhập tiêu đề giao ước." in response.content.decode()
    assert draft.pact.revisions.count() == revisions
    assert Pact.objects.get(pk=draft.pact.pk).title != ""


def test_editing_an_open_pact_is_refused_by_the_page(client, opened):
    before = opened.pact.content_hash
    response = _as(client, opened.officer).post(url("edit", opened.pact), _draft_data(opened, title="Sửa trộm"))
    assert response.status_code == 302
    assert response.url == url("detail", opened.pact)
    body = client.get(response.url).content.decode()
    assert "Chỉ được sửa dự thảo" in body
    pact = Pact.objects.get(pk=opened.pact.pk)
    assert (pact.title, pact.content_hash) == (opened.pact.title, before)


def test_editing_an_open_pact_is_refused_by_the_service_too(opened):
    with pytest.raises(PactError):
        services.pact_update_draft(pact=opened.pact, actor=opened.officer, title="Sửa trộm")
    assert Pact.objects.get(pk=opened.pact.pk).title == opened.pact.title


def test_a_draft_that_opens_meanwhile_is_not_saved(client, draft):
    """The form was loaded while it was a draft; by the time it is sent, the pact is open."""
    _as(client, draft.officer)
    page = client.get(url("edit", draft.pact))
    assert page.status_code == 200
    services.pact_open(pact=draft.pact, deadline=timezone.now() + timedelta(days=3), actor=draft.officer)
    response = client.post(url("edit", draft.pact), _draft_data(draft, title="Quá muộn"), follow=True)
    assert "Chỉ được sửa dự thảo" in response.content.decode()
    assert Pact.objects.get(pk=draft.pact.pk).title != "Quá muộn"


# --- open -----------------------------------------------------------------------------------------


def test_the_open_page_shows_the_text_to_be_frozen_and_its_hash(client, draft):
    response = _as(client, draft.officer).get(url("open", draft.pact))
    text = canonical.pact_canonical_text(draft.pact)
    assert response.context["text"] == text
    assert canonical.sha256_hex(text) in response.content.decode()


def test_the_head_units_officer_opens_the_pact_for_signing(client, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(client, draft.officer).post(url("open", draft.pact), {"deadline": _future()})
    assert response.status_code == 302
    pact = Pact.objects.get(pk=draft.pact.pk)
    assert pact.status == Pact.Status.OPEN
    assert pact.content_hash == canonical.sha256_hex(pact.content_text)
    assert AuditEvent.objects.filter(pact=pact, action="opened", actor=draft.officer).exists()


def test_a_deadline_in_the_past_is_refused(client, draft, ministry_user):
    past = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%d/%m/%Y %H:%M")
    response = _as(client, ministry_user).post(url("open", draft.pact), {"deadline": past})
    assert "Hạn ký phải là một thời điểm trong tương lai." in response.content.decode()
    assert Pact.objects.get(pk=draft.pact.pk).status == Pact.Status.DRAFT


def test_a_badly_typed_deadline_is_refused(client, draft, ministry_user):
    response = _as(client, ministry_user).post(url("open", draft.pact), {"deadline": "31/02/2030"})
    assert "dd/mm/yyyy HH:MM" in response.content.decode()
    assert Pact.objects.get(pk=draft.pact.pk).status == Pact.Status.DRAFT


def test_a_pact_without_commitments_cannot_open(client, draft, ministry_user):
    services.pact_update_draft(pact=draft.pact, actor=draft.officer, clauses=[])
    response = _as(client, ministry_user).post(url("open", draft.pact), {"deadline": _future()})
    assert "Hãy nhập ít nhất một nội dung giao ước trước khi mở ký." in response.content.decode()
    assert Pact.objects.get(pk=draft.pact.pk).status == Pact.Status.DRAFT


def test_an_open_pact_cannot_be_opened_again(client, opened):
    response = _as(client, opened.officer).post(url("open", opened.pact), {"deadline": _future(30)})
    assert response.status_code == 302
    assert Pact.objects.get(pk=opened.pact.pk).deadline == opened.pact.deadline


# --- detail of an open pact -------------------------------------------------------------------------


def test_an_open_pact_shows_its_frozen_text_hash_and_progress_link(client, opened, ministry_user):
    body = _as(client, ministry_user).get(url("detail", opened.pact)).content.decode()
    assert opened.pact.content_hash in body
    assert 'class="border rounded p-3 bg-body-tertiary pact-text"' in body  # line breaks kept (portal.css)
    assert f"/pacts/{opened.pact.pk}/progress/" in body
    assert "/sign/" not in body


def test_a_leader_of_a_pending_unit_gets_the_signing_link(client, opened):
    body = _as(client, opened.leaders[1]).get(url("detail", opened.pact)).content.decode()
    assert f"/pacts/{opened.pact.pk}/sign/{opened.units[1].pk}/" in body
    assert "Ký giao ước" in body
    assert f"/sign/{opened.units[2].pk}/" not in body


def test_a_deputy_also_gets_the_signing_link(client, opened):
    deputy = deputy_of(opened.units[2], "pho.giamdoc")
    body = _as(client, deputy).get(url("detail", opened.pact)).content.decode()
    assert f"/pacts/{opened.pact.pk}/sign/{opened.units[2].pk}/" in body


def test_a_unit_that_has_signed_gets_no_signing_link(client, opened):
    leader_signs(opened, 1)
    body = _as(client, opened.leaders[1]).get(url("detail", opened.pact)).content.decode()
    assert "/sign/" not in body
    assert PactSignature.objects.filter(pact=opened.pact).count() == 1


def test_a_leader_opening_an_open_pact_is_audited_once_a_day(client, opened):
    _as(client, opened.leaders[1])
    client.get(url("detail", opened.pact))
    client.get(url("detail", opened.pact))
    viewed = AuditEvent.objects.filter(pact=opened.pact, action="viewed")
    assert viewed.count() == 1
    assert (viewed.get().actor, viewed.get().unit) == (opened.leaders[1], opened.units[1])


def test_staff_reading_an_open_pact_are_not_audited_as_viewers(client, opened, ministry_user):
    _as(client, ministry_user).get(url("detail", opened.pact))
    _as(client, member_officer(opened)).get(url("detail", opened.pact))
    assert not AuditEvent.objects.filter(pact=opened.pact, action="viewed").exists()


# --- withdraw -------------------------------------------------------------------------------------


def test_the_head_units_officer_withdraws_and_a_new_draft_starts(client, opened):
    leader_signs(opened, 1)
    _as(client, opened.officer)
    assert client.get(url("withdraw", opened.pact)).status_code == 200
    response = client.post(url("withdraw", opened.pact), {"reason": "Sai tên một đơn vị"})
    old = Pact.objects.get(pk=opened.pact.pk)
    new = Pact.objects.get(previous=old)
    assert response.status_code == 302
    assert response.url == url("detail", new)
    assert (old.status, old.withdrawn_reason) == (Pact.Status.WITHDRAWN, "Sai tên một đơn vị")
    assert (new.status, new.version) == (Pact.Status.DRAFT, 2)
    assert PactSignature.objects.filter(pact=old).count() == 1
    body = client.get(response.url).content.decode()
    assert url("detail", old) in body
    body = client.get(url("detail", old)).content.decode()
    assert "Sai tên một đơn vị" in body
    assert url("detail", new) in body


def test_an_empty_reason_changes_nothing(client, opened, ministry_user):
    response = _as(client, ministry_user).post(url("withdraw", opened.pact), {"reason": "  "})
    assert response.status_code == 200
    assert "Hãy nêu lý do thu hồi." in response.content.decode()
    assert Pact.objects.get(pk=opened.pact.pk).status == Pact.Status.OPEN
    assert Pact.objects.filter(campaign=opened.campaign).count() == 1


def test_a_draft_cannot_be_withdrawn(client, draft):
    response = _as(client, draft.officer).post(url("withdraw", draft.pact), {"reason": "Thử"}, follow=True)
    assert "Chỉ thu hồi được giao ước đang mở ký." in response.content.decode()
    assert Pact.objects.get(pk=draft.pact.pk).status == Pact.Status.DRAFT


# --- query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("open_pact", [False, True])
def test_the_pact_page_issues_as_many_queries_for_200_units_as_for_10(client, open_pact):
    small = make_world(10, open_pact=open_pact, prefix="nho")
    large = make_world(200, open_pact=open_pact, prefix="lon")
    counts = []
    for world in (small, large):
        _as(client, world.leaders[1])
        client.get(url("detail", world.pact))  # the first visit of the day is audited
        counts.append(_query_count(client, url("detail", world.pact)))
    assert counts[0] == counts[1]
