"""The Vietnamese catalogue speaks as the sector writes (docs/TERMS.md): one term for each thing, "đồng chí"
when a person is addressed, and every translation keeps its English string's placeholders and markup.

Each test reads locale/vi/LC_MESSAGES/django.po and lists every offending entry, so one run shows all of them.
"""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES"

# Placeholders a translation must carry unchanged: printf-style (named and positional), str.format fields,
# and HTML tags. "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdifr]|%[sdifr]|\{[A-Za-z_][A-Za-z0-9_]*\}|\{\d*\}|</?[A-Za-z][^<>]*>")

# "bạn" reads informal to a civil servant: a person is addressed as "đồng chí", or the sentence is impersonal
# ("Vui lòng …"). "anh/chị" and "quý vị" are other forms of address the portal does not use. Compounds
# where "bạn" is not a form of address are allowed.
ADDRESS = re.compile(r"\b(bạn|anh/chị|quý vị)\b", re.IGNORECASE)
NOT_ADDRESS = re.compile(r"\bbạn (đọc|bè)\b|\bkết bạn\b", re.IGNORECASE)

# "Khu vực (thi đua)" is a common noun: a capital only where a sentence, a label or a quoted name begins.
REGION_MID_SENTENCE = re.compile(r"(?<!^)(?<![.!?]\s)(?<!\n)(?<![“\"])(?<!ví dụ: )Khu vực")

# Variants that name something the catalogue calls otherwise (docs/TERMS.md): (id, pattern, the term to use).
BANNED_VARIANTS = [
    ("verification-code", r"mã xác minh", "the code is “mã xác thực” (as printed on the PDF); checking is “xác minh”"),
    ("registration", r"đăng ký thi đua", "a registration is “đăng ký danh hiệu”"),
    ("draft", r"\bnháp\b", "a draft is “dự thảo”"),
    ("queued", r"xếp hàng", "a queued e-mail or job is “đưa vào hàng đợi”"),
    ("executed", r"ký kết xong", "an executed pact has “hoàn tất ký kết”"),
    ("not-every-unit", r"chưa phải tất cả", "say “còn đơn vị chưa ký”"),
    ("launch-draft", r"thì được phát động", "say “Chỉ phát động được kế hoạch dự thảo…”"),
    ("steps", r"Bước \d trên \d", "steps are written “Bước 1/2”"),
]


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(LOCALE / "django.po"))


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [text for _, text in sorted(entry.msgstr_plural.items())]
    return [entry.msgstr]


def _offenders(catalogue: polib.POFile, offends) -> list[str]:
    return [
        f"{entry.msgid!r} -> {text!r}"
        for entry in catalogue
        if not entry.obsolete
        for text in _translations(entry)
        if offends(entry, text)
    ]


def test_every_string_is_translated_and_none_is_fuzzy(catalogue):
    assert catalogue.metadata["Plural-Forms"].startswith("nplurals=1;")
    missing = [entry.msgid for entry in catalogue if not entry.obsolete and not all(_translations(entry))]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    assert not missing, f"untranslated: {missing}"
    assert not fuzzy, f"fuzzy (not used by Django until reviewed): {fuzzy}"


def test_plural_entries_have_the_one_form_of_vietnamese(catalogue):
    wrong = [entry.msgid for entry in catalogue if entry.msgid_plural and sorted(entry.msgstr_plural) != [0]]
    assert not wrong, f"Vietnamese has one plural form (msgstr[0] only): {wrong}"


def test_every_translation_keeps_the_placeholders_and_markup_of_its_msgid(catalogue):
    def differs(entry, text):
        source = entry.msgid_plural or entry.msgid
        return Counter(PLACEHOLDER.findall(text)) != Counter(PLACEHOLDER.findall(source))

    offenders = _offenders(catalogue, differs)
    assert not offenders, "placeholders or HTML changed:\n" + "\n".join(offenders)


def test_a_person_is_addressed_as_đồng_chí_never_bạn(catalogue):
    offenders = _offenders(catalogue, lambda entry, text: ADDRESS.search(NOT_ADDRESS.sub("", text)))
    assert not offenders, "use “đồng chí” or an impersonal phrasing:\n" + "\n".join(offenders)


def test_ballots_cast_are_phiếu_thu_về_not_ballots_handed_out(catalogue):
    def handed_out(entry, text):
        return "phiếu phát ra" in text.lower() and not re.search(
            r"ballots? (issued|handed out|given out)", entry.msgid, re.IGNORECASE
        )

    offenders = _offenders(catalogue, handed_out)
    assert not offenders, "“phiếu phát ra” means ballots handed out; cast = “phiếu thu về”:\n" + "\n".join(offenders)
    cast = [entry for entry in catalogue if "ballots cast" in entry.msgid.lower()]
    assert cast, "the catalogue should still speak of ballots cast"
    assert all("phiếu thu về" in text for entry in cast for text in _translations(entry))


def test_khu_vực_is_lower_case_mid_sentence(catalogue):
    offenders = _offenders(catalogue, lambda entry, text: REGION_MID_SENTENCE.search(text))
    assert not offenders, "write “khu vực (thi đua)” mid-sentence:\n" + "\n".join(offenders)


def test_a_leader_signs_for_the_unit_not_thay_mặt(catalogue):
    # "TM." (thay mặt) is the prefix of a collective body (a council, a committee): a unit's leader signs as its
    # head ("với tư cách lãnh đạo …", "ký cho đơn vị"). Only a string about that prefix may say "thay mặt".
    offenders = _offenders(catalogue, lambda entry, text: "thay mặt" in text.lower() and "TM." not in entry.msgid)
    assert not offenders, "a unit's leader does not sign “thay mặt”:\n" + "\n".join(offenders)


@pytest.mark.parametrize(("pattern", "use"), [v[1:] for v in BANNED_VARIANTS], ids=[v[0] for v in BANNED_VARIANTS])
def test_one_term_for_each_thing(catalogue, pattern, use):
    offenders = _offenders(catalogue, lambda entry, text: re.search(pattern, text, re.IGNORECASE))
    assert not offenders, f"{use}:\n" + "\n".join(offenders)


def test_the_compiled_catalogue_matches_the_po_file(catalogue):
    compiled = polib.mofile(str(LOCALE / "django.mo"))
    translated = {(entry.msgctxt, entry.msgid): _translations(entry) for entry in compiled}
    stale = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and "fuzzy" not in entry.flags
        and translated.get((entry.msgctxt, entry.msgid)) != _translations(entry)
    ]
    assert not stale, f"django.mo is out of date (run compilemessages): {stale[:10]}"


def test_the_checks_catch_what_they_are_for():
    """The patterns above match the wording they forbid, and leave alone what is right."""
    assert ADDRESS.search("Tài khoản của bạn chưa được phân quyền.")
    assert ADDRESS.search("Bạn chưa ký giao ước nào.")
    assert not ADDRESS.search(NOT_ADDRESS.sub("", "Tài liệu dành cho bạn đọc."))
    assert not ADDRESS.search("Đồng chí chưa ký giao ước nào.")
    assert REGION_MID_SENTENCE.search("Đã gửi cho Khu vực thi đua.")
    assert not REGION_MID_SENTENCE.search("Khu vực thi đua trả lại. Khu vực đã có kế hoạch.")
    assert not REGION_MID_SENTENCE.search("ví dụ: Khu vực thi đua miền Đông Nam bộ")
    assert Counter(PLACEHOLDER.findall("%(unit)s <code>%s</code> {n}")) == Counter(
        ["%(unit)s", "<code>", "%s", "</code>", "{n}"]
    )
    assert not PLACEHOLDER.findall("100%% các đơn vị")
