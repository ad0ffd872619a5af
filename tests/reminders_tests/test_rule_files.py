"""The rule files load, say what issue 4 asks for, and a malformed one is refused by file, rule and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from reminders import COMPLETION_KINDS, ISSUE_KINDS, RULES_DIR, EventKind, RuleError, Status, Unit, load_labels, \
    load_rules

RULES = {rule.id: rule for rule in load_rules()}

# Issue 4, item 2: (anchor event, offset, rule) for every deadline it lists.
ISSUE_DEADLINES = [
    ("henvendelse", 14, Unit.DAYS, "behandlingsgaranti"),
    ("udredende_samtale", 14, Unit.DAYS, "afgoerelse_ambulant"),
    ("doegn_ansoegning", 16, Unit.WEEKS, "afgoerelse_doegn"),
    ("afgoerelse_sendt", 4, Unit.WEEKS, "klagefrist"),
    ("klage_modtaget", 4, Unit.WEEKS, "klage_genvurdering"),
    ("klage_modtaget", 4, Unit.WEEKS, "klage_til_ankestyrelsen"),
    ("delvist_medhold_sendt", 4, Unit.WEEKS, "delvist_medhold_svar"),
    ("klage_fastholdt", 14, Unit.DAYS, "klage_fastholdt_til_ankestyrelsen"),
    ("behandlingsplan", 6, Unit.MONTHS, "behandlingsplan_revision"),
    ("udskrevet_faerdigbehandlet", 1, Unit.MONTHS, "opfoelgning_1_maaned"),
    ("udskrevet_faerdigbehandlet", 6, Unit.MONTHS, "opfoelgning_6_maaneder"),
    ("behandlingsafbrud", 2, Unit.DAYS, "afbrud_orientering"),
    ("graviditetskontrakt", 6, Unit.MONTHS, "graviditetskontrakt_slut"),
]


@pytest.mark.parametrize(("anchor", "count", "unit", "rule_id"), ISSUE_DEADLINES)
def test_every_deadline_of_the_issue_is_a_rule(anchor: str, count: int, unit: Unit, rule_id: str) -> None:
    rule = RULES[rule_id]
    assert EventKind(anchor) in rule.anchor
    assert (rule.offset.count, rule.offset.unit) == (count, unit)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_names_its_source_and_legal_basis_and_has_both_languages(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.source and rule.legal_basis and rule.title.da and rule.title.en
    assert rule.note is not None and rule.note.da and rule.note.en
    assert rule.met_by or rule.informational


def test_the_exceptions_of_the_issue_are_in_the_rules() -> None:
    guarantee = RULES["behandlingsgaranti"]
    assert guarantee.legal_basis.startswith("SEL § 101, stk. 4")
    assert EventKind.BEHANDLING_STARTET in guarantee.met_by and EventKind.FRIT_VALG in guarantee.cancelled_by
    assert EventKind.UDSKREVET_FAERDIGBEHANDLET in guarantee.reset_by
    for rule_id in ("opfoelgning_1_maaned", "opfoelgning_6_maaneder"):
        assert EventKind.UDSKREVET_BORTVIST not in RULES[rule_id].anchor
        assert EventKind.UDSKREVET_UDEBLEVET not in RULES[rule_id].anchor
    assert RULES["behandlingsplan_revision"].repeat
    assert RULES["klagefrist"].informational and RULES["delvist_medhold_svar"].informational


def test_every_event_kind_of_the_issue_is_used_by_some_rule() -> None:
    used = {kind for rule in RULES.values()
            for kind in (*rule.anchor, *rule.met_by, *rule.cancelled_by, *rule.reset_by, *rule.receipt)}
    assert set(ISSUE_KINDS) <= used
    assert set(COMPLETION_KINDS) <= used
    assert {EventKind.AFGOERELSE_MODTAGET, EventKind.GRAVIDITETSKONTRAKT_OPHOERT} <= used
    assert len(ISSUE_KINDS) == 18 and len(EventKind) == 23


def test_every_kind_status_and_phrase_has_a_danish_and_an_english_label() -> None:
    labels = load_labels()
    assert labels.kind(EventKind.HENVENDELSE) == "henvendelse om behandling"
    assert labels.status(Status.OVERDUE) == "overskredet" and labels.status(Status.OVERDUE, "en") == "overdue"
    assert labels.phrase("in_days", days="5 dage") == "om 5 dage"


GOOD = """\
  - id: my_rule
    title: {da: "En frist", en: "A deadline"}
    anchor: [henvendelse]
    offset: {days: 14}
    met_by: [behandling_startet]
    source: "Afsnit"
    legal_basis: "SEL § 101"
"""


def write(tmp_path: Path, body: str, name: str = "rules.yml") -> Path:
    (tmp_path / name).write_text('version: "1"\nrules:\n' + body, encoding="utf-8")
    return tmp_path


def test_a_well_formed_file_loads(tmp_path: Path) -> None:
    (rule,) = load_rules(write(tmp_path, GOOD))
    assert rule.id == "my_rule" and rule.file == "rules.yml" and str(rule.offset) == "14 days"


@pytest.mark.parametrize(("change", "field", "secret"), [
    (("anchor: [henvendelse]", "anchor: [henvendelse, borger_jens_hansen]"), "anchor", "borger_jens_hansen"),
    (("met_by: [behandling_startet]", "met_by: [behandling_startet, 0101901234]"), "met_by", "0101901234"),
    (("offset: {days: 14}", "offset: {days: 14, weeks: 2}"), "offset", None),
    (("offset: {days: 14}", "offset: {days: -1}"), "offset", None),
    (("offset: {days: 14}", "offset: {fortnights: 1}"), "offset", "fortnights"),
    (("offset: {days: 14}", "offset: {days: \"fjorten\"}"), "offset", "fjorten"),
    (('    legal_basis: "SEL § 101"\n', ""), "legal_basis", None),
    (('title: {da: "En frist", en: "A deadline"}', 'title: {da: "En frist"}'), "title", None),
    (("met_by: [behandling_startet]", "met_by: []"), "met_by", None),
    (("met_by: [behandling_startet]", "met_by: [behandling_startet]\n    cancelled_by: [behandling_startet]"),
     "cancelled_by", None),
    (("met_by: [behandling_startet]", "met_by: [behandling_startet]\n    again: after_reset"), "reset_by", None),
    (("met_by: [behandling_startet]", "met_by: [behandling_startet]\n    again: sometimes"), "again", "sometimes"),
    (("met_by: [behandling_startet]", "met_by: [behandling_startet]\n    repeat: \"ja\""), "repeat", None),
    (("met_by: [behandling_startet]", "met_by: [behandling_startet]\n    remind_cpr: 0101901234"), "remind_cpr",
     "0101901234"),
])
def test_a_malformed_rule_is_named_by_file_rule_and_field_never_by_value(
        tmp_path: Path, change: tuple[str, str], field: str, secret: str | None) -> None:
    assert change[0] in GOOD
    with pytest.raises(RuleError) as raised:
        load_rules(write(tmp_path, GOOD.replace(*change)))
    message = str(raised.value)
    assert message.startswith("rules.yml rule 'my_rule' field ")
    assert raised.value.file == "rules.yml" and raised.value.rule == "my_rule" and raised.value.field == field
    if secret:
        assert secret not in message


def test_a_rule_id_used_twice_across_files_is_refused(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.yml")
    write(tmp_path, GOOD, "b.yml")
    with pytest.raises(RuleError, match=r"^b.yml rule 'my_rule' field 'id': rule id is used twice"):
        load_rules(tmp_path)


@pytest.mark.parametrize(("text", "message"), [
    ("version: \"1\"\nrules: [\n", "not valid YAML"),
    ("version: \"2\"\nrules: []\n", "unsupported version"),
    ("rules: []\n", "exactly the keys"),
    ("version: \"1\"\nrules: []\n", "non-empty list"),
    ("version: \"1\"\nrules:\n  - id: Not An Id\n", "needs an id"),
])
def test_a_malformed_file_is_named(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "bad.yml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleError, match=message) as raised:
        load_rules(tmp_path)
    assert str(raised.value).startswith("bad.yml")


def test_an_empty_rules_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="no rule files"):
        load_rules(tmp_path)


def test_the_shipped_rules_are_in_the_package() -> None:
    assert sorted(path.name for path in RULES_DIR.glob("*.yml")) == [
        "01_adgang.yml", "02_klager.yml", "03_forloeb.yml", "04_opfoelgning.yml"]


def test_the_docs_table_lists_every_rule() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "reminders.md").read_text(encoding="utf-8")
    missing = [rule_id for rule_id in RULES if f"| `{rule_id}` |" not in docs]
    assert not missing
