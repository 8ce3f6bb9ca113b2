"""A pact opened now is written in the Decree 30 format: its text and its PDF (read with pdftotext) date it
"…, ngày 19 tháng 3 năm 2018", and a deputy in charge signs "KT. CỤC TRƯỞNG / PHÓ CỤC TRƯỞNG" on the PDF and
the pages. A pact of the original format keeps its old print on the pages as on its PDF."""

import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from pacts import services
from pacts.models import Pact, PactSignature
from pacts.pdf import render_pact_pdf_bytes
from regions import services as region_services
from regions.models import Appointment
from tests.conftest import require
from tests.factories import UserFactory
from tests.pacts.factories import deputy_of, login, make_world
from tests.pacts.original_format import build_original_pact

pytestmark = pytest.mark.django_db


@pytest.fixture
def executed():
    """A pact of 19/03/2018 signed by a head, a deputy (KT.) and a deputy in charge of a Cục THADS."""
    world = make_world(3, open_pact=False, prefix="d30")
    region_services.unit_rename(
        unit=world.units[2], name="Cục Thi hành án dân sự tỉnh Quảng Trị", effective=date(2010, 1, 1)
    )
    in_charge = UserFactory(
        username="d30.phutrach", full_name="Vũ Quang Hiện", unit=world.units[2], roles=[Role.LEADER]
    )
    region_services.appointment_start(
        unit=world.units[2],
        full_name=in_charge.full_name,
        position="Phó Cục trưởng phụ trách",
        start=date(2017, 1, 1),
        kind=Appointment.Kind.DEPUTY_IN_CHARGE,
        user=in_charge,
    )
    deputy = deputy_of(world.units[1], "d30.pho")
    services.pact_update_draft(pact=world.pact, actor=world.officer, place="Quảng Bình", signed_on=date(2018, 3, 19))
    pact = services.pact_open(pact=world.pact, deadline=timezone.now() + timedelta(days=7), actor=world.officer)
    for unit, user in zip(world.units, [world.leaders[0], deputy, in_charge], strict=True):
        pact = Pact.objects.get(pk=pact.pk)
        services.pact_sign(pact=pact, unit=unit, user=user, consent=True, content_hash=pact.content_hash)
    world.pact = Pact.objects.get(pk=pact.pk)
    return world


def _pdftotext(data: bytes, tmp_path) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    path = tmp_path / "pact.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)  # noqa: S603, S607
    return result.stdout


def test_a_new_pact_is_dated_as_decree_30_writes_it(executed, tmp_path):
    pact = executed.pact
    assert pact.status == Pact.Status.EXECUTED
    assert pact.text_format == Pact.TextFormat.DECREE_30
    assert "\nQuảng Bình, ngày 19 tháng 3 năm 2018\n" in pact.content_text
    assert "tháng 03" not in pact.content_text
    text = _pdftotext(render_pact_pdf_bytes(pact), tmp_path)
    assert "Quảng Bình, ngày 19 tháng 3 năm 2018" in text
    assert "tháng 03" not in text


def test_the_deputy_in_charge_signs_kt_on_the_pdf_and_its_certificate(executed, tmp_path):
    signature = PactSignature.objects.get(pact=executed.pact, unit=executed.units[2])
    assert (signature.authority, signature.signer_position) == ("KT.", "Phó Cục trưởng phụ trách")
    text = _pdftotext(render_pact_pdf_bytes(executed.pact), tmp_path)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert any(line.endswith("KT. CỤC TRƯỞNG") for line in lines)
    assert any(line.endswith("PHÓ CỤC TRƯỞNG") for line in lines)
    assert any("KT. GIÁM ĐỐC" in line for line in lines) and any("PHÓ GIÁM ĐỐC" in line for line in lines)
    assert "Q. PHÓ" not in text and "PHỤ TRÁCH" not in text
    flat = " ".join(text.split())
    assert "Vũ Quang Hiện, Phó Cục trưởng phụ trách · Thẩm quyền: KT. CỤC TRƯỞNG / PHÓ CỤC TRƯỞNG" in flat


def test_the_pages_title_the_signatures_as_the_pdf_does(executed, client):
    page = client.get(reverse("pacts:verify", args=[executed.pact.verification_code])).content.decode()
    assert "KT. CỤC TRƯỞNG / PHÓ CỤC TRƯỞNG" in page
    assert "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" in page
    client.force_login(executed.officer)
    progress = client.get(reverse("pacts:pact_progress", args=[executed.pact.pk])).content.decode()
    assert "KT. CỤC TRƯỞNG / PHÓ CỤC TRƯỞNG" in progress


def test_the_deputy_in_charge_is_told_they_sign_kt_before_signing(client):
    world = make_world(2, prefix="d30sign")
    in_charge = UserFactory(username="d30.sign", full_name="Vũ Quang Hiện", unit=world.units[1], roles=[Role.LEADER])
    region_services.appointment_start(
        unit=world.units[1],
        full_name=in_charge.full_name,
        position="Phó Giám đốc phụ trách",
        start=date(2017, 1, 1),
        kind=Appointment.Kind.DEPUTY_IN_CHARGE,
        user=in_charge,
    )
    login(client, in_charge)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("pacts:pact_sign", args=[world.pact.pk, world.units[1].pk])).content.decode()
    assert "<strong>KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC</strong>" in page


def test_an_original_pact_keeps_its_old_print_on_the_verification_page(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pact = build_original_pact()
    page = client.get(reverse("pacts:verify", args=[pact.verification_code])).content.decode()
    assert "<td>Q.</td>" in page and "Phó Cục trưởng phụ trách" in page
    assert "KT. CỤC TRƯỞNG" not in page


def test_a_number_and_symbol_is_never_split_at_its_slash_across_two_lines(tmp_path):
    world = make_world(1, open_pact=False, prefix="d30slash")
    # In the demo's 2018 pact this line broke after "47/2005/", leaving "QH11" on the next line.
    basis = (
        "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng số 47/2005/QH11 ngày 14 tháng 6 "
        "năm 2005;"
    )
    services.pact_update_draft(pact=world.pact, actor=world.officer, bases=basis)
    pact = Pact.objects.get(pk=world.pact.pk)
    assert pact.text_format == Pact.TextFormat.DECREE_30
    text = _pdftotext(render_pact_pdf_bytes(pact, draft=True), tmp_path)
    assert "47/2005/QH11" in text
