from __future__ import annotations

import pytest

from nlu import EntityExtractor, TrainingData
from privacy import find_cpr, mask_cpr, without_cpr
from nlu import detect_language


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    data = TrainingData(
        synonyms={"døgn": "doegnbehandling", "doegn": "doegnbehandling", "residential": "doegnbehandling",
                  "dagtilbud": "dagbehandling"},
        lookups={"substance": ["hash", "kokain", "heroin"], "offer_type": ["døgnbehandling", "dagbehandling"]},
    )
    return EntityExtractor(data)


def values(extractor: EntityExtractor, text: str, name: str) -> list[object]:
    return [e.value for e in extractor.extract(text) if e.entity == name]


@pytest.mark.parametrize("text, age", [
    ("jeg er 29", 29), ("hvem skal jeg ringe til, jeg er 34", 34), ("min søn er 22 år", 22), ("29 år", 29),
    ("34", 34), ("I'm 31 and need help", 31), ("she is 45", 45), ("en 19-årig", 19), ("han er lige 30", 30),
    # the people professionals and relatives write about, and compounds
    ("jeg har en patient på 45", 45), ("en kursist på 34 vil i behandling", 34), ("my brother-in-law, 29, uses coke", 29),
    ("one of my students, 19, told me", 19), ("min bonussøn er 19", 19), ("min mand er 51 og tager piller", 51),
    # an age given roughly, or a birthday just passed
    ("en ung fyr på omkring 20 tager stoffer", 20), ("my neighbour's son is about 25", 25), ("han er ca. 40", 40),
    ("fyldte 30 i sidste uge, hvem ringer jeg til", 30), ("she's around 19", 19),
    # an age in brackets, a hyphenated English age, a plural noun
    ("Hello, I'm an expat (41) living in Hjallerup", 41), ("I have a 47-year-old patient", 47),
    ("en af mine elever på 20 har betroet mig noget", 20),
    # an age said last, or as a sentence of its own
    ("metadon gratis? og hvem ringer jeg til er 35", 35), ("I mostly drink and do coke at weekends. 37", 37),
    ("My partner is Danish, I'm British, 38. I use benzos", 38), ("I'm a student in Aalborg. 23. which office", 23),
    # an age not yet reached is the one below it: the office goes by the age the person has now
    ("jeg fylder 30 om to uger, hvem skal jeg ringe til nu?", 29), ("jeg er næsten 30", 29), ("jeg er snart 30", 29),
    ("min søn bliver snart 30", 29), ("I'm turning 30 next month", 29), ("he's almost 30, who does he call", 29),
    ("I'll be 30 in March", 29), ("hun fylder 30 til sommer", 29), ("jeg bliver 30 i morgen", 29),
    ("jeg fylder 30 i dag", 30), ("he turns 30 today", 30), ("jeg fylder 30", 30),
    ("min søn fylder 30 i næste måned, skal han vente til han er fyldt 30?", 29), ("my brother turns 30 next week", 29),
])
def test_age_is_found(extractor: EntityExtractor, text: str, age: int) -> None:
    assert values(extractor, text, "age") == [age]


@pytest.mark.parametrize("text, turning", [
    ("jeg fylder 30 om to uger", [30]), ("I'm 29 and turn 30 next month", [30]), ("he's almost 30", [30]),
    ("jeg fylder 30 i dag", []), ("jeg er 29", []),
])
def test_an_age_about_to_be_reached_is_kept_beside_the_age_now(extractor: EntityExtractor, text: str,
                                                                turning: list[int]) -> None:
    assert values(extractor, text, "age_turning") == turning


def test_the_age_of_the_person_asked_about_comes_before_the_writers_own(extractor: EntityExtractor) -> None:
    found = [(e.value, e.role) for e in extractor.extract("jeg er 25, min kæreste er ikke dansk, han er 32")
             if e.entity == "age"]
    assert (32, "concerned") in found and (25, None) in found


@pytest.mark.parametrize("text", [
    "kan jeg starte inden for 14 dage", "jeg har ventet 4 uger", "ring på 9945 4421", "det koster 200 kr",
    "jeg har taget stoffer i 10 år", "hvad er klokken", "2491 6541",
    "min behandling er 14 dage", "mit forbrug er 3 gange om ugen", "vores husleje er 6000 kr",
    "ring (9945 4421)", "det står i punkt (3)", "jeg har ventet i 14 dage", "klagefristen er 4 uger.",
    "hvad koster døgn pr. dag? 1200", "we have waited 3 weeks. 2 kids at home",
    "I will be 30 minutes late", "almost 30 days clean",
])
def test_numbers_that_are_not_ages_are_ignored(extractor: EntityExtractor, text: str) -> None:
    assert values(extractor, text, "age") == []


@pytest.mark.parametrize("text, band", [
    ("jeg er under 30", "lt:30"), ("han er over 30", "ge:31"), ("jeg er fyldt 30", "ge:30"),
    ("I am younger than 25", "lt:25"),
])
def test_age_bands(extractor: EntityExtractor, text: str, band: str) -> None:
    assert values(extractor, text, "age_band") == [band]


@pytest.mark.parametrize("text, pension", [
    ("jeg er på førtidspension", True), ("jeg får foertidspension", True), ("jeg er ikke på førtidspension", False),
    ("nej ik førtidspension", False), ("I receive disability pension", True),
    ("I don't have disability pension", False), ("jeg er 25 og har fortidspension", True),
    ("jeg har ingen førtidspension men er 40", False),
    # applied for, waited for or refused is not granted
    ("jeg er 22 og har søgt førtidspension men ikke fået den endnu", False), ("I applied for disability pension", False),
    ("jeg har fået afslag på førtidspension", False), ("jeg venter på svar om førtidspension", False),
    ("han fik tilkendt førtidspension sidste år, men har ikke fået hjælp", True),
])
def test_pension_with_negation(extractor: EntityExtractor, text: str, pension: bool) -> None:
    assert values(extractor, text, "pension") == [pension]


def test_lookup_and_synonyms_map_to_values(extractor: EntityExtractor) -> None:
    assert values(extractor, "kan jeg få døgn for kokain", "offer_type") == ["doegnbehandling"]
    assert values(extractor, "kan jeg få døgn for kokain", "substance") == ["kokain"]
    assert values(extractor, "doegn eller dagtilbud?", "offer_type") == ["doegnbehandling", "dagbehandling"]


def test_entity_offsets_point_into_the_original_text(extractor: EntityExtractor) -> None:
    text = "Kan min søn få døgn?"
    (entity,) = [e for e in extractor.extract(text) if e.entity == "offer_type"]
    assert text[entity.start:entity.end] == "døgn"


@pytest.mark.parametrize("text", ["mit cpr er 010190-1234", "0101901234", "cpr: 311299 1234"])
def test_cpr_numbers_are_found_and_masked(extractor: EntityExtractor, text: str) -> None:
    assert find_cpr(text)
    masked, found = mask_cpr(text)
    assert found and "1234" not in masked and "[CPR]" in masked
    cpr = [e for e in extractor.extract(text) if e.entity == "cpr"]
    assert cpr and all(e.value == "masked" for e in cpr)


@pytest.mark.parametrize("text", ["ring 99454421", "9945 4421", "320190-1234", "011390-1234", "12345678901"])
def test_not_cpr(text: str) -> None:
    assert find_cpr(text) == []


@pytest.mark.parametrize("text, lang", [
    ("hvad koster det", "da"), ("how much does it cost", "en"), ("hjælp", "da"), ("I need help", "en"),
    ("jeg har brug for hjælp med stoffer", "da"), ("who do I call", "en"), ("29", None), ("ok", None),
    ("does Brønderslev have a rehab centre?", "en"), ("Søren tager stoffer, hvem ringer jeg til", "da"),
    ("kan jeg få hjælp", "da"), ("må", "da"),
    # fragments: the domain's words tell the language when no stop word does
    ("price?", "en"), ("waiting time residential", "en"), ("pris?", "da"), ("klage frist", "da"),
    ("user involvement?", "en"), ("opening hours", "en"), ("behandlingsplan?", "da"), ("adresse?", "da"),
])
def test_language(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text, left", [
    ("mit cpr er [CPR], hvad koster det?", ", hvad koster det?"),
    ("hvad koster det? mit cpr-nummer er [CPR]", "hvad koster det?"),
    ("CPR-nr.: [CPR]", ""),
    ("my personal number is [CPR] how long do I wait", "how long do I wait"),
    ("[CPR] [CPR] hej", "hej"),
    ("hvad er et cpr-nummer?", "hvad er et cpr-nummer?"),
])
def test_without_cpr_keeps_only_the_question(text: str, left: str) -> None:


    assert without_cpr(text) == left
