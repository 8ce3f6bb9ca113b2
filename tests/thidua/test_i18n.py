import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

PO = Path(settings.BASE_DIR) / "locale/vi/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")


def test_the_default_language_is_vietnamese(client):
    response = client.get(reverse("accounts:login"))
    assert response.headers["Content-Language"] == "vi"


@pytest.mark.django_db
def test_the_english_switch_works_and_is_remembered(client, leader_user):
    client.force_login(leader_user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.url == "/"
    page = client.get("/")
    assert page.headers["Content-Language"] == "en"
    assert "Unit leader" in page.content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Lãnh đạo đơn vị" in client.get("/").content.decode()


def test_dates_are_written_day_first():
    import datetime

    with translation.override("vi"):
        assert formats.date_format(datetime.date(2018, 3, 19), "SHORT_DATE_FORMAT") == "19/03/2018"
        assert formats.date_format(datetime.date(2018, 3, 19)) == "19/03/2018"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


def test_day_first_dates_are_accepted_in_forms():
    from django import forms

    class DateForm(forms.Form):
        day = forms.DateField()

    with translation.override("vi"):
        form = DateForm({"day": "19/03/2018"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"].isoformat() == "2018-03-19"


def test_every_vietnamese_message_is_translated():
    stats = subprocess.run(
        ["msgfmt", "--statistics", "--check-format", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


def test_the_compiled_catalogue_matches_the_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(PO)], check=True)
    assert compiled.read_bytes() == MO.read_bytes(), "run `make messages` and commit locale/vi"


def test_an_english_browser_still_gets_vietnamese_until_the_switch_is_used(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()
