"""The knowledge entries checked line by line against the published kvalitetsstandard (004)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import Settings
from conftest import SEED_004
from knowledge import ContentError, Standard, load_standard, render

PHONE_LIKE = re.compile(r"\b\d{2} ?\d{2} ?\d{2} ?\d{2}\b")
REQUIRED_IDS = {
    "treatment_goals", "treatment_options_overview", "treatment_cost", "eligibility", "contact_how_to_apply",
    "direct_contact_rusmiddelcenter", "authority_who_decides", "assessment_decision_14_days", "free_choice",
    "free_choice_other_municipality", "treatment_guarantee_14_days", "residential_assessment_processing_time",
    "complaint_decision", "complaint_casework_provider", "complaint_medical_treatment", "case_processing_time",
    "medical_treatment_substitution", "doctor_consultation", "individual_outpatient_treatment", "day_treatment",
    "residential_treatment_external", "anonymous_treatment", "pregnant_contract", "treatment_plan",
    "user_involvement", "children_at_home", "primary_provider", "provider_quality_requirements",
    "status_meetings_during_treatment", "follow_up_after_discharge", "own_payment", "monitoring_data",
    "legal_basis", "document_approval",
}


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def standard(settings: Settings) -> Standard:
    return load_standard(settings.standard_dir)


@pytest.fixture(scope="module")
def source_text() -> str:
    return flat(SEED_004.read_text(encoding="utf-8"))


def test_every_section_of_the_standard_is_an_entry(standard: Standard) -> None:
    assert set(standard.ids) == REQUIRED_IDS


def test_every_fact_is_quoted_verbatim_from_the_standard(standard: Standard, source_text: str) -> None:
    misquoted = [(e.id, fact) for e in standard for fact in e.facts if flat(fact) not in source_text]
    assert not misquoted


def test_every_source_names_real_headings(standard: Standard, source_text: str) -> None:
    wrong = [(e.id, part) for e in standard for part in e.source.split(" › ") if part.strip() not in source_text]
    assert not wrong


def test_phone_numbers_come_from_config_only(standard: Standard) -> None:
    """Numbers live in config.yml (one place to correct); entries use {placeholders}."""
    for entry in standard:
        for text in [*entry.answer.values(), *(entry.caveat.text.values() if entry.caveat else [])]:
            assert not PHONE_LIKE.search(text), entry.id


def test_configured_numbers_are_the_ones_in_the_standard(settings: Settings, source_text: str) -> None:
    for office_id in ("visitationen", "ungecenter", "rusmiddelcenter"):
        office = settings.municipality.office(office_id)
        assert office.phone in source_text, office_id


def test_every_answer_renders_in_both_languages(standard: Standard, settings: Settings) -> None:
    values = settings.municipality.placeholders()
    for entry in standard:
        for lang in ("da", "en"):
            rendered = render(entry.answer[lang], values).replace("{routing_rule}", "")
            assert "{" not in rendered and len(rendered.split()) <= 120, (entry.id, lang)


def test_whom_to_call_is_always_the_routing_rule(standard: Standard) -> None:
    """Naming one of the two offices alone would send some people to the wrong number, so answers say
    {routing_rule}: the whole rule, or the one office the person's age and førtidspension decide."""
    for entry in standard:
        for lang in ("da", "en"):
            text = entry.answer[lang]
            assert "{visitationen_phone}" not in text and "{ungecenter_phone}" not in text, (entry.id, lang)


def test_known_conflicts_carry_a_caveat(standard: Standard) -> None:
    for entry_id in ("residential_assessment_processing_time", "legal_basis", "complaint_medical_treatment",
                     "anonymous_treatment"):
        assert standard.entry(entry_id).caveat is not None, entry_id


def test_related_entries_exist(standard: Standard) -> None:
    for entry in standard:
        assert all(other in standard for other in entry.related)


def test_a_malformed_entry_fails_naming_file_and_entry(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text(
        'section: "Klager"\nentries:\n  - id: complaint\n    title: {da: a, en: b}\n    source: Klager\n'
        '    answer: {da: "svar"}\n    facts: ["Klager"]\n', encoding="utf-8")
    with pytest.raises(ContentError, match=r"x.yml entry 'complaint' field 'answer.en'"):
        load_standard(tmp_path)


def test_unknown_placeholders_are_an_error() -> None:
    with pytest.raises(KeyError, match="nope"):
        render("ring {nope}", {"visitationen_phone": "1"})


def test_citizens_never_see_internal_document_codes(standard: Standard) -> None:
    """The analysis notes call the sources 002, 003, 004; a citizen must see their names."""
    code = re.compile(r"\(00\d\)|\b00[0-4]\b")
    for entry in standard:
        texts = [*entry.answer.values(), entry.source, *(entry.caveat.text.values() if entry.caveat else []),
                 *([entry.caveat.source] if entry.caveat else [])]
        assert not any(code.search(text) for text in texts), entry.id
