"""Understanding caseworkers' provider questions: entities, kinds and fuzzy provider names."""

from __future__ import annotations

import pytest

from nlu.normalize import clean, fold
from nlu.provider_language import _STOPWORDS, _WORD, YOUTH, Kind, ProviderLanguage, _generic

NAMES = ["Brønderslev Rusmiddelcenter", "Behandlingshjemmet Skovly", "Døgnhuset Fjordglimt", "Klippebo Døgn Bornholm"]
LANG = ProviderLanguage(NAMES)


@pytest.mark.parametrize("text, offers", [
    ("hvilke døgntilbud tager imod gravide?", {"doegn"}),
    ("DOEGN til gravide", {"doegn"}),
    ("dogntilbud i Aarhus", {"doegn"}),
    ("dagbehandling i Nordjylland", {"dagbehandling"}),
    ("ambulant tilbud", {"ambulant_individuel", "ambulant_gruppe"}),
    ("afrusning i nærheden", {"afgiftning"}),
    ("anonymt tilbud", {"anonym_101a"}),
    ("residential places", {"doegn"}),
])
def test_offer_types_in_every_spelling(text: str, offers: set[str]) -> None:
    assert set(LANG.parse(text).offer_types) == offers


def test_dag_in_a_time_phrase_is_not_day_treatment() -> None:
    assert LANG.parse("hvilke døgntilbud har plads i dag?").offer_types == ("doegn",)


@pytest.mark.parametrize("text, low, high", [
    ("anonymt til unge under 25", None, 24), ("døgn til en 18-årig", 18, 18), ("døgn 18-25 år", 18, 25),
    ("døgn over 30", 31, None), ("residential for a 22 year old", 22, 22),
])
def test_ages(text: str, low: int | None, high: int | None) -> None:
    request = LANG.parse(text)
    assert (request.age_min, request.age_max) == (low, high)


def test_youth_without_an_age_is_any_youth_group_and_with_an_age_the_age_decides() -> None:
    assert LANG.parse("døgn til unge").target_groups == (YOUTH,)
    assert LANG.parse("døgn til unge under 25").target_groups == ()


@pytest.mark.parametrize("text, region", [
    ("dagbehandling i Nordjylland", "Nordjylland"), ("døgn i Odense", "Syddanmark"), ("døgn på sjaelland", "Sjælland"),
    ("residential in Copenhagen", "Hovedstaden"), ("døgn i Jylland", None),
])
def test_regions_and_cities(text: str, region: str | None) -> None:
    assert LANG.parse(text).region == region


@pytest.mark.parametrize("text, sort", [
    ("billigste døgn med dobbeltdiagnose", "price"), ("kortest ventetid på dagbehandling", "waiting"),
    ("afgiftning i nærheden", "distance"), ("cheapest detox", "price"), ("døgn med gravide", None),
])
def test_sort_order(text: str, sort: str | None) -> None:
    assert LANG.parse(text).sort == sort


@pytest.mark.parametrize("text, name", [
    ("hvad koster Skovly pr døgn?", "Behandlingshjemmet Skovly"),
    ("hvad koster skovlyy", "Behandlingshjemmet Skovly"),          # typo
    ("priser hos fjordglimt", "Døgnhuset Fjordglimt"),
    ("hvad koster Klippebo?", "Klippebo Døgn Bornholm"),           # place words weigh little
    ("kost og logi på brønderslev rusmiddelcenter", "Brønderslev Rusmiddelcenter"),
])
def test_provider_names_are_found_fuzzily(text: str, name: str) -> None:
    request = LANG.parse(text)
    assert request.kind is Kind.PROVIDER
    assert request.names[0] == name


def test_a_generic_word_alone_names_no_provider() -> None:
    assert LANG.parse("hvad koster et behandlingshjem pr døgn?").names == ()


@pytest.mark.parametrize("text", ["hvornår skal genvurderingen være færdig?", "tak for hjælpen", "god weekend",
                                  "hvad er fristen for behandlingsgarantien?"])
def test_other_questions_are_not_provider_questions(text: str) -> None:
    assert LANG.parse(text).kind is Kind.NONE


def test_frit_valg_questions() -> None:
    request = LANG.parse("gælder frit valg ved anonym behandling?")
    assert request.kind is Kind.FRIT_VALG and request.offer_types == ("anonym_101a",)


@pytest.mark.parametrize("text", ["ambulant gruppe", "ambulant gruppe i Nordjylland", "gruppebehandling",
                                  "ambulant gruppebehandling", "ambulante grupper for unge"])
def test_group_treatment_is_group_only(text: str) -> None:
    assert LANG.parse(text).offer_types == ("ambulant_gruppe",)


@pytest.mark.parametrize("text, offers", [
    ("efterbehandling efter døgn", {"opfoelgende_behandling"}),
    ("udslusning efter endt døgnophold", {"opfoelgende_behandling"}),
    ("aftercare after residential treatment", {"opfoelgende_behandling"}),
    ("døgn og efterbehandling", {"doegn", "opfoelgende_behandling"}),  # both asked for
])
def test_the_stay_a_citizen_comes_from_is_not_an_asked_offer(text: str, offers: set[str]) -> None:
    assert set(LANG.parse(text).offer_types) == offers


def test_near_the_home_town_orders_by_distance_without_a_region() -> None:
    home = ProviderLanguage(NAMES, home=["Brønderslev"])
    request = home.parse("hvilke døgnsteder ligger tættest på Brønderslev")
    assert (request.offer_types, request.region, request.sort) == (("doegn",), None, "distance")
    assert home.parse("døgn tæt på Aarhus").region == "Midtjylland"      # another town still filters
    assert home.parse("døgn i Brønderslev").region == "Nordjylland"      # "i" is a place, not a distance
    assert home.parse("døgn i Nordjylland tættest på Brønderslev").region == "Nordjylland"
    assert LANG.parse("døgn tættest på Brønderslev").region == "Nordjylland"  # no home town given


def test_compound_check_agrees_with_a_scan_of_the_vocabulary() -> None:
    """`_generic` looks prefixes and suffixes up; it must say what scanning every known word says."""
    known = LANG.lexicon.words
    words = {w for name in NAMES + ["Rusmiddelcentret Nord", "Døgnhjemmet 1010", "Behandlingshjem Ørsted"]
             for w in _WORD.findall(fold(clean(name)))} | set(known) | {"abc", "skovly", "fjordhuset"}

    def scan(word: str) -> bool:
        return word in known or word in _STOPWORDS or any(
            len(k) >= 4 and (word.startswith(k) or word.endswith(k)) for k in known)

    assert {w: _generic(w, known) for w in words} == {w: scan(w) for w in words}
    assert _generic("behandlingshjemmet", known) and not _generic("skovly", known)


@pytest.mark.parametrize("text", [
    "adresse på Bakkehuset", "tlf nr til Kompasset i Aalborg", "is Lyngbakken approved on Tilbudsportalen?",
    "Fristedet Hals – hvor lang ventetid til forbesøg", "hvem er kontaktperson på Nordstjernen",
    "does Solhøj accept couples", "free beds at Strandgården this month?",
])
def test_a_question_about_the_details_of_a_place_the_catalogue_does_not_know_is_about_a_provider(text: str) -> None:
    request = LANG.parse(text)
    assert request.kind is Kind.PROVIDER and request.names == ()  # answered: not in the catalogue


@pytest.mark.parametrize("text", [
    "hvad er adressen på Ankestyrelsen", "er Kommunen godkendt til det", "tlf til Visitationen",
    "ventetid i Aalborg på afgørelsen", "KS siger 14 dage, hvad er ventetiden?",
    "UNG-2025-88 residential application received 1 Dec, latest decision date?",
    "which section of the Social Services Act covers drug treatment",
])
def test_capitalised_words_that_name_no_treatment_place_are_not_read_as_one(text: str) -> None:
    assert not (LANG.parse(text).kind is Kind.PROVIDER and LANG.parse(text).names == ())


@pytest.mark.parametrize("text", [
    "sygedagpenge under døgnbehandling hvordan er reglerne", "hvem har fødselsdag i teamet på fredag?",
    "kan en borger i døgnbehandling få boligstøtte", "can you recommend a lunch place near the town hall",
])
def test_other_areas_and_office_life_are_not_provider_questions(text: str) -> None:
    assert LANG.parse(text).kind is Kind.NONE


def test_a_catalogue_name_wins_over_another_area() -> None:
    assert LANG.parse("betaler Skovly kost under sygedagpenge?").kind is Kind.PROVIDER
