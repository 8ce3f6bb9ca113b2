"""What a year-end (tổng kết) or mid-year (sơ kết) report says, drafted from the data of a region's year, or of
every region for the ministry's national roll-up: the Decree 30 header, the parts the sector's reports have,
the tables filled from the figures of reports.selectors (the same as the dashboard's), and the prose left as
clearly marked fields for the officer to write.

The document's words are Vietnamese whatever the reader's language: it is a Vietnamese administrative document.
Every string is normalised to NFC before it reaches a renderer (reports/docx.py, reports/pdf.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch
from django.utils import timezone

from awards.models import Award, ScoreSheet, Vote, VoteCount
from awards.selectors.scoring import with_totals
from core.dates import long_date, place_and_date
from core.text import nfc
from pacts.models import Campaign, Pact, Target
from pacts.selectors import pacts_with_counts
from regions.ministry import emulation_body_on
from regions.models import Region, RegionMembership, RegionTerm, UnitKind
from regions.selectors import (
    region_name_on,
    region_term_on,
    unit_name_on,
    unit_names_on,
    unit_province_on,
    with_unit_names_on,
)

from . import selectors
from .models import ReportKind
from .selectors import Scope

# The kinds of unit as the sector's reports count them (the groups of awards.selectors.reports).
GROUP_WORDS = {
    "stp": "Sở Tư pháp",
    "thads": "Cục, Chi cục THADS",
    "thads_tinh": "THADS tỉnh, Phòng THADS khu vực",
    "other": "đơn vị khác",
}
KIND_WORDS = {
    UnitKind.SO_TU_PHAP: "Sở Tư pháp",
    UnitKind.CUC_THADS: "Cục THADS",
    UnitKind.CHI_CUC_THADS: "Chi cục THADS",
    UnitKind.THADS_TINH: "THADS tỉnh",
    UnitKind.PHONG_THADS_KHU_VUC: "Phòng THADS khu vực",
    UnitKind.OTHER: "Đơn vị khác",
}
TERM_WORDS = {RegionTerm.KHU_VUC: "KHU VỰC", RegionTerm.CUM: "CỤM", RegionTerm.KHOI: "KHỐI"}
TERM_SYMBOLS = {RegionTerm.KHU_VUC: "KVTĐ", RegionTerm.CUM: "CTĐ", RegionTerm.KHOI: "KTĐ"}
STATUS_WORDS = {
    Campaign.Status.DRAFT: "đang dự thảo",
    Campaign.Status.LAUNCHED: "đã phát động",
    Campaign.Status.CLOSED: "đã kết thúc",
}
PACT_WORDS = {Pact.Status.OPEN: "đang ký", Pact.Status.EXECUTED: "đã ký đủ"}
FIELD = "[Đơn vị viết nội dung: {}]"


def field_text(what: str) -> str:
    """A prose field the officer writes: marked so that it cannot be missed, nor sent as it is."""
    return FIELD.format(what)


@dataclass(frozen=True)
class Paragraph:
    text: str
    field: bool = False  # a marked field for the officer


@dataclass(frozen=True)
class Table:
    caption: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric_from: int = 1  # the columns from this one on are numbers (aligned right)


@dataclass
class Section:
    heading: str
    blocks: list[Paragraph | Table] = field(default_factory=list)

    def say(self, text: str) -> None:
        self.blocks.append(Paragraph(nfc(text)))

    def ask(self, what: str) -> None:
        self.blocks.append(Paragraph(nfc(field_text(what)), field=True))

    def table(self, caption: str, headings, rows, numeric_from: int = 1) -> None:
        self.blocks.append(
            Table(
                nfc(caption),
                tuple(nfc(h) for h in headings),
                tuple(tuple(nfc(str(cell)) for cell in row) for row in rows),
                numeric_from,
            )
        )


@dataclass
class ReportDocument:
    parent_body: str
    issuing_body: str
    number: str
    date_line: str
    kind_word: str  # "BÁO CÁO"
    title: str
    subject: str
    sections: list[Section]
    signer_title: tuple[str, ...]
    recipients: tuple[str, ...]
    file_stem: str

    def text(self) -> str:
        """Every word of the document, in order (the tests and the docx's text compare to it)."""
        lines = [self.parent_body, self.issuing_body, self.number, self.date_line, self.kind_word, self.title]
        lines.append(self.subject)
        for section in self.sections:
            lines.append(section.heading)
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    lines.append(block.text)
                else:
                    lines += [block.caption, " | ".join(block.headings), *(" | ".join(row) for row in block.rows)]
        return "\n".join(line for line in lines if line)


def place_name(province: str) -> str:
    """The place of the date line as documents write it: "Lâm Đồng" for "tỉnh Lâm Đồng", "Thành phố Hồ Chí Minh"."""
    words = province.strip()
    lowered = words.casefold()
    if lowered.startswith("tỉnh "):
        return words[5:]
    if lowered.startswith("thành phố "):
        rest = words[10:]
        return f"Thành phố {rest}" if rest == "Hồ Chí Minh" else rest
    return words


def points(value) -> str:
    """Points with a decimal comma, as Vietnamese documents write them: "92,50"."""
    return f"{value:.2f}".replace(".", ",")


def report_day(year: int, kind: str, today: date | None = None) -> date:
    """The day of the report: the last day of the period it covers, or today while the period runs."""
    end = date(year, 6, 30) if kind == ReportKind.MID_YEAR else date(year, 12, 31)
    return min(end, today or timezone.localdate())


def _period(year: int, kind: str) -> str:
    return f"6 tháng đầu năm {year}" if kind == ReportKind.MID_YEAR else f"năm {year}"


def _title(year: int, kind: str) -> str:
    verb = "Sơ kết" if kind == ReportKind.MID_YEAR else "Tổng kết"
    return f"{verb} công tác thi đua, khen thưởng {_period(year, kind)}"


def report_document(region: Region | None, year: int, kind: str, *, today: date | None = None) -> ReportDocument:
    """The report of ``region``'s year, or (``region`` None) the national roll-up merging every region's figures."""
    day = report_day(year, kind, today)
    scope = Scope(year, None if region is None else (region.pk,))
    figures = selectors.dashboard(scope, today=day, nudge_limit=None)
    if region is None:
        body = emulation_body_on(day)
        parent, issuer, symbol, place = "BỘ TƯ PHÁP", body.name, "BC-BTP", "Hà Nội"
        subject = "của các khu vực, cụm, khối thi đua ngành Tư pháp"
        signer = ("TL. BỘ TRƯỞNG", f"{body.name.upper()}")
        stem = f"bao-cao-{kind}-{year}-toan-quoc"
        recipients = ("- Lãnh đạo Bộ (để báo cáo);", "- Hội đồng Thi đua - Khen thưởng Bộ;", "- Lưu: VT.")
    else:
        head = selectors.head_unit(region, year)
        term = region_term_on(region, day)
        parent = region_name_on(region, day)
        issuer = unit_name_on(head, day) if head else parent
        province = unit_province_on(head, day) if head else None
        place = place_name(province.name) if province else "……"
        symbol = f"BC-{TERM_SYMBOLS.get(term, 'KVTĐ')}"
        subject = f"của {parent}"
        signer = (f"TM. {TERM_WORDS.get(term, 'KHU VỰC')} THI ĐUA", f"TRƯỞNG {TERM_WORDS.get(term, 'KHU VỰC')}")
        stem = f"bao-cao-{kind}-{year}-{region.slug}"
        body_name = emulation_body_on(day).full_name
        recipients = (f"- {body_name} (để báo cáo);", "- Các đơn vị thành viên;", "- Lưu: VT.")
        if parent == issuer:
            parent = ""
    sections = [
        _deployment(region, year, day, figures),
        _pacts(region, year, figures),
        _targets(region, year),
        _registrations(figures),
        _scoring(region, year, day, figures, kind),
        _proposals(),
    ]
    return ReportDocument(
        parent_body=nfc(parent),
        issuing_body=nfc(issuer),
        number=nfc(f"Số: ……/{symbol}"),
        date_line=nfc(place_and_date(place, day)),
        kind_word="BÁO CÁO",
        title=nfc(_title(year, kind)),
        subject=nfc(subject),
        sections=sections,
        signer_title=tuple(nfc(line) for line in signer),
        recipients=tuple(nfc(line) for line in recipients),
        file_stem=stem,
    )


def _deployment(region, year: int, day: date, figures: selectors.Dashboard) -> Section:
    section = Section("I. TÌNH HÌNH TRIỂN KHAI")
    members = figures.state
    if region is None:
        section.say(
            f"Năm {year}, ngành Tư pháp có {members.regions} khu vực, cụm, khối thi đua với {members.units} đơn vị "
            f"thành viên; {members.campaigns} khu vực đã có kế hoạch phát động phong trào thi đua"
            + (f", {members.without_campaign} khu vực chưa có." if members.without_campaign else ".")
        )
        section.table(
            "Bảng 1. Số liệu của các khu vực, cụm, khối thi đua",
            (
                "Khu vực, cụm, khối",
                "Đơn vị",
                "Lượt ký/Tổng",
                "Đăng ký danh hiệu",
                "Bảng điểm đã gửi",
                "Đã thẩm định",
                "Cuộc suy tôn",
                "Được khen thưởng",
            ),
            [
                (
                    row.name,
                    row.units,
                    f"{row.signed}/{row.slots}",
                    row.registered,
                    row.sheets_sent + row.sheets_reviewed,
                    row.sheets_reviewed,
                    row.votes,
                    row.awarded,
                )
                for row in figures.regions
            ]
            + [
                (
                    "Tổng cộng",
                    sum(r.units for r in figures.regions),
                    f"{sum(r.signed for r in figures.regions)}/{sum(r.slots for r in figures.regions)}",
                    sum(r.registered for r in figures.regions),
                    sum(r.sheets_sent + r.sheets_reviewed for r in figures.regions),
                    sum(r.sheets_reviewed for r in figures.regions),
                    sum(r.votes for r in figures.regions),
                    sum(r.awarded for r in figures.regions),
                )
            ],
        )
    else:
        kinds = _kinds_of_members(region, year)
        detail = ", ".join(f"{n} {KIND_WORDS.get(kind, kind)}" for kind, n in kinds)
        section.say(f"Năm {year}, khu vực có {members.units} đơn vị thành viên" + (f" ({detail})." if detail else "."))
        campaign = (
            Campaign.objects.filter(region=region, year=year)
            .select_related("conference_host")
            .prefetch_related("movements", "phases")
            .first()
        )
        if campaign is None:
            section.say(f"Khu vực chưa có kế hoạch phát động phong trào thi đua năm {year} trên Cổng thông tin.")
        else:
            facts = f"Kế hoạch “{campaign.title}” ({STATUS_WORDS.get(campaign.status, campaign.status)})"
            if campaign.conference_date:
                facts += (
                    f"; Hội nghị phát động và ký kết giao ước thi đua tổ chức {long_date(campaign.conference_date)}"
                )
                if campaign.conference_place:
                    facts += f" tại {campaign.conference_place}"
                if campaign.conference_host_id:
                    facts += f", do {unit_name_on(campaign.conference_host, campaign.conference_date)} đăng cai"
            section.say(facts + ".")
            movements = list(campaign.movements.all())
            if movements:
                section.say("Các phong trào thi đua được phát động:")
                for number, movement in enumerate(movements, start=1):
                    section.say(f"{number}. {movement.name}")
            for phase in campaign.phases.all():
                section.say(f"{phase.name}: từ {phase.start:%d/%m/%Y} đến {phase.end:%d/%m/%Y}.")
    section.ask(
        "công tác quán triệt, phát động phong trào thi đua, các hình thức tổ chức thực hiện và những điểm nổi bật"
    )
    return section


def _kinds_of_members(region: Region, year: int) -> list[tuple[str, int]]:
    rows = (
        RegionMembership.objects.filter(region=region, year=year)
        .values_list("unit__kind")
        .annotate(n=Count("pk"))
        .values_list("unit__kind", "n")
    )
    order = {kind: n for n, kind in enumerate(UnitKind.values)}
    return sorted(rows, key=lambda row: order.get(row[0], 99))


def _pacts(region, year: int, figures: selectors.Dashboard) -> Section:
    section = Section("II. KẾT QUẢ KÝ KẾT GIAO ƯỚC THI ĐUA")
    signing = figures.signing
    section.say(
        f"Có {signing.pacts_executed + signing.pacts_open} giao ước thi đua được mở để ký "
        f"({signing.pacts_executed} đã ký đủ, {signing.pacts_open} đang ký); {signing.signed}/{signing.slots} lượt "
        f"đơn vị đã ký ({signing.percent}%), {signing.pending} lượt chưa ký."
    )
    if region is not None:
        pacts = _region_pacts(region, year)
        if pacts:
            section.table(
                "Bảng 2. Giao ước thi đua",
                ("Giao ước", "Tình trạng", "Đơn vị tham gia", "Đã ký", "Ngày ký đủ"),
                pacts,
                numeric_from=2,
            )
    section.ask("nhận xét việc ký kết và thực hiện giao ước thi đua")
    return section


def _region_pacts(region: Region, year: int) -> list[tuple]:
    pacts = pacts_with_counts(
        Pact.objects.filter(campaign__region=region, campaign__year=year, status__in=selectors.SIGNING_PACTS)
    ).order_by("block", "-version")
    return [
        (
            f"{pact.title} ({pact.block})" if pact.block else pact.title,
            PACT_WORDS.get(pact.status, pact.status),
            pact.slot_count,
            pact.signature_count,
            f"{timezone.localtime(pact.executed_at):%d/%m/%Y}" if pact.executed_at else "—",
        )
        for pact in pacts
    ]


def _targets(region, year: int) -> Section:
    section = Section("III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
    if region is not None:
        targets = list(Target.objects.filter(campaign__region=region, campaign__year=year).order_by("number"))
        if targets:
            section.table(
                "Bảng 3. Chỉ tiêu thi đua và kết quả thực hiện",
                ("STT", "Chỉ tiêu", "Đối tượng", "Kết quả thực hiện"),
                [
                    (
                        target.number,
                        target.text,
                        KIND_WORDS.get(target.unit_kind, "Tất cả đơn vị") if target.unit_kind else "Tất cả đơn vị",
                        "[Đơn vị ghi kết quả]",
                    )
                    for target in targets
                ],
                numeric_from=99,
            )
        else:
            section.say("Kế hoạch của khu vực trên Cổng thông tin không ghi chỉ tiêu.")
    section.ask("kết quả thực hiện các chỉ tiêu, nhiệm vụ trọng tâm, so sánh với năm trước")
    return section


def _registrations(figures: selectors.Dashboard) -> Section:
    section = Section("IV. ĐĂNG KÝ VÀ BÌNH XÉT DANH HIỆU THI ĐUA")
    found = figures.registrations
    if not found.rows:
        section.say("Chưa có đơn vị đăng ký danh hiệu thi đua trên Cổng thông tin.")
    for row in found.rows:
        parts = ", ".join(
            f"{row.counts[code]} {GROUP_WORDS.get(code, code)}" for code, _label in found.groups if row.counts.get(code)
        )
        section.say(f"Danh hiệu “{row.name}”: {row.total} đơn vị đăng ký ({parts}).")
    if found.rows:
        section.table(
            "Bảng 4. Đăng ký danh hiệu thi đua theo loại đơn vị",
            ("Danh hiệu", *(GROUP_WORDS.get(code, code) for code, _label in found.groups), "Tổng số"),
            [(row.name, *(row.counts.get(code, 0) for code, _label in found.groups), row.total) for row in found.rows]
            + [("Tổng cộng", *(found.group_total(code) for code, _label in found.groups), found.total)],
        )
    section.ask("việc bình xét, đánh giá các đơn vị đăng ký danh hiệu")
    return section


def _scoring(region, year: int, day: date, figures: selectors.Dashboard, kind: str) -> Section:
    section = Section("V. KẾT QUẢ CHẤM ĐIỂM VÀ SUY TÔN")
    scoring = figures.scoring
    sent = scoring.count("submitted") + scoring.count("reviewed")
    section.say(
        f"Có {sent} đơn vị gửi bảng tự chấm điểm, trong đó {scoring.count('reviewed')} bảng đã được thẩm định; "
        f"{scoring.count('draft')} bảng đang chấm chưa gửi."
    )
    if region is not None:
        ranking = _ranking(region, year, day)
        if ranking:
            section.table(
                "Bảng 5. Kết quả chấm điểm",
                ("Thứ tự", "Đơn vị", "Điểm tự chấm", "Điểm thẩm định", "Tình trạng"),
                ranking,
                numeric_from=2,
            )
        votes = _votes(region, year, day)
        if votes:
            section.table(
                "Bảng 6. Kết quả suy tôn",
                ("Danh hiệu", "Khối", "Ngày", "Số phiếu", "Đơn vị được suy tôn"),
                votes,
                numeric_from=3,
            )
        awards = _awards(region, year)
        if awards:
            section.table("Bảng 7. Khen thưởng", ("Đơn vị", "Danh hiệu", "Quyết định"), awards, numeric_from=99)
    outcome = figures.outcomes
    section.say(
        f"Có {outcome.votes} cuộc suy tôn, đề nghị {outcome.proposed} đơn vị; {outcome.awarded} đơn vị được khen "
        f"thưởng theo {outcome.decisions} quyết định."
    )
    if region is None and outcome.awards:
        section.table(
            "Bảng 5. Khen thưởng theo danh hiệu",
            ("Danh hiệu", "Số đơn vị"),
            [(pair.label, pair.value) for pair in outcome.awards],
        )
    if kind == ReportKind.MID_YEAR:
        section.say("Việc chấm điểm, suy tôn và khen thưởng được thực hiện khi tổng kết năm.")
    section.ask("nhận xét kết quả chấm điểm, suy tôn và khen thưởng")
    return section


def _ranking(region: Region, year: int, day: date) -> list[tuple]:
    sheets = with_totals(
        ScoreSheet.objects.filter(
            table__year=year, unit__memberships__region=region, unit__memberships__year=year
        ).exclude(status=ScoreSheet.Status.DRAFT)
    )
    sheets = with_unit_names_on(sheets, day, unit_path="unit").order_by("-final_total", "name_on_day")
    words = {"submitted": "Chưa thẩm định", "reviewed": "Đã thẩm định"}
    return [
        (number, sheet.name_on_day, points(sheet.self_total), points(sheet.final_total), words.get(sheet.status, ""))
        for number, sheet in enumerate(sheets, start=1)
    ]


def _votes(region: Region, year: int, day: date) -> list[tuple]:
    counts = Prefetch("counts", queryset=VoteCount.objects.select_related("registration").order_by("-votes_for"))
    votes = Vote.objects.filter(campaign__region=region, campaign__year=year).select_related("title")
    votes = list(votes.prefetch_related(counts).order_by("title__position", "block"))
    unit_ids = {count.registration.unit_id for vote in votes for count in vote.counts.all()}
    names = unit_names_on(unit_ids, day) if unit_ids else {}
    rows = []
    for vote in votes:
        chosen = vote.proposed_registration_ids()
        elected = [
            f"{names.get(count.registration.unit_id, '')} ({count.votes_for}/{vote.ballots_cast} phiếu)"
            for count in vote.counts.all()
            if count.registration_id in chosen
        ]
        rows.append(
            (
                vote.title.name,
                vote.block or "Toàn khu vực",
                f"{vote.held_on:%d/%m/%Y}",
                vote.ballots_cast,
                "; ".join(elected),
            )
        )
    return rows


def _awards(region: Region, year: int) -> list[tuple]:
    awards = Award.objects.filter(
        year=year, unit__memberships__region=region, unit__memberships__year=year
    ).select_related("title", "decision")
    return [
        (award.recipient_name, award.title.name, f"{award.decision.number} ngày {award.decision.signed_on:%d/%m/%Y}")
        for award in awards.order_by("title__position", "recipient_name")
    ]


def _proposals() -> Section:
    section = Section("VI. PHƯƠNG HƯỚNG, ĐỀ XUẤT, KIẾN NGHỊ")
    section.ask("phương hướng, nhiệm vụ thời gian tới; đề xuất, kiến nghị với Bộ Tư pháp")
    return section
