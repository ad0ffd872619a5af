"""The stored catalogue on SQLite and a real PostgreSQL 15: a new database starts with the sample, a
replacement is whole or nothing, and providers come back exactly as stored. The shipped sample itself:
every offer type, target group and region, the real primary provider, fictional everything else."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli.check import check_content
from bot.config import Settings
from bot.storage import open_database
from fakes.databases import database_url, sessions  # noqa: F401 (fixtures)
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from fakes.providers import generate_catalogue
from knowledge.providers import (SAMPLE_CATALOGUE, OfferType, Ownership, Region, TargetGroup, catalogue_info,
                                 load_providers, read_catalogue, replace_catalogue)

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)


async def test_a_new_database_starts_with_the_sample_catalogue(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        info = await catalogue_info(session)
        providers = await load_providers(session)
    assert info is not None and info.is_sample and info.source == "sample_catalogue.yml"
    assert info.count == len(providers) == 26
    assert providers == read_catalogue(SAMPLE_CATALOGUE).providers


async def test_an_import_replaces_the_sample_and_the_sample_never_comes_back(
        sessions: async_sessionmaker[AsyncSession], tmp_path: Path) -> None:
    providers = generate_catalogue(40, seed=3)
    async with sessions.begin() as session:
        await replace_catalogue(session, providers, "kommunens-katalog.csv", is_sample=False, now=NOW)
    async with sessions() as session:
        info = await catalogue_info(session)
        assert await load_providers(session) == providers
    assert info is not None and (info.source, info.is_sample, info.count, info.imported_at) == (
        "kommunens-katalog.csv", False, 40, NOW)


async def test_a_failed_replacement_keeps_the_old_catalogue(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        before = await load_providers(session)
    twins = generate_catalogue(5, seed=1)
    twins.append(replace(twins[0], name="En anden"))  # the same id twice: the database refuses the insert
    with pytest.raises(IntegrityError):
        async with sessions.begin() as session:
            await replace_catalogue(session, twins, "dobbelt.csv", is_sample=False, now=NOW)
    async with sessions() as session:
        assert await load_providers(session) == before
        info = await catalogue_info(session)
    assert info is not None and info.is_sample


@pytest.mark.slow
async def test_five_thousand_providers_go_in_and_come_back_in_file_order(
        sessions: async_sessionmaker[AsyncSession]) -> None:
    providers = generate_catalogue(5000, seed=11)
    providers.reverse()  # file order, not id order
    async with sessions.begin() as session:
        await replace_catalogue(session, providers, "stor.yml", is_sample=False, now=NOW)
    async with sessions() as session:
        assert await load_providers(session) == providers


async def test_opening_a_database_again_keeps_an_imported_catalogue(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'again.db'}"
    engine, sessions = await open_database(url)
    try:
        async with sessions.begin() as session:
            await replace_catalogue(session, generate_catalogue(3, seed=2), "tre.csv", is_sample=False, now=NOW)
    finally:
        await engine.dispose()
    engine, sessions = await open_database(url)
    try:
        async with sessions() as session:
            info = await catalogue_info(session)
        assert info is not None and (info.source, info.count, info.is_sample) == ("tre.csv", 3, False)
    finally:
        await engine.dispose()


def test_the_sample_covers_every_offer_type_target_group_and_region() -> None:
    parsed = read_catalogue(SAMPLE_CATALOGUE)
    providers = parsed.providers
    assert parsed.is_sample
    assert set().union(*(p.offer_types for p in providers)) == set(OfferType)
    assert set().union(*(p.target_groups for p in providers)) == set(TargetGroup)
    assert {p.region for p in providers} == set(Region)
    assert 24 <= len(providers) <= 30


def test_the_sample_has_the_real_primary_provider_and_fictional_others() -> None:
    providers = read_catalogue(SAMPLE_CATALOGUE).providers
    [primary] = [p for p in providers if p.is_primary]
    assert (primary.name, primary.intake_phone, primary.ownership) == (
        "Brønderslev Rusmiddelcenter", "2491 6541", Ownership.MUNICIPAL_OWN)
    assert primary.address == "Se kommunens hjemmeside"
    others = [p for p in providers if not p.is_primary]
    for provider in others:
        assert provider.name.endswith("(fiktiv)"), provider.name
        assert provider.address == "Fiktiv adresse", provider.id
        assert re.fullmatch(r"00 00 00 \d\d", provider.intake_phone), provider.id  # no Danish number starts with 0
        assert provider.tilbudsportalen_id is None or provider.tilbudsportalen_id.startswith("EKS-")
    assert len({p.intake_phone for p in providers}) == len(providers)


def test_the_sample_shows_stale_and_fresh_waiting_times_and_realistic_prices() -> None:
    providers = read_catalogue(SAMPLE_CATALOGUE).providers
    updated = [p.waiting_time_updated for p in providers if p.waiting_time_updated is not None]
    assert sum((NOW.date() - day).days > 60 for day in updated) >= 3
    assert sum((NOW.date() - day).days <= 7 for day in updated) >= 10
    doegn = [p.prices_per_day[OfferType.DOEGN] for p in providers if OfferType.DOEGN in p.prices_per_day]
    dag = [p.prices_per_day[OfferType.DAGBEHANDLING] for p in providers if OfferType.DAGBEHANDLING in p.prices_per_day]
    assert doegn and all(1500 <= price <= 3500 for price in doegn)
    assert dag and all(800 <= price <= 1500 for price in dag)
    assert any(not p.socialtilsyn_approved for p in providers)  # so the frit valg rule can be shown
    assert any(not p.on_tilbudsportalen and not p.is_primary for p in providers)


def test_stifinder_check_reads_the_sample_catalogue(settings: Settings, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    assert not [p for p in check_content(settings) if p.startswith("providers")]
    broken = tmp_path / "sample_catalogue.yml"
    broken.write_text(SAMPLE_CATALOGUE.read_text(encoding="utf-8").replace("age_max: 30", "age_max: tredive", 1),
                      encoding="utf-8")
    monkeypatch.setattr("bot.cli.check.SAMPLE_CATALOGUE", broken)
    [problem] = [p for p in check_content(settings) if p.startswith("providers")]
    assert problem.startswith("providers: sample_catalogue.yml: 1 fejl")
    assert "felt age_max: ikke et helt tal: 'tredive'" in problem
    unmarked = tmp_path / "unmarked.yml"
    unmarked.write_text(SAMPLE_CATALOGUE.read_text(encoding="utf-8").replace("sample: true", "sample: false"),
                        encoding="utf-8")
    monkeypatch.setattr("bot.cli.check.SAMPLE_CATALOGUE", unmarked)
    assert [p for p in check_content(settings) if p.startswith("providers")] == [
        "providers: unmarked.yml must say `sample: true`"]
