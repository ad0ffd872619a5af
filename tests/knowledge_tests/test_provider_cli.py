"""`stifinder providers import|list|export` as an administrator runs them: real processes on a temporary
SQLite file (and once on PostgreSQL), honouring STIFINDER_DATABASE_URL."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import fields
from pathlib import Path

import pytest

from fakes.cli import Cli
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from fakes.providers import generate_catalogue
from knowledge.providers import Provider, to_csv

class ProviderCli(Cli):
    """The command line, with a shortcut for the listed catalogue."""

    def catalogue(self) -> dict[str, object]:
        listed: dict[str, object] = json.loads(self.ok("providers", "list", "--json"))
        return listed


@pytest.fixture
def cli(tmp_path: Path) -> ProviderCli:
    return ProviderCli(f"sqlite+aiosqlite:///{tmp_path / 'providers.db'}")


def write(path: Path, providers: list[Provider]) -> Path:
    path.write_text(to_csv(providers), encoding="utf-8")
    return path


def test_a_new_database_lists_the_sample_and_says_it_is_sample_data(cli: ProviderCli) -> None:
    lines = cli.ok("providers", "list").splitlines()
    assert lines[0].startswith("Katalog: sample_catalogue.yml – EKSEMPELDATA")
    assert lines[1].split() == ["id", "navn", "tilbud", "region", "ventetid", "telefon"]
    assert len(lines) == 2 + 26 + 1  # the catalogue line, the header, the providers, the footnote of the primary
    listed = cli.catalogue()
    about = listed["catalogue"]
    assert isinstance(about, dict) and about["is_sample"] is True and about["count"] == 26
    providers = listed["providers"]
    assert isinstance(providers, list) and len(providers) == 26
    assert all(set(p) == {f.name for f in fields(Provider)} for p in providers)


def test_a_bad_file_is_refused_whole_with_every_problem_on_stderr(cli: ProviderCli, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(generate_catalogue(4, seed=5)))))
    header = rows[0]
    rows[2][header.index("age_min")] = "atten"
    rows[4][header.index("region")] = "Fyn"
    path = tmp_path / "kommune.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    result = cli("providers", "import", str(path))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "stifinder providers import: kommune.csv: 2 fejl; intet er importeret",
        "  linje 3, felt age_min: ikke et helt tal: 'atten'",
        "  linje 5, felt region: ukendt region 'Fyn' (gyldige: Nordjylland, Midtjylland, Syddanmark, Sjælland, "
        "Hovedstaden)",
    ]
    about = cli.catalogue()["catalogue"]
    assert isinstance(about, dict) and about["is_sample"] is True  # nothing was imported


def test_a_file_from_excel_in_windows_1252_is_refused_with_a_hint(cli: ProviderCli, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(to_csv(generate_catalogue(3, seed=5)).encode("cp1252"))  # provider 0 is in Brønderslev
    result = cli("providers", "import", str(path))
    assert result.returncode == 1
    assert "linje 2: filen er ikke UTF-8" in result.stderr and "CSV UTF-8" in result.stderr


def test_a_missing_file_is_refused(cli: ProviderCli, tmp_path: Path) -> None:
    result = cli("providers", "import", str(tmp_path / "findes-ikke.yml"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[1].startswith("  kan ikke læse filen")


def test_a_dry_run_checks_and_changes_nothing(cli: ProviderCli, tmp_path: Path) -> None:
    path = write(tmp_path / "kommune.csv", generate_catalogue(12, seed=8))
    assert cli.ok("providers", "import", "--dry-run", str(path)).strip() == \
        "kommune.csv er i orden: 12 udbydere; intet er importeret (--dry-run)"
    about = cli.catalogue()["catalogue"]
    assert isinstance(about, dict) and about["source"] == "sample_catalogue.yml"


def test_import_replaces_the_sample_and_export_import_round_trips(cli: ProviderCli, tmp_path: Path) -> None:
    providers = generate_catalogue(30, seed=9)
    path = write(tmp_path / "kommune.csv", providers)
    assert cli.ok("providers", "import", str(path)).strip() == "importerede 30 udbydere fra kommune.csv"
    first = cli.catalogue()
    about = first["catalogue"]
    assert isinstance(about, dict) and (about["source"], about["is_sample"], about["count"]) == (
        "kommune.csv", False, 30)

    exported = cli.ok("providers", "export", str(tmp_path / "ud.yml")).strip()
    assert exported == "eksporterede 30 udbydere til ud.yml (yaml)"
    (tmp_path / "ud.csv").write_text(cli.ok("providers", "export", "--format", "csv"), encoding="utf-8")
    for exported in ("ud.yml", "ud.csv"):
        cli.ok("providers", "import", str(tmp_path / exported))
        assert cli.catalogue()["providers"] == first["providers"]


def test_the_sample_exported_as_yaml_is_imported_as_sample_data(cli: ProviderCli, tmp_path: Path) -> None:
    cli.ok("providers", "export", str(tmp_path / "eksempel.yml"))
    assert cli.ok("providers", "import", str(tmp_path / "eksempel.yml")).strip() == \
        "importerede 26 udbydere fra eksempel.yml (eksempeldata)"
    about = cli.catalogue()["catalogue"]
    assert isinstance(about, dict) and about["is_sample"] is True


def test_import_and_list_on_postgresql(postgres_url: str, tmp_path: Path) -> None:  # noqa: F811 (fixture)
    cli = ProviderCli(postgres_url)
    providers = generate_catalogue(20, seed=4)
    cli.ok("providers", "import", str(write(tmp_path / "kommune.csv", providers)))
    listed = cli.catalogue()["providers"]
    assert isinstance(listed, list) and [p["id"] for p in listed] == [p.id for p in providers]
