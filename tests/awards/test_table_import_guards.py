"""The scoring-table import refuses a zip bomb beside the file field before parsing it, and shows a formula cell as
a row error."""

from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from awards.table_excel import COLUMNS
from tests.awards.factories import make_table
from tests.core.bombs import shared_strings_bomb, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_table(2024, kinds=("cuc_thads",), publish=False, name="Bảng chấm điểm Cục THADS")


def test_a_zip_bomb_is_refused_beside_the_file_field_before_the_parser_runs(client, ministry_user, draft):
    client.force_login(ministry_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with mock.patch("core.xlsx.load_workbook") as parser, translation.override("en"):
        response = client.post(
            reverse("awards:table_import", args=[draft.pk]),
            {"file": SimpleUploadedFile("bang.xlsx", shared_strings_bomb())},
        )
        errors = str(response.context["form"].errors["file"])
    parser.assert_not_called()
    assert response.status_code == 200
    assert "unpacks to more than 64 MB" in errors


def test_a_formula_cell_is_an_error_on_its_row(client, ministry_user, draft):
    client.force_login(ministry_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = [[column.heading for column in COLUMNS], [1, "Nhóm", "1.1", '=HYPERLINK("http://x")', 2, "Tiêu chí"]]
    client.post(
        reverse("awards:table_import", args=[draft.pk]), {"file": SimpleUploadedFile("b.xlsx", workbook_bytes(rows))}
    )
    with translation.override("en"):
        response = client.get(reverse("awards:table_import_preview", args=[draft.pk]))
    assert "Cell D2 holds a formula; enter its value instead." in response.content.decode()
