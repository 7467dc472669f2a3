"""foorumix.text.normalise: invisible characters out, NFC, nothing visible lost."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foorumix.text import is_invisible, normalise, normalise_line

SOFT_HYPHEN = "\u00ad"
INVISIBLE = {
    "soft hyphen": "\u00ad",
    "zero-width space": "\u200b",
    "zero-width non-joiner": "\u200c",
    "zero-width joiner": "\u200d",
    "word joiner": "\u2060",
    "byte-order mark": "\ufeff",
    "left-to-right mark": "\u200e",
    "right-to-left mark": "\u200f",
    "LRE": "\u202a",
    "RLE": "\u202b",
    "PDF": "\u202c",
    "LRO": "\u202d",
    "RLO": "\u202e",
    "LRI": "\u2066",
    "RLI": "\u2067",
    "FSI": "\u2068",
    "PDI": "\u2069",
    "NUL": "\x00",
    "bell": "\x07",
    "escape": "\x1b",
    "carriage return": "\r",
    "delete": "\x7f",
    "C1 control": "\x85",
    "Arabic letter mark": "\u061c",
    "tag character": "\U000e0041",
    "lone surrogate": "\ud800",
}


@pytest.mark.parametrize("name", INVISIBLE)
def test_each_invisible_character_is_removed(name):
    assert normalise(f"Lii{INVISIBLE[name]}sa") == "Liisa"


def test_a_name_broken_by_word_soft_hyphens_reads_as_the_name():
    assert normalise(f"Lii{SOFT_HYPHEN}sa Vir{SOFT_HYPHEN}tanen") == "Liisa Virtanen"


def test_newlines_and_tabs_are_kept():
    assert normalise("Teema:\n\tmuutos\n") == "Teema:\n\tmuutos\n"


def test_decomposed_letters_are_composed():
    assert normalise("Ja\u0308sen") == "Jäsen"
    # A soft hyphen between a letter and its diaeresis does not keep them apart.
    assert normalise(f"Ja{SOFT_HYPHEN}\u0308sen") == "Jäsen"


def test_visible_text_of_every_script_in_use_is_unchanged():
    text = "Åsa Öhman – “Jäsen” € 5 % · Ω ☺ 😀 שלום مرحبا 日本"
    assert normalise(text) == text


def test_right_to_left_override_cannot_reverse_a_line():
    assert normalise_line("Foorumi \u202eKIRJE.exe\u202c\n uusi  ") == "Foorumi KIRJE.exe uusi"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=())))  # surrogates too
def test_normalised_text_is_nfc_without_invisible_characters_and_stable(text):
    result = normalise(text)
    assert not any(is_invisible(char) for char in result)
    assert unicodedata.is_normalized("NFC", result)
    assert normalise(result) == result
    result.encode("utf-8")  # no lone surrogate is left to fail here


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "S", "Zs"])))
def test_text_without_invisible_characters_only_gets_composed(text):
    assert normalise(text) == unicodedata.normalize("NFC", text)
