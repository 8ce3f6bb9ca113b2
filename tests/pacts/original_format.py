"""One executed pact signed under the original text format, built the same on every version of the code.

The pact of the fixture in ``tests/pacts/fixtures/``: its canonical text, its SHA-256 and its PDF were recorded
with the code as it stood before the Decree 30 dates (commit 67a1922), and the tests hold the current code to
them byte for byte (tests/pacts/test_original_format.py). Everything is fixed (names, dates, times, addresses,
the verification code); nothing printed depends on a database id. The rows are written directly, in the order
the evidence guards allow (a draft, then opened with its frozen text, then signed, then executed), so that the
builder needs nothing but the models and the canonical text, and runs on the old code and the new alike.

To record the fixture again from an old commit (only ever needed if the fixture is lost)::

    git worktree add /tmp/oldtree 67a1922 && cp tests/pacts/original_format.py /tmp/oldtree/tests/pacts/
    cd /tmp/oldtree && DATABASE_URL=… /work/main/.venv/bin/python -m tests.pacts.original_format OUTDIR
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
SITE_URL = "https://thiduakhenthuong.moj.gov.vn"
VERIFICATION_CODE = "GU2018-BacTrungBo-goc01"
FIXTURES = Path(__file__).parent / "fixtures"
TEXT_FILE = FIXTURES / "original_format_pact.txt"
HASH_FILE = FIXTURES / "original_format_pact.sha256"
PDF_FILE = FIXTURES / "original_format_pact.pdf"
PDF_HASH_FILE = FIXTURES / "original_format_pact.pdf.sha256"

REGION = "Cụm thi đua các tỉnh Bắc Trung Bộ"
BLOCK = "Khối Sở Tư pháp"
TITLE = "GIAO ƯỚC THI ĐUA NĂM 2018"
NUMBER = "01/GƯTĐ-CTĐBTB"
PLACE = "Đồng Hới"
SIGNED_ON = date(2018, 3, 19)
BASES = (
    "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003 và Luật sửa đổi, bổ sung một số điều "
    "của Luật Thi đua, khen thưởng ngày 16 tháng 11 năm 2013;\n"
    "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi hành "
    "một số điều của Luật Thi đua, khen thưởng;\n"
    "Căn cứ Kế hoạch phát động phong trào thi đua năm 2018 của Cụm thi đua các tỉnh Bắc Trung Bộ,"
)
PARTIES = "Các đơn vị thành viên Cụm thi đua các tỉnh Bắc Trung Bộ thống nhất ký kết giao ước thi đua như sau:"
CLAUSES = (
    "Hoàn thành xuất sắc các nhiệm vụ chính trị được giao năm 2018.",
    "Đẩy mạnh cải cách hành chính, ứng dụng công nghệ thông tin trong hoạt động của đơn vị.",
    "Thực hiện tốt công tác phổ biến, giáo dục pháp luật và trợ giúp pháp lý\ntrên địa bàn tỉnh.",
    "Xây dựng đơn vị trong sạch, vững mạnh; không có cán bộ vi phạm kỷ luật.",
)
TARGETS = (
    "100% văn bản quy phạm pháp luật được thẩm định đúng hạn.\nGiải quyết dứt điểm 95% việc có điều kiện thi hành."
)
IMPLEMENTATION = (
    "Các đơn vị thành viên tổ chức quán triệt nội dung giao ước đến toàn thể cán bộ, công chức.\n"
    "Trưởng Cụm theo dõi, tổng hợp kết quả thực hiện và báo cáo Bộ Tư pháp."
)


@dataclass(frozen=True)
class Signer:
    unit: str
    username: str
    name: str
    position: str
    authority: str  # "" head, "KT." deputy signing for the head, "Q." acting
    signed_at: datetime
    ip_address: str


SIGNERS = (
    Signer(
        "Sở Tư pháp tỉnh Quảng Bình",
        "goc.quangbinh",
        "Nguyễn Văn Hùng",
        "Giám đốc",
        "",
        datetime(2018, 3, 19, 9, 30, 17, tzinfo=VIETNAM),
        "203.162.10.21",
    ),
    Signer(
        "Sở Tư pháp tỉnh Quảng Trị",
        "goc.quangtri",
        "Trần Thị Mai",
        "Phó Giám đốc",
        "KT.",
        datetime(2018, 3, 19, 9, 41, 5, tzinfo=VIETNAM),
        "113.160.22.7",
    ),
    Signer(
        "Cục Thi hành án dân sự tỉnh Hà Tĩnh",
        "goc.hatinh",
        "Lê Đình Phúc",
        "Phó Cục trưởng phụ trách",
        "Q.",  # the old, wrong print: "Q. PHÓ CỤC TRƯỞNG PHỤ TRÁCH"
        datetime(2018, 3, 19, 9, 52, 44, tzinfo=VIETNAM),
        "2402:800:6371:12::5",
    ),
    Signer(
        "Sở Tư pháp tỉnh Thừa Thiên Huế",
        "goc.hue",
        "Phan Quốc Bảo",
        "Giám đốc",
        "",
        datetime(2018, 3, 19, 10, 4, 58, tzinfo=VIETNAM),
        "14.176.8.130",
    ),
)
OPENED_AT = datetime(2018, 3, 12, 8, 0, 0, tzinfo=VIETNAM)
EXECUTED_AT = SIGNERS[-1].signed_at


def build_original_pact():
    """Creates the executed pact (and its region, units, signers) and returns it."""
    from accounts.models import User
    from pacts.canonical import pact_canonical_text, sha256_hex
    from pacts.models import Campaign, Pact, PactClause, PactSignatory, PactSignature
    from regions.models import Region, Unit

    region = Region.objects.create(name=REGION, slug="cum-bac-trung-bo-goc")
    units = [
        Unit.objects.create(name=s.unit, kind="cuc_thads" if s.unit.startswith("Cục") else "so_tu_phap")
        for s in SIGNERS
    ]
    users = [
        User.objects.create(username=signer.username, full_name=signer.name, unit=unit)
        for signer, unit in zip(SIGNERS, units, strict=True)
    ]
    campaign = Campaign.objects.create(region=region, year=2018, title="Kế hoạch phát động phong trào thi đua năm 2018")
    pact = Pact.objects.create(
        campaign=campaign,
        block=BLOCK,
        title=TITLE,
        number=NUMBER,
        place=PLACE,
        signed_on=SIGNED_ON,
        bases=BASES,
        parties=PARTIES,
        targets=TARGETS,
        implementation=IMPLEMENTATION,
        verification_code=VERIFICATION_CODE,
    )
    for number, text in enumerate(CLAUSES, start=1):
        PactClause.objects.create(pact=pact, number=number, text=text)
    for order, unit in enumerate(units, start=1):
        PactSignatory.objects.create(pact=pact, unit=unit, unit_name=unit.name, order=order)
    fields = ["status", "content_text", "content_hash", "opened_at"]
    if any(field.name == "text_format" for field in Pact._meta.fields):
        pact.text_format = 1  # the original format, as every pact opened before Decree 30 dates
        fields.append("text_format")
    pact.content_text = pact_canonical_text(pact)
    pact.content_hash = sha256_hex(pact.content_text)
    pact.status = Pact.Status.OPEN
    pact.opened_at = OPENED_AT
    pact.save(update_fields=fields)
    for signer, unit, user in zip(SIGNERS, units, users, strict=True):
        PactSignature.objects.create(
            pact=pact,
            unit=unit,
            signer=user,
            signer_name=signer.name,
            signer_position=signer.position,
            unit_name=unit.name,
            authority=signer.authority,
            signed_at=signer.signed_at,
            ip_address=signer.ip_address,
            user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/59.0",
            content_hash=pact.content_hash,
        )
    pact.status = Pact.Status.EXECUTED
    pact.executed_at = EXECUTED_AT
    pact.save(update_fields=["status", "executed_at"])
    return Pact.objects.get(pk=pact.pk)


def render_pdf(pact) -> bytes:
    from pacts.pdf import render_pact_pdf_bytes

    return render_pact_pdf_bytes(pact, draft=False, site_url=SITE_URL)


def record(outdir: Path) -> None:
    """Builds the pact in a fresh test database and writes its text, hash and PDF to ``outdir``."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        pact = build_original_pact()
        pdf = render_pdf(pact)
        outdir.mkdir(parents=True, exist_ok=True)
        (outdir / TEXT_FILE.name).write_text(pact.content_text, encoding="utf-8")
        (outdir / HASH_FILE.name).write_text(pact.content_hash + "\n", encoding="ascii")
        (outdir / PDF_FILE.name).write_bytes(pdf)
        (outdir / PDF_HASH_FILE.name).write_text(hashlib.sha256(pdf).hexdigest() + "\n", encoding="ascii")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    django.setup()
    record(Path(sys.argv[1]))
