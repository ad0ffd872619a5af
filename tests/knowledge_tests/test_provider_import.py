"""Reading catalogue files: every bad row is reported with its line and field, all at once, and a bad file
gives no providers at all; good CSV and YAML (as Danish Excel and people write them) are read; export and
import give back the same providers."""

from __future__ import annotations

from datetime import date

import pytest

from fakes.providers import generate_catalogue
from knowledge.providers import (CatalogueError, OfferType, Region, TargetGroup, parse_catalogue, read_catalogue,
                                 to_csv, to_yaml)
from knowledge.providers.catalogue import SAMPLE_CATALOGUE

HEADER = ("id,name,ownership,offer_types,region,municipality,address,socialtilsyn_approved,intake_phone,"
          "contract_status,age_min,age_max,waiting_time_days,waiting_time_updated,price_doegn,price_dagbehandling")


def row(id: str = "a1", name: str = "Alfa", offers: str = "doegn", region: str = "Nordjylland",
        age_min: str = "18", age_max: str = "", waiting: str = "", updated: str = "", doegn: str = "",
        dag: str = "", phone: str = "00 00 00 01", approved: str = "ja") -> str:
    return (f"{id},{name},private,{offers},{region},Aalborg,Fiktiv adresse,{approved},{phone},case_by_case,"
            f"{age_min},{age_max},{waiting},{updated},{doegn},{dag}")


def csv_text(*rows: str) -> bytes:
    return "\n".join((HEADER, *rows)).encode() + b"\n"


def problems(data: bytes, name: str = "katalog.csv", today: date | None = None) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(data, name, today=today)
    return [str(problem) for problem in caught.value.problems]


def test_every_bad_row_is_reported_with_its_line_and_field_and_nothing_is_returned() -> None:
    data = csv_text(
        row(id="a1", waiting="14", updated="2026-11-01", doegn="2400"),  # line 2: good
        row(id="a2", name=""),                                          # line 3
        row(id="a3", waiting="tre", updated="2026-11-01"),              # line 4
        row(id="a4", waiting="-3", updated="2026-11-01"),               # line 5
        row(id="a5", offers="doegnbehandlin"),                          # line 6
        row(id="a6", region="Nordjyland"),                              # line 7
        row(id="a1"),                                                   # line 8
        row(id="a8", waiting="7", updated="23/11/2026"),                # line 9
        row(id="a9", age_min="30", age_max="18"),                       # line 10
        row(id="a10", dag="1100"),                                      # line 11
        row(id="a11", waiting="5"),                                     # line 12
        row(id="a12", phone="ring til kommunen"),                       # line 13
        row(id="a13", approved="måske", doegn="2450.5"),                # line 14
        row(id="a2"),                                                   # line 15: a2 has its own problem
        row(id="a15", offers=" | ", age_min="", age_max="16"),          # line 16
    )
    assert problems(data) == [
        "linje 3, felt name: mangler (feltet skal udfyldes)",
        "linje 4, felt waiting_time_days: ikke et helt tal: 'tre'",
        "linje 5, felt waiting_time_days: må ikke være negativ: -3",
        "linje 6, felt offer_types: ukendt tilbudstype 'doegnbehandlin'; mente du 'doegn'?",
        "linje 7, felt region: ukendt region 'Nordjyland'; mente du 'Nordjylland'?",
        "linje 8, felt id: id 'a1' findes allerede i linje 2",
        "linje 9, felt waiting_time_updated: ikke en dato skrevet ÅÅÅÅ-MM-DD: '23/11/2026'",
        "linje 10, felt age_max: 18 er mindre end age_min 30",
        "linje 11, felt price_dagbehandling: pris for dagbehandling, men udbyderen har ikke tilbudstypen "
        "dagbehandling i offer_types",
        "linje 12, felt waiting_time_updated: mangler: datoen hvor tallet sidst blev opdateret (ÅÅÅÅ-MM-DD)",
        "linje 13, felt intake_phone: ikke et dansk telefonnummer med 8 cifre: 'ring til kommunen'",
        "linje 14, felt price_doegn: ikke et helt tal: '2450.5'",
        "linje 14, felt socialtilsyn_approved: ikke ja/nej: 'måske'",
        "linje 15, felt id: id 'a2' findes allerede i linje 3",
        "linje 16, felt age_max: 16 er mindre end age_min 18 (standard, når age_min er tom)",
        "linje 16, felt offer_types: mangler (feltet skal udfyldes)",
    ]


def test_unknown_target_groups_and_offer_types_get_the_nearest_valid_value_or_the_list() -> None:
    header = "id,name,ownership,offer_types,region,municipality,address,socialtilsyn_approved,intake_phone," \
             "contract_status,target_groups"
    lines = [header, "b1,Beta,privet,doegn|xyz,Sjaelland,Sorø,Fiktiv,ja,00000001,none,gravid;unge"]
    found = problems("\n".join(lines).encode())
    assert found[0] == "linje 2, felt offer_types: ukendt tilbudstype 'xyz' (gyldige: " + \
        ", ".join(o.value for o in OfferType) + ")"
    assert "linje 2, felt ownership: ukendt ejerform 'privet'; mente du 'private'?" in found
    assert "linje 2, felt target_groups: ukendt målgruppe 'gravid'; mente du 'gravide'?" in found
    assert len(found) == 4  # 'unge' is not a group either; "Sjaelland" is Sjælland


def test_a_row_after_a_quoted_line_break_is_reported_on_its_own_line() -> None:
    data = csv_text(row(id="c1").replace("Fiktiv adresse", '"Fiktiv adresse\nanden linje"'),  # lines 2-3
                    row(id="c2", age_min="atten"))                                             # line 4
    assert problems(data) == ["linje 4, felt age_min: ikke et helt tal: 'atten'"]


def test_header_problems_are_reported_once_on_line_1_with_suggestions() -> None:
    header = "id,name,ownership,offer_types,region,municipality,address,intake_phone,contract_status," \
             "waiting_time_day,pris_doegn"
    data = "\n".join([header, "d1,Delta,private,doegn,Midtjylland,Viborg,Fiktiv,00 00 00 01,none,3,1500",
                      "d2,Echo,private,doegn,Midtjylland,Viborg,Fiktiv,00 00 00 02,none,4,1600"]).encode()
    assert problems(data) == [
        "linje 1, felt pris_doegn: ukendt kolonne; mente du 'price_doegn'?",
        "linje 1, felt socialtilsyn_approved: kolonnen mangler (den skal være der)",
        "linje 1, felt waiting_time_day: ukendt kolonne; mente du 'waiting_time_days'?",
    ]


def test_a_row_with_too_few_cells_is_reported() -> None:
    data = csv_text(row(id="e1"), "e2,Echo,private,doegn")
    assert problems(data) == ["linje 3: rækken har 4 felter, men overskriften har 16 (mangler et skilletegn ',' "
                              "eller et anførselstegn?)"]


def test_a_windows_1252_file_from_excel_is_refused_with_the_line_and_a_hint() -> None:
    data = csv_text(row(id="f1"), row(id="f2", name="Fjordhøj")).decode().encode("cp1252")
    offset = data.index("ø".encode("cp1252"))
    [message] = problems(data)
    assert message.startswith(f"linje 3: filen er ikke UTF-8: byte 0xF8 på position {offset} (linje 3)")
    assert "Windows-1252" in message and "CSV UTF-8" in message


def test_bytes_that_are_no_text_at_all_get_no_excel_hint() -> None:
    [message] = problems(b"id,name\n\x81\x8d\x8f\x90\x9d\n")
    assert message.startswith("linje 2: filen er ikke UTF-8: byte 0x81 på position 8")
    assert "Excel" not in message


@pytest.mark.parametrize(("data", "name", "expected"), [
    (b"", "tom.csv", "filen er tom: der er ingen udbydere at importere"),
    (b"  \n\n", "tom.yml", "filen er tom: der er ingen udbydere at importere"),
    (HEADER.encode() + b"\n\n", "overskrift.csv", "filen har ingen udbydere (kun en overskrift eller en tom liste)"),
    (b"[]\n", "tom-liste.yaml", "filen har ingen udbydere (kun en overskrift eller en tom liste)"),
    (b"sample: true\nproviders: []\n", "tom.yml", "filen har ingen udbydere (kun en overskrift eller en tom liste)"),
    (b"id,name\n", "katalog.txt", "ukendt filtype '.txt': brug .csv, .yml eller .yaml"),
])
def test_empty_files_and_unknown_formats_are_refused(data: bytes, name: str, expected: str) -> None:
    assert problems(data, name) == [expected]


YAML_GOOD = """\
- id: y1
  name: Ypsilon
  ownership: private
  offer_types: [doegn]
  region: Region Hovedstaden
  municipality: København
  address: Fiktiv adresse
  socialtilsyn_approved: true
  intake_phone: "00 00 00 01"
  contract_status: none
  prices_per_day: {doegn: 2100}
"""


def test_yaml_problems_name_the_line_of_the_field() -> None:
    text = YAML_GOOD + """\
- id: y2
  name: Zeta
  ownership: private
  offer_types: [dagbehandling]
  region: Syddanmark
  municipality: Odense
  adress: Fiktiv adresse
  socialtilsyn_approved: yes
  intake_phone: 00000002
  contract_status: none
  waiting_time_days: 10
  waiting_time_updated: 2026-13-01
  prices_per_day:
    dagbehandling: 1200
    doegn: 2400
"""
    assert problems(text.encode(), "katalog.yml") == [
        "linje 12, felt address: mangler (feltet skal udfyldes)",
        "linje 18, felt adress: ukendt felt; mente du 'address'?",
        "linje 23, felt waiting_time_updated: ikke en dato skrevet ÅÅÅÅ-MM-DD: '2026-13-01'",
        "linje 26, felt prices_per_day.doegn: pris for doegn, men udbyderen har ikke tilbudstypen doegn i offer_types",
    ]


def test_a_yaml_syntax_error_names_its_line() -> None:
    text = YAML_GOOD + "- id: y2\n  name: [uafsluttet\n  region: Syddanmark\n"
    [message] = problems(text.encode(), "katalog.yml")
    assert message.startswith("linje 14: YAML-fejl:")  # where the parser found the open bracket's end missing


def test_dates_after_today_are_refused_when_today_is_given() -> None:
    data = csv_text(row(id="g1", waiting="3", updated="2026-12-24"))
    assert problems(data, today=date(2026, 11, 23)) == [
        "linje 2, felt waiting_time_updated: 2026-12-24 ligger efter i dag (2026-11-23)"]
    assert parse_catalogue(data, "katalog.csv").providers[0].waiting_time_updated == date(2026, 12, 24)


def test_a_danish_excel_csv_with_semicolons_bom_pipes_and_thousands_separators_is_read() -> None:
    text = ("\ufeffid;name;ownership;offer_types;region;municipality;address;socialtilsyn_approved;intake_phone;"
            "contract_status;target_groups;price_døgn;price_afgiftning;dual_diagnosis\n"
            "h1;Hotel;Privat;Døgn|afgiftning;region sjælland;Roskilde;\"Fiktiv; adresse\";JA;+45 00 00 00 01;"
            "case_by_case;Gravide | dobbeltdiagnose;1.950;3200;x\n")  # price_døgn is price_doegn
    [provider] = parse_catalogue(text.encode("utf-8"), "excel.csv").providers
    assert provider.offer_types == {OfferType.DOEGN, OfferType.AFGIFTNING}
    assert provider.region is Region.SJAELLAND
    assert provider.target_groups == {TargetGroup.GRAVIDE, TargetGroup.DOBBELTDIAGNOSE}
    assert provider.prices_per_day == {OfferType.DOEGN: 1950, OfferType.AFGIFTNING: 3200}
    assert provider.address == "Fiktiv; adresse"
    assert provider.socialtilsyn_approved and provider.dual_diagnosis and not provider.is_primary
    assert provider.age_min == 18 and provider.age_max is None


def test_a_yaml_list_without_the_sample_mark_is_not_sample_data() -> None:
    parsed = parse_catalogue(YAML_GOOD.encode(), "katalog.yaml")
    assert not parsed.is_sample
    assert parsed.providers[0].region is Region.HOVEDSTADEN
    assert parsed.providers[0].prices_per_day == {OfferType.DOEGN: 2100}


@pytest.mark.parametrize("form", ["csv", "yaml"])
def test_export_then_import_gives_the_same_providers(form: str) -> None:
    providers = generate_catalogue(300, seed=7)
    if form == "csv":
        parsed = parse_catalogue(to_csv(providers).encode(), "export.csv")
    else:
        parsed = parse_catalogue(to_yaml(providers).encode(), "export.yml")
    assert parsed.providers == providers
    assert not parsed.is_sample


def test_the_sample_keeps_its_mark_through_a_yaml_export() -> None:
    sample = read_catalogue(SAMPLE_CATALOGUE)
    again = parse_catalogue(to_yaml(sample.providers, is_sample=True).encode(), "export.yml")
    assert again.is_sample and again.providers == sample.providers


def test_unquoted_yaml_numbers_keep_their_leading_zeros() -> None:
    text = YAML_GOOD.replace('intake_phone: "00 00 00 01"', "intake_phone: 00000001").replace(
        "  contract_status: none\n", "  contract_status: none\n  age_min: 016\n  distance_km: 0x10\n")
    assert problems(text.encode(), "katalog.yml") == ["linje 12, felt distance_km: ikke et helt tal: '0x10'"]
    text = text.replace("  distance_km: 0x10\n", "")
    [provider] = parse_catalogue(text.encode(), "katalog.yml").providers
    assert provider.intake_phone == "00000001" and provider.age_min == 16


def test_generated_catalogues_are_valid_varied_and_reproducible() -> None:
    providers = generate_catalogue(1000, seed=21)
    assert parse_catalogue(to_csv(providers).encode(), "generated.csv").providers == providers  # passes every check
    assert generate_catalogue(1000, seed=21) == providers and generate_catalogue(1000, seed=22) != providers
    assert len({p.id for p in providers}) == len({p.name for p in providers}) == 1000
    assert set().union(*(p.offer_types for p in providers[:30])) == set(OfferType)
    assert set().union(*(p.target_groups for p in providers[:30])) == set(TargetGroup)
    assert {p.region for p in providers[:5]} == set(Region)
    assert [p.is_primary for p in providers].count(True) == 1
    assert all(p.intake_phone.startswith("00 ") for p in providers)


def test_places_profiles_and_lengths_are_checked_against_each_other() -> None:
    header = "id,name,ownership,offer_types,region,municipality,address,socialtilsyn_approved,intake_phone," \
             "contract_status,doegn_profile,capacity_places,free_places,free_places_updated,tilbudsportalen_id"
    lines = [header,
             "p1,Pi,private,dagbehandling,Midtjylland,Viborg,Fiktiv,ja,00 00 00 01,none,stoffri,8,9,2026-11-01,",
             "p2,Rho,private,doegn,Midtjylland,Viborg,Fiktiv,ja,00 00 00 02,none,skaermet_tilbageholdelse,8,2,,"
             + "x" * 41]
    assert problems("\n".join(lines).encode()) == [
        "linje 2, felt doegn_profile: en døgnprofil kræver tilbudstypen doegn i offer_types",
        "linje 2, felt free_places: 9 ledige pladser, men capacity_places er 8",
        "linje 3, felt doegn_profile: ukendt døgnprofil 'skaermet_tilbageholdelse'; "
        "mente du 'skaermet_med_tilbageholdelse'?",
        "linje 3, felt free_places_updated: mangler: datoen hvor tallet sidst blev opdateret (ÅÅÅÅ-MM-DD)",
        "linje 3, felt tilbudsportalen_id: for lang tekst: 41 tegn, højst 40",
    ]
