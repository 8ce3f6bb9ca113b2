"""The unit import refuses a zip bomb beside the file field before parsing it; a formula cell is a row error."""

from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from regions.excel import IMPORT_COLUMNS
from tests.core.bombs import shared_strings_bomb, workbook_bytes

pytestmark = pytest.mark.django_db


def test_a_zip_bomb_is_refused_beside_the_file_field_before_the_parser_runs(client, ministry_user):
    client.force_login(ministry_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with mock.patch("core.xlsx.load_workbook") as parser, translation.override("en"):
        response = client.post(
            reverse("regions:unit_import"), {"file": SimpleUploadedFile("don-vi.xlsx", shared_strings_bomb())}
        )
        errors = str(response.context["form"].errors["file"])
    parser.assert_not_called()
    assert response.status_code == 200
    assert "unpacks to more than 64 MB" in errors


def test_a_formula_cell_is_an_error_on_its_row(client, ministry_user):
    client.force_login(ministry_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = [[column.heading for column in IMPORT_COLUMNS], ["=A1&B1", "", "Sở Tư pháp"]]
    client.post(reverse("regions:unit_import"), {"file": SimpleUploadedFile("don-vi.xlsx", workbook_bytes(rows))})
    with translation.override("en"):
        response = client.get(reverse("regions:unit_import_preview"))
    assert "Cell A2 holds a formula; enter its value instead." in response.content.decode()
    assert "Enter the unit&#x27;s name." not in response.content.decode()
