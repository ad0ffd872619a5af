"""Case references in caseworkers' sentences, and the numbers the rule classifier reads as words."""

from __future__ import annotations

import pytest

from nlu.case_language import find_reference
from nlu.rule_language import spell_numbers


@pytest.mark.parametrize("text, reference", [
    ("hvornår udløber bg i S-14?", "S-14"),
    ("sagen 14 blev lukket", "14"),
    ("ref. B-2026-09: borgeren fastholder", "B-2026-09"),
    ("j.nr. 27.12.00-G01-5-26: døgnansøgning modtaget 5. januar", "27.12.00-G01-5-26"),
    ("frister jnr 27.12.00-G01-14-26", "27.12.00-G01-14-26"),
    ("journalnr. 27.12.00-G01-9-26 – er klagefristen udløbet?", "27.12.00-G01-9-26"),
    ("sagsid 88213: borger færdigbeh 12/1", "88213"), ("ID 7781: borger fik delvist medhold", "7781"),
    ("file 151 pregnancy contract started 1 May", "151"),
    ("hvornår skal vi følge op efter udskrivning", None), ("hvad er fristen for id-kort", None),
])
def test_the_reference_is_found_as_written(text: str, reference: str | None) -> None:
    found = find_reference(text)
    assert (found[0] if found else None) == reference
    if found:
        assert text[found[1].start:found[1].end] == reference


@pytest.mark.parametrize("text, spelled", [
    ("6 mdr opf", " talg  mdr opf"),
    ("1mdr", " talb mdr"),
    ("de 16 uger", "de  talbg  uger"),
])
def test_small_numbers_become_words_that_tell_the_rules_apart(text: str, spelled: str) -> None:
    assert spell_numbers(text) == spelled


@pytest.mark.parametrize("text", ["bek 1477", "3.450 kr", "henvendelse 4/3", "UNG-2026-4"])
def test_long_numbers_dates_and_amounts_are_left_alone(text: str) -> None:
    assert spell_numbers(text) == text
