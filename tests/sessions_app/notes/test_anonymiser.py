"""Tests for sessions_app.notes.anonymiser: personal data in session notes is found and redacted.

No database. Tests that need Voikko skip when libvoikko/voikko-fi are missing, or fail when
FOORUMIX_REQUIRE_SERVICES=1. Name tests marked with the ``mode`` fixture run twice: with
Voikko and with the stem-based fallback (Voikko switched off with ``voikko.enabled``).
"""

import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from stdnum.fi import hetu as stdnum_hetu

from sessions_app.notes import anonymiser as anonymise
from sessions_app.notes.anonymiser import (
    PLACEHOLDERS,
    Finding,
    find_personal_data,
    redact,
    structured,
)
from sessions_app.notes.anonymiser import voikko as voikko_module
from tests.sessions_app.notes.anonymise_corpus import CORPUS, HOLDOUT, MEMBERS


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """The project conftest's autouse fixture needs Django settings; these tests need none."""


def found(text, names=MEMBERS):
    return [(f.kind, f.text) for f in find_personal_data(text, names)]


# --------------------------------------------------------------------------- members


def test_inflected_member_first_name_is_found(mode):
    assert found("Annoimme Liisalle tukea ja Liisan kanssa sovittiin, mitä Liisasta tuntui.") == [
        ("member", "Liisalle"),
        ("member", "Liisan"),
        ("member", "Liisasta"),
    ]


def test_member_first_name_with_consonant_gradation_is_found(mode):
    assert found("Mikon tiimi kiitti, Pekalta tuli kysymys ja Mikolle vastattiin.") == [
        ("member", "Mikon"),
        ("member", "Pekalta"),
        ("member", "Mikolle"),
    ]


def test_inflected_member_surname_is_found(mode):
    text = "Virtaselle, Niemiselle ja Lehtosen tiimille lähti viesti Korhosen kautta."
    assert find_personal_data(text, MEMBERS) == [
        Finding(0, 10, "member", "Virtaselle"),
        Finding(12, 22, "member", "Niemiselle"),
        Finding(26, 34, "member", "Lehtosen"),
        Finding(57, 65, "member", "Korhosen"),
    ]


def test_double_first_name_inflects_as_one_member_name(mode):
    assert found("Sovimme, että Anna-Maijan kokemuksista puhutaan.") == [("member", "Anna-Maijan")]


def test_member_name_with_clitic_is_found(mode):
    assert found("Pekkakin oli huomannut saman, samoin Virtasellekin.") == [
        ("member", "Pekkakin"),
        ("member", "Virtasellekin"),
    ]


def test_member_full_name_gives_one_finding_per_word(mode):
    assert find_personal_data("Kiitos, Liisa Virtanen!", MEMBERS) == [
        Finding(8, 13, "member", "Liisa"),
        Finding(14, 22, "member", "Virtanen"),
    ]


def test_member_name_in_english_text_excludes_the_possessive(mode):
    text = "Liisa said that Mikko's team is tired."
    assert find_personal_data(text, MEMBERS) == [
        Finding(0, 5, "member", "Liisa"),
        Finding(16, 21, "member", "Mikko"),
    ]


def test_member_given_as_single_name_is_found(mode):
    assert found("Heta sanoi, että Hedan tiimi on väsynyt.", ["Heta"]) == [
        ("member", "Heta"),
        ("member", "Hedan"),
    ]


def test_member_names_given_surname_first_still_pair_up(mode):
    assert found("Kiitos, Liisa Virtanen!", ["Virtanen Liisa"]) == [
        ("member", "Liisa"),
        ("member", "Virtanen"),
    ]


def test_member_known_by_first_name_only_takes_the_surname_with_it(mode):
    assert found("Liisa Virtanen ja Mikko Nieminen kertoivat.", ["Liisa"]) == [
        ("member", "Liisa"),
        ("member", "Virtanen"),
        ("person", "Mikko"),
        ("person", "Nieminen"),
    ]


def test_member_surname_used_by_somebody_else_with_another_first_name_is_a_person(voikko):
    assert found("Jukka Lehtonen henkilöstöhallinnosta soitti Pekalle.") == [
        ("person", "Jukka"),
        ("person", "Lehtonen"),
        ("member", "Pekalle"),
    ]


def test_member_surname_that_is_a_town_in_an_inner_case_is_not_flagged(voikko):
    assert found("Salossa järjestetään koulutus, ja Salolle jäi sen suunnittelu.") == [
        ("member", "Salolle"),
    ]


def test_lowercase_member_name_is_found_only_when_it_is_no_ordinary_word(voikko):
    names = ["Liisa Virtanen", "Onni Mäkelä"]
    assert found("kerroin liisalle, että meillä kävi onni.", names) == [("member", "liisalle")]


# --------------------------------------------------------------------------- other people


def test_non_member_names_are_persons(voikko):
    assert found("Annoin palautetta Kirsille. Keskustelin alaiseni Sannan kanssa.") == [
        ("person", "Kirsille"),
        ("person", "Sannan"),
    ]


def test_english_non_member_full_name_after_cue_is_a_person(voikko):
    assert found("My employee John Smith has been on sick leave.") == [
        ("person", "John"),
        ("person", "Smith"),
    ]


def test_unknown_foreign_name_after_a_cue_word_is_a_person(voikko):
    assert found("Kollegani Priyan kanssa puhuttiin siirrosta.") == [("person", "Priyan")]


def test_ambiguous_name_at_sentence_start_is_a_person_with_a_speech_verb(voikko):
    assert found("Satu kertoi, että esihenkilö vaihtui.") == [("person", "Satu")]


def test_colloquial_surname_first_order_is_one_person(voikko):
    assert found("Tapasin Niemisen Kallen käytävällä.", ["Liisa Virtanen"]) == [
        ("person", "Niemisen"),
        ("person", "Kallen"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Into oli kova, mutta resurssit loppuivat.",
        "Tuuli kääntyi, kun johto kuunteli.",
        "Toivo paremmasta auttaa jaksamaan.",
        "Onneksi työterveyshuolto reagoi nopeasti.",
        "Aino vaihtoehto oli siirtää keskustelut syksyyn.",
        "Jokainen kertoi, mikä kuormittaa.",
        "Aina ei tarvitse olla vahva.",
        "Pian selviää, jatkuuko sopimus.",
    ],
)
def test_ordinary_word_at_sentence_start_is_not_flagged(mode, text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Meillä kävi onni, kun rekrytointi onnistui.",
        "Sovittiin, että toivo paremmasta kantaa.",
        "Into työhön on hiipunut.",
        "Kaikki oli kuin satu, kunnes tuuli kääntyi.",
        "Hän on tiimin helmi ja aino oikea valinta.",
    ],
)
def test_ordinary_word_onni_toivo_satu_tuuli_helmi_into_aino_is_not_flagged(mode, text):
    assert found(text, [*MEMBERS, "Onni Mäki", "Satu Tuuli"]) == []


def test_places_organisations_months_and_weekdays_are_not_flagged(mode):
    text = (
        "Maanantaina maaliskuussa Helsingissä, Tampereella ja Porissa: Kela, SAMK, "
        "Esimerkki Oy ja Mallikunta. In May on Monday the office in Helsinki closed."
    )
    assert found(text) == []


# --------------------------------------------------------------------------- structured data


def test_email_is_found_and_a_name_inside_it_is_not_reported_separately(mode):
    text = "Kirjoita osoitteeseen liisa.virtanen@mallikunta.fi."
    assert find_personal_data(text, MEMBERS) == [
        Finding(22, 50, "email", "liisa.virtanen@mallikunta.fi")
    ]


@pytest.mark.parametrize(
    "number", ["040 123 4567", "040-1234567", "0401234567", "+358 40 123 4567", "09 1234 5678"]
)
def test_finnish_phone_number_formats_are_found(number):
    assert found(f"Numero on {number}, soita iltaisin.") == [("phone", number)]


def test_international_phone_number_is_found():
    assert find_personal_data("Call +44 20 7946 0958 today.", []) == [
        Finding(5, 21, "phone", "+44 20 7946 0958")
    ]


def test_dates_times_amounts_and_years_are_not_flagged():
    text = (
        "Tapaaminen 12.3.2025 klo 13.15, seuraava 2025-03-12 13:00. Budjetti 1 200 € ja "
        "15 %, vuonna 2024, postinumero 00100, kesto 90 minuuttia, ma–pe klo 8.00–15.30."
    )
    assert found(text) == []


@pytest.mark.parametrize("code", ["131052-308T", "101010+3457", "020304A123P"])
def test_hetu_with_old_century_separator_is_found(code):
    assert found(f"Tunnus {code} oli liitteessä.") == [("hetu", code)]


@pytest.mark.parametrize(
    "code", ["010594Y123W", "230690X1270", "311299U512R", "150311D234F", "050100B3721"]
)
def test_hetu_with_2023_century_separator_is_found(code):
    assert found(f"Tunnus {code} oli liitteessä.") == [("hetu", code)]


@pytest.mark.parametrize("code", ["131052-308U", "010594Y123X", "150311D234E"])
def test_hetu_with_invalid_checksum_is_not_flagged(code):
    assert found(f"Tunnus {code} oli liitteessä.") == []


def test_hetu_with_impossible_date_is_not_flagged():
    # 31 February, with the checksum the digits would otherwise have.
    assert found("Tunnus 310252-308Y ei ole oikea.") == []


def test_temporary_hetu_is_found_too():
    # Individual numbers 900-999 are temporary codes; they still identify a person.
    assert found("Väliaikainen tunnus 010594Y9032.") == [("hetu", "010594Y9032")]


def test_hetu_validation_agrees_with_python_stdnum():
    codes = ["131052-308T", "010594Y123W", "150311D234F", "010594Y9032", "131052-308U"]
    for code in [*codes, "310252-308Y", "131052-001X"]:
        match = structured._HETU_RE.fullmatch(code)
        assert structured._valid_hetu(match) == stdnum_hetu.is_valid(code, allow_temporary=True)


def test_iban_with_and_without_spaces_is_found():
    text = "Tilit FI21 1234 5600 0007 85 ja FI4610253000123456 sekä DE89 3704 0044 0532 0130 00."
    assert find_personal_data(text, []) == [
        Finding(6, 28, "iban", "FI21 1234 5600 0007 85"),
        Finding(32, 50, "iban", "FI4610253000123456"),
        Finding(56, 83, "iban", "DE89 3704 0044 0532 0130 00"),
    ]


def test_iban_with_wrong_check_digits_is_not_flagged():
    assert found("Tili FI21 1234 5600 0007 86 on väärin.") == []


def test_iban_followed_by_capitals_keeps_only_the_iban():
    assert found("Tili FI21 1234 5600 0007 85 OK KIITOS") == [("iban", "FI21 1234 5600 0007 85")]


def test_iban_and_hetu_digits_are_not_read_as_phone_numbers():
    assert [k for k, _ in found("FI2112345600000785 ja 131052-308T")] == ["iban", "hetu"]


# --------------------------------------------------------------------------- redact


def test_redact_replaces_each_finding_with_its_placeholder(mode):
    text = "Liisalle soitti Jukka Lehtonen numerosta 040 123 4567 (jukka@example.fi)."
    assert redact(text, find_personal_data(text, MEMBERS)) == (
        "[jäsen] soitti [henkilö] [henkilö] numerosta [puhelin] ([sähköposti])."
    )


def test_redact_uses_hetu_and_iban_placeholders():
    text = "Tunnus 131052-308T, tili FI21 1234 5600 0007 85."
    assert (
        redact(text, find_personal_data(text, [])) == "Tunnus [henkilötunnus], tili [tilinumero]."
    )


def test_redact_merges_overlapping_findings_so_nothing_leaks():
    text = "abc Liisa Virtanen def"
    findings = [Finding(4, 9, "member", "Liisa"), Finding(6, 18, "person", "isa Virtanen")]
    assert redact(text, findings) == "abc [jäsen] def"


def test_redact_without_findings_returns_the_text():
    assert redact("Ei mitään.", []) == "Ei mitään."


def test_placeholders_cover_every_kind():
    assert set(PLACEHOLDERS) == {"member", "person", "phone", "email", "hetu", "iban"}


# --------------------------------------------------------------------------- contract


def test_findings_are_sorted_non_overlapping_and_match_the_text(mode):
    text = "\n".join(t for t, _ in CORPUS + HOLDOUT)
    findings = find_personal_data(text, MEMBERS)
    assert findings
    for previous, current in zip(findings, findings[1:], strict=False):
        assert previous.end <= current.start
    for f in findings:
        assert f.text == text[f.start : f.end] and f.kind in PLACEHOLDERS


def test_empty_text_and_no_members_give_no_member_findings(mode):
    assert find_personal_data("", MEMBERS) == []
    assert found("Liisa kertoi.", []) == [("person", "Liisa")]


def test_concurrent_calls_give_the_same_results_as_sequential_ones():
    texts = [t for t, _ in CORPUS + HOLDOUT]
    sequential = [find_personal_data(t, MEMBERS) for t in texts]
    voikko_module.analyse.cache_clear()  # make the threads really call Voikko
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda t: find_personal_data(t, MEMBERS), texts))
    assert parallel == sequential


def test_five_thousand_character_note_is_analysed_well_under_a_second():
    text = (" ".join(t for t, _ in CORPUS + HOLDOUT) * 3)[:5000]
    voikko_module.analyse.cache_clear()
    started = time.perf_counter()
    find_personal_data(text, MEMBERS)
    assert time.perf_counter() - started < 0.5


def test_detector_works_with_voikko_switched_off(monkeypatch):
    monkeypatch.setattr(voikko_module, "enabled", False)
    assert anonymise.voikko_available() is False
    assert found("Pekalta ja Virtaselle, puh. 040 123 4567.") == [
        ("member", "Pekalta"),
        ("member", "Virtaselle"),
        ("phone", "040 123 4567"),
    ]


def test_package_imports_and_works_without_libvoikko_and_without_django():
    # A fresh interpreter, as where the "voikko" extra is not installed: None in sys.modules
    # makes "import libvoikko" fail.
    script = """
import sys
sys.modules["libvoikko"] = None
from sessions_app.notes.anonymiser import find_personal_data, voikko_available
from tests.sessions_app.notes.anonymise_corpus import MEMBERS
findings = find_personal_data("Pekalta ja Virtaselle, puh. 040 123 4567.", MEMBERS)
print(voikko_available(), "django" in sys.modules, [(f.kind, f.text) for f in findings])
"""
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == (
        "False False [('member', 'Pekalta'), ('member', 'Virtaselle'), ('phone', '040 123 4567')]"
    )


# --------------------------------------------------------------------------- corpus


def _spans(text, expected):
    spans, pos = set(), 0
    for kind, surface in expected:
        m = re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)").search(text, pos)
        assert m, (text, surface)
        spans.add((m.start(), m.end(), kind))
        pos = m.end()
    return spans


def evaluate(corpus):
    """Exact-span, exact-kind recall and precision, overall and per kind."""
    counts = {}  # kind -> [true positives, false positives, false negatives]
    for text, expected in corpus:
        want = _spans(text, expected)
        got = {(f.start, f.end, f.kind) for f in find_personal_data(text, MEMBERS)}
        for span in want | got:
            c = counts.setdefault(span[2], [0, 0, 0])
            c[0 if span in want and span in got else 1 if span in got else 2] += 1
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    recall = {k: c[0] / (c[0] + c[2]) for k, c in counts.items() if c[0] + c[2]}
    return tp / (tp + fn), tp / (tp + fp), recall


def test_corpus_is_large_and_varied():
    corpus = CORPUS + HOLDOUT
    assert len(corpus) >= 80
    kinds = {kind for _, expected in corpus for kind, _ in expected}
    assert kinds == set(PLACEHOLDERS)
    assert sum(1 for _, expected in corpus if not expected) >= 40


def test_corpus_recall_and_precision_with_voikko(voikko):
    recall, precision, _ = evaluate(CORPUS + HOLDOUT)
    print(f"Voikko: recall {recall:.3f}, precision {precision:.3f}")
    assert recall >= 0.95 and precision >= 0.90, (recall, precision)


def test_corpus_recall_and_precision_with_the_fallback(fallback):
    recall, precision, by_kind = evaluate(CORPUS + HOLDOUT)
    print(f"Fallback: recall {recall:.3f}, precision {precision:.3f}, by kind {by_kind}")
    assert by_kind["member"] >= 0.95
    assert recall >= 0.90 and precision >= 0.90, (recall, precision)
