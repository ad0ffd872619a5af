"""The knowledge entries checked line by line against the published kvalitetsstandard (004), and their
caveats against the document each one names (the national guidelines, 002)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.config import Settings
from conftest import SEED_002, SEED_004
from knowledge import ContentError, Standard, load_standard, render

PHONE_LIKE = re.compile(r"\b\d{2} ?\d{2} ?\d{2} ?\d{2}\b")
REQUIRED_IDS = {
    "treatment_goals", "treatment_options_overview", "treatment_cost", "eligibility", "contact_how_to_apply",
    "direct_contact_rusmiddelcenter", "authority_who_decides", "assessment_decision_14_days", "free_choice",
    "free_choice_other_municipality", "treatment_guarantee_14_days", "residential_assessment_processing_time",
    "complaints_overview", "complaint_decision", "complaint_casework_provider", "complaint_medical_treatment",
    "case_processing_time", "cooperation_with_others", "your_part_in_treatment",
    "medical_treatment_substitution", "doctor_consultation", "individual_outpatient_treatment", "day_treatment",
    "residential_treatment_external", "anonymous_treatment", "pregnant_contract", "treatment_plan",
    "user_involvement", "children_at_home", "primary_provider", "provider_quality_requirements",
    "status_meetings_during_treatment", "follow_up_after_discharge", "own_payment", "monitoring_data",
    "legal_basis", "document_approval", "companion_at_meetings", "no_show_interrupted_treatment",
}
# How a caveat's `source` names the document it quotes, and that document's published text.
DOCUMENTS = {
    "Kvalitetsstandarden": SEED_004,
    "Socialstyrelsen: Nationale retningslinjer for social stofmisbrugsbehandling": SEED_002,
}
BARE_YES_OR_NO = re.compile(r"^\W*(ja|nej|jo|yes|no)\b", re.IGNORECASE)


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
    offices = settings.municipality.offices.values()
    assert {o.id for o in offices if o.verified} >= {"visitationen", "ungecenter", "rusmiddelcenter"}
    for office in offices:
        assert (office.phone in source_text) == office.verified, office.id


def test_answers_never_give_an_unverified_number(standard: Standard, settings: Settings) -> None:
    unverified = [o.phone for o in settings.municipality.unverified_offices()]
    assert unverified, "config.yml marks the switchboard (not in the standard) unverified"
    for lang in ("da", "en"):
        values = settings.municipality.placeholders(lang)
        assert not any(phone in value for value in values.values() for phone in unverified)
        assert values["general_phone"] == settings.municipality.office("visitationen").phone


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


def test_no_answer_opens_with_a_bare_yes_or_no(standard: Standard) -> None:
    """A matched neighbouring question turns "Ja, ..." into a wrong answer ("bliver jeg smidt ud, hvis jeg ikke
    møder op?" → "Ja, kommunen holder statusmøder"), so every answer states the fact itself."""
    opening = [(e.id, lang, e.answer[lang][:30]) for e in standard for lang in ("da", "en")
               if BARE_YES_OR_NO.match(e.answer[lang])]
    assert not opening


@pytest.mark.parametrize("text", ["Ja, du kan.", "Nej. Det kan du ikke", "yes, you can", "No, it does not", "Jo da"])
def test_a_bare_yes_or_no_is_recognised(text: str) -> None:
    assert BARE_YES_OR_NO.match(text)


@pytest.mark.parametrize("text", ["Januar", "Nogle tilbud", "Now and then", "Yesterday", "{municipality} tilbyder"])
def test_words_that_only_begin_like_yes_or_no_are_not(text: str) -> None:
    assert not BARE_YES_OR_NO.match(text)


def document_of(caveat_source: str) -> Path:
    [path] = [path for name, path in DOCUMENTS.items() if caveat_source.startswith(name)]
    return path


def test_every_caveat_names_a_published_document_and_real_sections(standard: Standard) -> None:
    for entry in standard:
        if entry.caveat is None:
            continue
        text = document_of(entry.caveat.source).read_text(encoding="utf-8")
        for number in re.findall(r"\b(\d+\.\d+)\b", entry.caveat.source):
            heading = re.compile(rf"^\s*{re.escape(number)}\s+[A-ZÆØÅ]", re.MULTILINE)
            assert heading.search(text), (entry.id, number)


def test_every_caveat_fact_is_quoted_verbatim_from_its_document(standard: Standard) -> None:
    misquoted = []
    for entry in standard:
        if entry.caveat is not None:
            text = flat(document_of(entry.caveat.source).read_text(encoding="utf-8"))
            misquoted += [(entry.id, fact) for fact in entry.caveat.facts if flat(fact) not in text]
    assert not misquoted


def test_entries_where_the_standard_is_silent_quote_their_other_source(standard: Standard) -> None:
    """What an answer takes from the national guidelines or the law is quoted in its caveat, with the source."""
    for entry_id in ("treatment_guarantee_14_days", "pregnant_contract", "companion_at_meetings",
                     "no_show_interrupted_treatment", "follow_up_after_discharge", "complaint_decision",
                     "complaint_medical_treatment", "document_approval"):
        caveat = standard.entry(entry_id).caveat
        assert caveat is not None and caveat.facts and caveat.source.startswith("Socialstyrelsen"), entry_id


def test_the_guarantee_is_a_right_to_have_treatment_started_also_before_residential(standard: Standard) -> None:
    entry = standard.entry("treatment_guarantee_14_days")
    da, en = entry.answer["da"], entry.answer["en"]
    assert "sat i gang" in da and "iværksættes, ikke kun tilbydes" in da
    assert "started" in en and "not just offered" in en
    assert "forbehandling" in da and "23-18" in da and "pre-treatment" in en and "23-18" in en
    assert entry.caveat is not None and "23-18" in entry.caveat.source
    assert any("forbehandling" in fact for fact in entry.caveat.facts)
    assert any("retskrav på at få iværksat" in fact for fact in entry.caveat.facts)


def test_the_pregnancy_answer_says_whom_to_call_and_names_the_family_clinics(standard: Standard) -> None:
    entry = standard.entry("pregnant_contract")
    for lang, clinic in (("da", "familieambulatori"), ("en", "family outpatient clinic")):
        assert "{routing_rule}" in entry.answer[lang] and clinic in entry.answer[lang], lang
    assert entry.caveat is not None and any("familieambulatorium" in fact for fact in entry.caveat.facts)


def test_follow_up_after_discharge_is_promised_only_after_the_four_kinds_of_discharge(standard: Standard) -> None:
    entry = standard.entry("follow_up_after_discharge")
    da = entry.answer["da"]
    for kind in ("færdigbehandlet", "andet behandlingstilbud", "hospital", "anden årsag"):
        assert kind in da, kind
    assert "bortvist" in da and "udeblevet" in da and "ikke" in da
    assert "expelled" in entry.answer["en"] and "stayed away" in entry.answer["en"]
    assert any("”anden årsag”" in fact for fact in entry.facts)


def test_complaints_say_when_the_period_starts_the_partial_path_and_the_health_limit(standard: Standard) -> None:
    decision = standard.entry("complaint_decision")
    assert "fra du har fået afgørelsen" in decision.answer["da"] and "when you received the decision" in decision.answer["en"]
    assert "delvist medhold" in decision.answer["da"] and "14 dage" in decision.answer["da"]
    assert decision.caveat is not None and "§ 67" in decision.caveat.source
    medical = standard.entry("complaint_medical_treatment")
    assert "2 år" in medical.answer["da"] and "2 years" in medical.answer["en"]
    assert medical.caveat is not None and any("inden 2 år" in fact for fact in medical.caveat.facts)


def test_the_new_entries_answer_what_citizens_asked(standard: Standard) -> None:
    companion = standard.entry("companion_at_meetings")
    assert "bisidder" in companion.answer["da"] and "forvaltningsloven § 8" in companion.answer["da"]
    no_show = standard.entry("no_show_interrupted_treatment")
    assert "2 dage" in no_show.answer["da"] and "2 days" in no_show.answer["en"]
    assert "udeblevet" in no_show.answer["da"] and "14 dage" in no_show.answer["da"]


def test_the_standards_approval_date_is_the_documents_and_answers_show_it(standard: Standard,
                                                                          settings: Settings,
                                                                          source_text: str) -> None:
    municipality = settings.municipality
    assert municipality.standard_approved == date(2023, 12, 6)
    assert "Godkendt i Beskæftigelses- og Uddannelsesudvalget den 6. december 2023" in source_text
    entry = standard.entry("document_approval")
    assert "6. december 2023" in render(entry.answer["da"], municipality.placeholders("da"))
    assert "6 December 2023" in render(entry.answer["en"], municipality.placeholders("en"))
    assert municipality.standard_revision_due() == date(2025, 12, 6)


def test_known_conflicts_carry_a_caveat(standard: Standard) -> None:
    for entry_id in ("residential_assessment_processing_time", "legal_basis", "complaint_medical_treatment",
                     "anonymous_treatment"):
        assert standard.entry(entry_id).caveat is not None, entry_id


def test_related_entries_exist(standard: Standard) -> None:
    for entry in standard:
        assert all(other in standard for other in entry.related)


def test_an_overviews_choices_are_other_entries(tmp_path: Path, standard: Standard) -> None:
    assert standard.entry("complaints_overview").choices == (
        "complaint_decision", "complaint_casework_provider", "complaint_medical_treatment")
    (tmp_path / "x.yml").write_text(
        'section: "Klager"\nentries:\n  - id: complaint\n    title: {da: a, en: b}\n    source: Klager\n'
        '    answer: {da: "svar", en: "answer"}\n    facts: ["Klager"]\n    choices: [complaint]\n', encoding="utf-8")
    with pytest.raises(ContentError, match=r"choices id 'complaint' is not another entry"):
        load_standard(tmp_path)


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
