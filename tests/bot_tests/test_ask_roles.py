"""`stifinder ask --jsonl` roles: caseworker and team lines go to the provider desk; citizens never see the catalogue."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import AsyncIterator

import pytest

from bot.cli.ask import ask_jsonl
from bot.config import load_settings
from bot.wiring import App, build_app
from knowledge.providers.catalogue import sample_providers

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    settings = load_settings(ROOT / "config.yml", {})
    built = await build_app(settings, database_url="sqlite+aiosqlite://")
    yield built
    await built.close()


async def run(app: App, lines: list[dict[str, str]]) -> list[dict[str, object]]:
    stdout = io.StringIO()
    await ask_jsonl(app, io.StringIO("\n".join(json.dumps(line) for line in lines)), stdout)
    return [json.loads(line) for line in stdout.getvalue().splitlines()]


async def test_team_and_caseworker_lines_get_the_desk_with_provider_ids(app: App) -> None:
    team, caseworker, other = await run(app, [
        {"text": "hvilke døgntilbud tager imod gravide?", "role": "team"},
        {"text": "hvad koster Fjordlys pr døgn?", "role": "caseworker"},
        {"text": "hvornår er fristen for genvurdering?", "role": "team"}])
    assert team["provider_ids"] == ["eks-lillebaelt"] and team["route"] == "provider_desk.search"
    assert "Eksempeldata" in str(team["reply"])
    assert caseworker["provider_ids"] == ["eks-fjordlys"] and "Kost og logi" in str(caseworker["reply"])
    # Not a provider question: the team gets an answer all the same, never an empty reply or a catalogue.
    assert other["reply"] and "provider_ids" not in other


async def test_a_citizen_asking_about_providers_gets_frit_valg_and_no_catalogue_field(app: App) -> None:
    lines = await run(app, [{"text": t} for t in (
        "hvilke behandlingssteder kan jeg vælge imellem?", "hvad koster Fjordlys pr døgn?",
        "kan jeg komme på Lillebælt Behandlingshjem?", "hvilke døgntilbud tager imod gravide?")])
    assert lines[0]["intent"] == "faq/free_choice"
    internal = set()
    for provider in sample_providers():
        internal |= {str(v) for v in provider.prices_per_day.values()}
        internal |= {provider.name, provider.id} | (set() if provider.is_primary else {provider.intake_phone})
        if provider.tilbudsportalen_id:
            internal.add(provider.tilbudsportalen_id)
    for line in lines:
        reply = str(line["reply"])
        assert "provider_ids" not in line and not line["route"].startswith("provider_desk")  # type: ignore[union-attr]
        assert not [value for value in internal if value in reply], line["text"]
        assert "kr. pr. dag" not in reply and "rammeaftale" not in reply
    # ... and the frit valg answer says whom to call (the routing rule's numbers from config.yml).
    assert "9945 4421" in str(lines[0]["reply"]) and "9945 4705" in str(lines[0]["reply"])
