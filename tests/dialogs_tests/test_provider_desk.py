"""The provider desk: lists, no match with widening, stale flags, sample marker, paging, frit valg, i18n."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from babel.messages.pofile import read_po

from dialogs.i18n import LOCALE_DIR, untranslated
from dialogs.providers.desk import DeskSettings, ProviderDesk
from dialogs.providers.texts import DOMAIN, PLURALS, all_messages
from fakes.provider_desk import NOW, FixedCatalogue, ask
from fakes.providers import generate_catalogue
from knowledge.providers.catalogue import sample_providers
from knowledge.providers.record import OfferType, Provider, Region


def sample_desk(**settings: int) -> ProviderDesk:
    return ProviderDesk(FixedCatalogue(sample_providers(), is_sample=True), DeskSettings(**settings))


async def test_no_match_says_so_and_suggests_dropping_the_region() -> None:
    answer = await ask(sample_desk(), "døgn for gravide i Nordjylland", "da", now=NOW)
    assert answer is not None and answer.provider_ids == ()
    assert "Ingen godkendte udbydere passer" in answer.text
    assert "Ingen i Nordjylland: 1 i hele landet" in answer.text


async def test_every_answer_from_the_sample_catalogue_says_eksempeldata() -> None:
    desk = sample_desk()
    for text in ("døgn til hjemløse", "hvad koster Fjordlys?", "frit valg døgn", "dagbehandling i Esbjerg"):
        response = await ask(desk, text, "da", now=NOW)
        assert response is not None and "Eksempeldata" in response.text
    own = ProviderDesk(FixedCatalogue(sample_providers(), is_sample=False))
    response = await ask(own, "døgn til hjemløse", "da", now=NOW)
    assert response is not None and "Eksempeldata" not in response.text


async def test_old_waiting_times_are_flagged_and_fresh_ones_are_not() -> None:
    fresh = [replace(p, waiting_time_updated=date(2026, 11, 20), free_places_updated=None) for p in sample_providers()]
    desk = ProviderDesk(FixedCatalogue(fresh), DeskSettings(stale_after_days=30))
    response = await ask(desk, "døgn til hjemløse", "da", now=NOW)
    assert response is not None and "muligvis forældet" not in response.text and "20. nov. 2026" in response.text
    late = await ask(desk, "døgn til hjemløse", "da", now=NOW + timedelta(days=40))
    assert late is not None and "muligvis forældet" in late.text


async def test_vis_flere_pages_through_the_list_with_a_short_payload() -> None:
    desk = ProviderDesk(FixedCatalogue(generate_catalogue(300, 7)), DeskSettings(max_results=5))
    first = await ask(desk, "døgntilbud", "da", now=NOW)
    assert first is not None and len(first.provider_ids) == 5
    (button,) = first.messages[0].buttons
    assert button.payload.startswith("/tilbud_mere ") and len(button.payload.encode()) <= 64
    second = await ask(desk, button.payload, "da", now=NOW)
    assert second is not None and len(second.provider_ids) == 5
    assert not set(first.provider_ids) & set(second.provider_ids)
    assert "6." in second.text
    expired = await ask(desk, button.payload, "da", now=NOW + timedelta(hours=2))
    assert expired is not None and "udløbet" in expired.text


async def test_frit_valg_is_explained_with_its_sources() -> None:
    response = await ask(sample_desk(), "gælder frit valg ved anonym behandling?", "da", now=NOW)
    assert response is not None
    assert "ikke frit valg ved anonym behandling" in response.text and "§ 101 a" in response.text
    assert "14 dage" in response.text and "23-18" in response.text


async def test_frit_valg_names_why_a_provider_cannot_be_chosen() -> None:
    desk = sample_desk()
    response = await ask(desk, "kan borgeren bruge frit valg til Vadehavet til gruppebehandling?", "da", now=NOW)
    assert response is not None and "ikke godkendt af Socialtilsynet" in response.text
    dag = await ask(desk, "frit valg Fjordlys til dagbehandling", "da", now=NOW)
    assert dag is not None and "tilbyder ikke dagbehandling" in dag.text


async def test_unapproved_providers_are_held_back_and_named() -> None:
    response = await ask(sample_desk(), "dagbehandling med kognitive vanskeligheder", "da", now=NOW)
    assert response is not None and "Kognitiv Dag Slagelse" in response.text and "Tilbudsportalen" in response.text


async def test_a_long_held_back_list_gives_the_count_and_names_only_a_page() -> None:
    unapproved = [replace(p, socialtilsyn_approved=False, is_primary=False) for p in generate_catalogue(120, 3)
                  if OfferType.DOEGN in p.offer_types][:12]
    response = await ask(ProviderDesk(FixedCatalogue(unapproved), DeskSettings(max_results=5)), "døgntilbud", "da",
                         now=NOW)
    assert response is not None and "12 udbydere" in response.text
    named = [p.name for p in unapproved if p.name in response.text]
    assert len(named) == 5 and ", …" in response.text


async def test_a_price_question_shows_prices_board_and_unplanned_end() -> None:
    answer = await ask(sample_desk(), "hvad koster Lillebælt pr døgn?", "da", now=NOW)
    assert answer is not None and answer.provider_ids == ("eks-lillebaelt",)
    text = answer.text
    assert "Pris pr. dag: døgnbehandling" in text and "Kost og logi" in text and "uplanlagt afslutning" in text


async def test_english_answers_use_the_english_catalog() -> None:
    response = await ask(sample_desk(), "which residential places take pregnant women?", "en", now=NOW)
    assert response is not None and "Sample data" in response.text and "residential treatment" in response.text


async def test_not_a_provider_question_is_none_and_bare_command_gets_help() -> None:
    desk = sample_desk()
    assert await ask(desk, "hvornår er fristen for genvurdering?", "da", now=NOW) is None
    help_ = await ask(desk, "/tilbud", "da", now=NOW)
    assert help_ is not None and "/tilbud" in help_.text
    args = await ask(desk, "/tilbud døgn til hjemløse", "da", now=NOW)
    assert args is not None and args.provider_ids[0] == "eks-hedebo-doegn"


async def test_a_new_catalogue_is_used_as_soon_as_it_changes() -> None:
    source = FixedCatalogue(sample_providers(), is_sample=True)
    desk = ProviderDesk(source)
    assert await ask(desk, "hvad koster Fjordlys?", "da", now=NOW) is not None
    source.replace([p for p in sample_providers() if p.id != "eks-fjordlys"])
    answer = await ask(desk, "døgn med dobbeltdiagnose i nordjylland", "da", now=NOW)
    assert answer is not None and answer.provider_ids == () and "Eksempeldata" not in answer.text


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_provider_message_is_translated(lang: str) -> None:
    assert untranslated(lang, all_messages(), DOMAIN) == []


def _one_of_each() -> list[Provider]:
    """A tiny catalogue: one approved døgn provider waiting 1 day, one unapproved, one in another region."""
    base = generate_catalogue(3, 11)
    return [
        replace(base[0], offer_types=frozenset({OfferType.DOEGN}), prices_per_day={}),
        replace(base[1], offer_types=frozenset({OfferType.DOEGN}), region=Region.SYDDANMARK, is_primary=False,
                socialtilsyn_approved=True, tilbudsportalen_id="TP-1", waiting_time_days=1,
                waiting_time_updated=date(2026, 11, 20), target_groups=frozenset(), dual_diagnosis=False),
        replace(base[2], offer_types=frozenset({OfferType.DOEGN}), region=Region.SYDDANMARK, is_primary=False,
                socialtilsyn_approved=False, target_groups=frozenset(), dual_diagnosis=False),
    ]


@pytest.mark.parametrize("lang, held, days", [
    ("da", "1 udbyder, der ellers passer, er ikke vist, fordi den", "Ventetid: 1 dag (opdateret"),
    ("en", "1 provider that otherwise matches is not shown because it", "Waiting time: 1 day (updated"),
])
async def test_one_is_singular(lang: str, held: str, days: str) -> None:
    desk = ProviderDesk(FixedCatalogue(_one_of_each()))
    response = await ask(desk, "døgn i Syddanmark", lang, now=NOW)
    assert response is not None and held in response.text and days in response.text
    wider = await ask(desk, "døgn til gravide i Syddanmark", lang, now=NOW)
    assert wider is not None
    assert ("Uden målgruppen: 1 udbyder." if lang == "da" else "Without the target group: 1 provider.") in wider.text


async def test_two_are_plural() -> None:
    providers = _one_of_each()
    providers.append(replace(providers[2], id="x-2", name="Anden Uden Godkendelse"))
    response = await ask(ProviderDesk(FixedCatalogue(providers)), "døgn i Syddanmark", "da", now=NOW)
    assert response is not None and "2 udbydere, der ellers passer, er ikke vist, fordi de" in response.text


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_plural_form_is_translated(lang: str) -> None:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for singular, plural in PLURALS.values():
        entry = catalog.get(singular)
        assert entry is not None and entry.id == (singular, plural), singular
        assert isinstance(entry.string, tuple) and all(entry.string) and not entry.fuzzy, singular


async def test_nearest_to_the_home_town_lists_every_region_by_distance() -> None:
    answer = await ask(sample_desk(), "hvilke døgnsteder ligger tættest på Brønderslev", "da", now=NOW)
    assert answer is not None and "nærmest først" in answer.text
    listed = {p.id: p for p in sample_providers()}
    distances = [listed[i].distance_km for i in answer.provider_ids]
    assert distances == sorted(distances) and len(answer.provider_ids) == 5
    everyone = [p for p in sample_providers() if OfferType.DOEGN in p.offer_types]
    assert {p.region for p in everyone} - {Region.NORDJYLLAND}  # the sample has døgn outside Nordjylland ...
    assert "Nordjylland" not in answer.text.split("\n")[0]  # ... and the search line names no region
