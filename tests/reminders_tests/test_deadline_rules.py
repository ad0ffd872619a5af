"""Every deadline rule, computed from events: offsets across month ends, leap years, year ends and DST,
and the events that meet or cancel deadlines. Pure: no clock, no database."""

from __future__ import annotations

import random
from datetime import date

import pytest

from reminders import Deadline, Event, EventKind, Status, due_dates, load_rules

RULES = load_rules()
DISCHARGES_WITH_FOLLOW_UP = ("udskrevet_faerdigbehandlet", "udskrevet_andet_tilbud", "udskrevet_hospital",
                             "udskrevet_anden_aarsag")


def events(*items: tuple[str, str]) -> list[Event]:
    """Events from (kind, ISO day) pairs; ids follow the order given, as recording order would."""
    return [Event(EventKind(kind), date.fromisoformat(day), index) for index, (kind, day) in enumerate(items, 1)]


def of(deadlines: list[Deadline], rule_id: str) -> list[Deadline]:
    return [d for d in deadlines if d.rule.id == rule_id]


def one(deadlines: list[Deadline], rule_id: str) -> Deadline:
    found = of(deadlines, rule_id)
    assert len(found) == 1, [d.rule.id for d in deadlines]
    return found[0]


def compute(*items: tuple[str, str], today: str = "2026-01-01") -> list[Deadline]:
    return due_dates(events(*items), RULES, date.fromisoformat(today))


# --- when each rule falls due: month ends, leap years, year ends, DST weeks -------------------------

@pytest.mark.parametrize(("rule_id", "anchor", "on", "due"), [
    # behandlingsgaranti: 14 calendar days (the guidelines' example: 3 March → 17 March)
    ("behandlingsgaranti", "henvendelse", "2026-03-03", "2026-03-17"),
    ("behandlingsgaranti", "henvendelse", "2026-01-31", "2026-02-14"),
    ("behandlingsgaranti", "henvendelse", "2026-12-20", "2027-01-03"),
    ("behandlingsgaranti", "henvendelse", "2028-02-20", "2028-03-05"),   # 29 February counts
    ("behandlingsgaranti", "henvendelse", "2027-02-20", "2027-03-06"),
    ("behandlingsgaranti", "henvendelse", "2026-03-20", "2026-04-03"),   # across the spring DST change
    ("behandlingsgaranti", "henvendelse", "2026-10-20", "2026-11-03"),   # across the autumn DST change
    ("behandlingsgaranti", "henvendelse", "2026-03-22", "2026-04-05"),   # due on påskedag: not moved
    ("afgoerelse_ambulant", "udredende_samtale", "2026-01-31", "2026-02-14"),
    ("afgoerelse_ambulant", "udredende_samtale", "2028-02-28", "2028-03-13"),
    ("afgoerelse_ambulant", "udredende_samtale", "2026-12-31", "2027-01-14"),
    ("afgoerelse_doegn", "doegn_ansoegning", "2026-11-02", "2027-02-22"),    # 16 weeks over the year end
    ("afgoerelse_doegn", "doegn_ansoegning", "2027-12-01", "2028-03-22"),    # ... and a leap February
    ("afgoerelse_doegn", "doegn_ansoegning", "2026-01-31", "2026-05-23"),
    ("klagefrist", "afgoerelse_sendt", "2026-01-31", "2026-02-28"),
    ("klagefrist", "afgoerelse_sendt", "2028-02-01", "2028-02-29"),
    ("klagefrist", "afgoerelse_sendt", "2026-12-10", "2027-01-07"),
    ("klage_genvurdering", "klage_modtaget", "2026-02-02", "2026-03-02"),
    ("klage_genvurdering", "klage_modtaget", "2026-03-10", "2026-04-07"),    # across DST and påske
    ("klage_til_ankestyrelsen", "klage_modtaget", "2026-12-15", "2027-01-12"),
    ("delvist_medhold_svar", "delvist_medhold_sendt", "2028-02-15", "2028-03-14"),
    ("klage_fastholdt_til_ankestyrelsen", "klage_fastholdt", "2026-12-24", "2027-01-07"),
    ("klage_fastholdt_til_ankestyrelsen", "klage_fastholdt", "2026-10-18", "2026-11-01"),
    ("behandlingsplan_revision", "behandlingsplan", "2025-08-31", "2026-02-28"),  # 31 August + 6 months
    ("behandlingsplan_revision", "behandlingsplan", "2027-08-31", "2028-02-29"),  # ... in a leap year
    ("behandlingsplan_revision", "behandlingsplan", "2026-07-15", "2027-01-15"),
    # afbrud_orientering: 2 calendar days, moved to the next working day when they end on a closed day
    ("afbrud_orientering", "behandlingsafbrud", "2026-12-31", "2027-01-04"),   # Saturday 2 January → Monday
    ("afbrud_orientering", "behandlingsafbrud", "2028-02-28", "2028-03-01"),   # Wednesday: not moved
    ("afbrud_orientering", "behandlingsafbrud", "2026-03-28", "2026-03-30"),   # over the DST night
    ("afbrud_orientering", "behandlingsafbrud", "2026-12-04", "2026-12-07"),   # Friday: Sunday → Monday
    ("afbrud_orientering", "behandlingsafbrud", "2026-12-05", "2026-12-07"),   # Saturday: Monday, a working day
    ("afbrud_orientering", "behandlingsafbrud", "2026-04-01", "2026-04-07"),   # langfredag 3 April → past 2. påskedag
    ("behandlingsplan_ved_start", "behandling_startet", "2026-03-10", "2026-03-10"),  # due the start day
    ("behandlingsplan_ved_start", "behandling_startet", "2028-02-29", "2028-02-29"),
    ("graviditetskontrakt_slut", "graviditetskontrakt", "2026-08-31", "2027-02-28"),
    ("graviditetskontrakt_slut", "graviditetskontrakt", "2027-08-31", "2028-02-29"),
    ("opfoelgning_1_maaned", "udskrevet_faerdigbehandlet", "2026-01-31", "2026-02-28"),  # 31 January + 1 month
    ("opfoelgning_1_maaned", "udskrevet_hospital", "2028-01-31", "2028-02-29"),
    ("opfoelgning_1_maaned", "udskrevet_andet_tilbud", "2026-12-31", "2027-01-31"),
    ("opfoelgning_1_maaned", "udskrevet_anden_aarsag", "2026-03-31", "2026-04-30"),
    ("opfoelgning_6_maaneder", "udskrevet_faerdigbehandlet", "2026-01-31", "2026-07-31"),
    ("opfoelgning_6_maaneder", "udskrevet_faerdigbehandlet", "2027-08-31", "2028-02-29"),
    ("opfoelgning_6_maaneder", "udskrevet_anden_aarsag", "2026-10-25", "2027-04-25"),
])
def test_each_rule_falls_due_on_the_calendar_day(rule_id: str, anchor: str, on: str, due: str) -> None:
    deadline = one(compute((anchor, on), today=on), rule_id)
    assert deadline.due == date.fromisoformat(due)
    assert deadline.status is Status.OPEN and deadline.anchor.kind == EventKind(anchor)


def test_every_rule_in_the_files_is_covered_above() -> None:
    covered = {"behandlingsgaranti", "afgoerelse_ambulant", "afgoerelse_doegn", "klagefrist", "klage_genvurdering",
               "klage_til_ankestyrelsen", "delvist_medhold_svar", "klage_fastholdt_til_ankestyrelsen",
               "behandlingsplan_revision", "afbrud_orientering", "graviditetskontrakt_slut", "opfoelgning_1_maaned",
               "opfoelgning_6_maaneder", "behandlingsplan_ved_start"}
    assert {rule.id for rule in RULES} == covered


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
@pytest.mark.parametrize("on", ["2026-01-31", "2028-02-29", "2026-12-31", "2026-03-29", "2026-10-25"])
def test_every_rule_is_met_by_each_meeting_event_and_cancelled_by_each_cancelling_event(rule: object, on: str) -> None:
    from reminders import Rule

    assert isinstance(rule, Rule)
    anchor = rule.anchor[0].value

    def first(*items: tuple[str, str]) -> Deadline:
        return next(d for d in due_dates(events(*items), [rule], date(2030, 1, 1)) if d.anchor.id == 1)

    due = one(due_dates(events((anchor, on)), [rule], date(2030, 1, 1)), rule.id).due
    for kind in rule.met_by:  # on the due day, inside any window
        deadline = first((anchor, on), (kind.value, due.isoformat()))
        assert deadline.status is Status.MET and deadline.closed_by is not None and deadline.closed_by.id == 2
    for kind in rule.cancelled_by:
        assert first((anchor, on), (kind.value, on)).status is Status.CANCELLED
    alone = one(due_dates(events((anchor, on)), [rule], date(2030, 1, 1)), rule.id)
    assert alone.status is (Status.MET if rule.informational else Status.OVERDUE)
    assert alone.closed_by is None and alone.state is Status.OPEN


# --- status on a day ---------------------------------------------------------------------------------

def test_open_until_the_due_day_and_overdue_from_the_next() -> None:
    items = (("henvendelse", "2026-03-03"),)
    assert one(compute(*items, today="2026-03-17"), "behandlingsgaranti").status is Status.OPEN
    late = one(compute(*items, today="2026-03-18"), "behandlingsgaranti")
    assert late.status is Status.OVERDUE and late.days_left(date(2026, 3, 18)) == -1


def test_an_event_before_the_anchor_neither_meets_nor_cancels() -> None:
    found = compute(("frit_valg", "2026-03-01"), ("behandling_startet", "2026-03-02"), ("henvendelse", "2026-03-03"),
                    today="2026-03-05")
    assert one(found, "behandlingsgaranti").status is Status.OPEN


def test_the_order_events_are_given_in_does_not_matter() -> None:
    items = events(("henvendelse", "2026-03-03"), ("udredende_samtale", "2026-03-05"), ("afgoerelse_sendt", "2026-03-10"),
                   ("behandling_startet", "2026-03-12"), ("behandlingsplan", "2026-03-12"),
                   ("udskrevet_faerdigbehandlet", "2026-09-30"), ("opfoelgning", "2026-10-20"))
    expected = due_dates(items, RULES, date(2026, 11, 1))
    shuffled = items[:]
    random.Random(4).shuffle(shuffled)
    assert due_dates(shuffled, RULES, date(2026, 11, 1)) == expected


# --- the treatment guarantee and its exceptions --------------------------------------------------------

def test_treatment_started_meets_the_guarantee_even_on_the_due_day() -> None:
    deadline = one(compute(("henvendelse", "2026-03-03"), ("behandling_startet", "2026-03-17"), today="2026-04-01"),
                   "behandlingsgaranti")
    assert deadline.status is Status.MET and deadline.closed_by is not None
    assert deadline.closed_by.on == date(2026, 3, 17)


def test_treatment_started_late_still_closes_the_guarantee_as_met_after_its_due_day() -> None:
    deadline = one(compute(("henvendelse", "2026-03-03"), ("behandling_startet", "2026-03-20"), today="2026-04-01"),
                   "behandlingsgaranti")
    assert deadline.status is Status.MET and deadline.closed_by is not None
    assert deadline.closed_by.on > deadline.due


def test_frit_valg_lifts_the_14_day_guarantee() -> None:
    deadline = one(compute(("henvendelse", "2026-03-03"), ("frit_valg", "2026-03-05"), today="2026-04-01"),
                   "behandlingsgaranti")
    assert deadline.status is Status.CANCELLED


def test_a_second_henvendelse_in_the_same_course_does_not_restart_the_clock() -> None:
    found = compute(("henvendelse", "2026-03-03"), ("henvendelse", "2026-03-10"), today="2026-03-12")
    assert one(found, "behandlingsgaranti").due == date(2026, 3, 17)


def test_a_henvendelse_after_treatment_started_but_before_discharge_starts_nothing() -> None:
    found = compute(("henvendelse", "2026-03-03"), ("behandling_startet", "2026-03-10"), ("henvendelse", "2026-05-01"),
                    today="2026-05-02")
    assert [d.status for d in of(found, "behandlingsgaranti")] == [Status.MET]


@pytest.mark.parametrize("discharge", ["udskrevet_faerdigbehandlet", "udskrevet_bortvist", "udskrevet_udeblevet"])
def test_a_new_henvendelse_after_discharge_starts_a_new_guarantee(discharge: str) -> None:
    found = compute(("henvendelse", "2026-01-05"), ("behandling_startet", "2026-01-12"), (discharge, "2026-06-30"),
                    ("henvendelse", "2026-12-28"), today="2026-12-30")
    first, second = of(found, "behandlingsgaranti")
    assert first.status is Status.MET
    assert second.due == date(2027, 1, 11) and second.status is Status.OPEN


# --- decisions ---------------------------------------------------------------------------------------

def test_further_assessment_interviews_do_not_move_the_decision_deadline() -> None:
    found = compute(("udredende_samtale", "2026-01-31"), ("udredende_samtale", "2026-02-06"), today="2026-02-07")
    assert one(found, "afgoerelse_ambulant").due == date(2026, 2, 14)


def test_one_decision_sent_meets_one_pending_decision_the_one_due_first() -> None:
    found = compute(("doegn_ansoegning", "2026-01-05"), ("udredende_samtale", "2026-02-02"),
                    ("afgoerelse_sendt", "2026-02-10"), today="2026-02-11")
    assert one(found, "afgoerelse_ambulant").status is Status.MET
    assert one(found, "afgoerelse_doegn").status is Status.OPEN
    again = compute(("doegn_ansoegning", "2026-01-05"), ("udredende_samtale", "2026-02-02"),
                    ("afgoerelse_sendt", "2026-02-10"), ("afgoerelse_sendt", "2026-03-02"), today="2026-03-03")
    assert one(again, "afgoerelse_doegn").status is Status.MET


def test_a_decision_sent_opens_the_citizens_complaint_window() -> None:
    found = compute(("udredende_samtale", "2026-01-20"), ("afgoerelse_sendt", "2026-01-31"), today="2026-02-01")
    window = one(found, "klagefrist")
    assert window.due == date(2026, 2, 28) and window.rule.informational and window.status is Status.OPEN


def test_the_complaint_window_is_informational_and_never_overdue() -> None:
    items = (("afgoerelse_sendt", "2026-01-31"),)
    assert one(compute(*items, today="2026-03-15"), "klagefrist").status is Status.MET
    received = one(compute(*items, ("klage_modtaget", "2026-02-20"), today="2026-03-15"), "klagefrist")
    assert received.status is Status.MET and received.closed_by is not None


# --- the complaint chain -------------------------------------------------------------------------------

def test_a_complaint_received_starts_reconsideration_and_forwarding_four_weeks_out() -> None:
    found = compute(("afgoerelse_sendt", "2026-01-20"), ("klage_modtaget", "2026-02-02"), today="2026-02-03")
    assert one(found, "klage_genvurdering").due == date(2026, 3, 2)
    assert one(found, "klage_til_ankestyrelsen").due == date(2026, 3, 2)


def test_an_upheld_decision_sent_to_ankestyrelsen_meets_both_steps() -> None:
    found = compute(("klage_modtaget", "2026-02-02"), ("klage_sendt_ankestyrelsen", "2026-02-25"), today="2026-03-10")
    assert one(found, "klage_genvurdering").status is Status.MET
    assert one(found, "klage_til_ankestyrelsen").status is Status.MET


def test_full_medhold_meets_reconsideration_cancels_forwarding_and_opens_a_new_window() -> None:
    found = compute(("afgoerelse_sendt", "2026-01-20"), ("klage_modtaget", "2026-02-02"),
                    ("afgoerelse_sendt", "2026-02-20"), today="2026-02-21")
    assert one(found, "klage_genvurdering").status is Status.MET
    assert one(found, "klage_til_ankestyrelsen").status is Status.CANCELLED
    assert [d.status for d in of(found, "klagefrist")] == [Status.MET, Status.OPEN]


def test_partial_medhold_then_maintained_complaint_goes_to_ankestyrelsen_within_14_days() -> None:
    found = compute(("klage_modtaget", "2026-02-02"), ("delvist_medhold_sendt", "2026-02-20"),
                    ("klage_fastholdt", "2026-03-10"), today="2026-03-11")
    assert one(found, "klage_genvurdering").status is Status.MET
    assert one(found, "klage_til_ankestyrelsen").status is Status.CANCELLED
    answer = one(found, "delvist_medhold_svar")
    assert answer.due == date(2026, 3, 20) and answer.status is Status.MET
    forward = one(found, "klage_fastholdt_til_ankestyrelsen")
    assert forward.due == date(2026, 3, 24) and forward.status is Status.OPEN
    sent = compute(("klage_modtaget", "2026-02-02"), ("delvist_medhold_sendt", "2026-02-20"),
                   ("klage_fastholdt", "2026-03-10"), ("klage_sendt_ankestyrelsen", "2026-03-23"), today="2026-03-30")
    assert one(sent, "klage_fastholdt_til_ankestyrelsen").status is Status.MET


def test_partial_medhold_without_an_answer_lets_the_citizens_period_run_out() -> None:
    found = compute(("klage_modtaget", "2026-02-02"), ("delvist_medhold_sendt", "2026-02-20"), today="2026-04-01")
    assert one(found, "delvist_medhold_svar").status is Status.MET
    assert not of(found, "klage_fastholdt_til_ankestyrelsen")


def test_two_complaints_are_two_chains() -> None:
    found = compute(("klage_modtaget", "2026-02-02"), ("klage_modtaget", "2026-02-16"),
                    ("klage_sendt_ankestyrelsen", "2026-02-27"), today="2026-03-01")
    assert [d.status for d in of(found, "klage_til_ankestyrelsen")] == [Status.MET, Status.OPEN]


# --- plans, interruptions, pregnancy contracts ------------------------------------------------------------

def test_a_revised_plan_meets_the_revision_and_starts_the_next_six_months() -> None:
    found = compute(("behandlingsplan", "2025-08-31"), ("behandlingsplan", "2026-02-20"), today="2026-03-01")
    first, second = of(found, "behandlingsplan_revision")
    assert first.due == date(2026, 2, 28) and first.status is Status.MET
    assert second.due == date(2026, 8, 20) and second.status is Status.OPEN


def test_the_plan_revision_repeats_until_discharge() -> None:
    found = compute(("behandlingsplan", "2026-01-10"), ("behandlingsplan", "2026-07-01"), ("behandlingsplan", "2026-12-20"),
                    ("udskrevet_faerdigbehandlet", "2027-03-31"), today="2027-04-01")
    assert [(d.due, d.status) for d in of(found, "behandlingsplan_revision")] == [
        (date(2026, 7, 10), Status.MET), (date(2027, 1, 1), Status.MET), (date(2027, 6, 20), Status.CANCELLED)]


def test_an_overdue_revision_is_met_late_by_the_revised_plan() -> None:
    found = compute(("behandlingsplan", "2026-01-10"), ("behandlingsplan", "2026-08-01"), today="2026-08-02")
    first, second = of(found, "behandlingsplan_revision")
    assert first.status is Status.MET and second.due == date(2027, 2, 1)


def test_the_provider_must_notify_an_interruption_within_two_days() -> None:
    found = compute(("behandlingsafbrud", "2026-12-08"), today="2026-12-11")
    assert one(found, "afbrud_orientering").status is Status.OVERDUE  # Tuesday + 2 = Thursday 10 December
    met = compute(("behandlingsafbrud", "2026-12-08"), ("afbrud_meldt", "2026-12-10"), today="2026-12-11")
    assert one(met, "afbrud_orientering").status is Status.MET


@pytest.mark.parametrize(("interrupted", "due"), [
    ("2026-12-04", "2026-12-07"),  # Friday: two calendar days end on Sunday 6 December, so Monday 7
    ("2026-12-05", "2026-12-07"),  # Saturday: two calendar days end on Monday 7 December, a working day
])
def test_a_notice_due_on_a_closed_day_is_due_the_next_working_day(interrupted: str, due: str) -> None:
    found = compute(("behandlingsafbrud", interrupted), today=interrupted)
    assert one(found, "afbrud_orientering").due == date.fromisoformat(due)
    on_monday = compute(("behandlingsafbrud", interrupted), ("afbrud_meldt", due), today="2026-12-08")
    assert one(on_monday, "afbrud_orientering").status is Status.MET
    still_open = compute(("behandlingsafbrud", interrupted), today=due)
    assert one(still_open, "afbrud_orientering").status is Status.OPEN  # not overdue on the Monday morning


@pytest.mark.parametrize("event", ["behandlingsafbrud", "udskrevet_faerdigbehandlet", "udskrevet_bortvist"])
def test_an_interruption_or_a_discharge_does_not_end_the_pregnancy_contract(event: str) -> None:
    """The contract exists for when she wants to leave: an interruption must not close it."""
    found = compute(("graviditetskontrakt", "2026-08-31"), (event, "2026-12-01"), today="2026-12-02")
    contract = one(found, "graviditetskontrakt_slut")
    assert contract.status is Status.OPEN and contract.due == date(2027, 2, 28)


def test_the_pregnancy_contract_ends_with_its_own_event() -> None:
    found = compute(("graviditetskontrakt", "2026-08-31"), ("behandlingsafbrud", "2026-11-20"),
                    ("graviditetskontrakt_ophoert", "2026-12-01"), today="2026-12-02")
    contract = one(found, "graviditetskontrakt_slut")
    assert contract.status is Status.MET and contract.closed_by is not None
    assert contract.closed_by.kind is EventKind.GRAVIDITETSKONTRAKT_OPHOERT


def test_the_pregnancy_contract_is_overdue_after_half_a_year() -> None:
    found = compute(("graviditetskontrakt", "2026-08-31"), today="2027-03-01")
    contract = one(found, "graviditetskontrakt_slut")
    assert contract.due == date(2027, 2, 28) and contract.status is Status.OVERDUE


# --- follow-up after discharge ---------------------------------------------------------------------------

@pytest.mark.parametrize("discharge", DISCHARGES_WITH_FOLLOW_UP)
def test_discharge_needs_follow_up_after_one_and_six_months(discharge: str) -> None:
    found = compute((discharge, "2026-01-31"), today="2026-02-01")
    assert one(found, "opfoelgning_1_maaned").due == date(2026, 2, 28)
    assert one(found, "opfoelgning_6_maaneder").due == date(2026, 7, 31)


@pytest.mark.parametrize("discharge", ["udskrevet_bortvist", "udskrevet_udeblevet"])
def test_no_follow_up_after_discharge_as_expelled_or_no_show(discharge: str) -> None:
    found = compute((discharge, "2026-01-31"), today="2026-02-01")
    assert not of(found, "opfoelgning_1_maaned") and not of(found, "opfoelgning_6_maaneder")


def test_one_follow_up_meets_one_of_the_two_the_one_due_first() -> None:
    found = compute(("udskrevet_faerdigbehandlet", "2026-01-31"), ("opfoelgning", "2026-02-20"), today="2026-03-01")
    assert one(found, "opfoelgning_1_maaned").status is Status.MET
    assert one(found, "opfoelgning_6_maaneder").status is Status.OPEN
    both = compute(("udskrevet_faerdigbehandlet", "2026-01-31"), ("opfoelgning", "2026-02-20"),
                   ("opfoelgning", "2026-07-28"), today="2026-08-01")
    assert one(both, "opfoelgning_6_maaneder").status is Status.MET


def test_a_late_first_follow_up_meets_the_one_month_deadline_not_the_six_month() -> None:
    found = compute(("udskrevet_hospital", "2026-01-31"), ("opfoelgning", "2026-04-15"), today="2026-04-16")
    assert one(found, "opfoelgning_1_maaned").status is Status.MET
    assert one(found, "opfoelgning_6_maaneder").status is Status.OPEN


def test_a_whole_course_from_request_to_follow_up() -> None:
    found = compute(("henvendelse", "2026-03-03"), ("udredende_samtale", "2026-03-05"), ("afgoerelse_sendt", "2026-03-12"),
                    ("behandling_startet", "2026-03-16"), ("behandlingsplan", "2026-03-16"),
                    ("udskrevet_faerdigbehandlet", "2026-08-31"), ("opfoelgning", "2026-09-25"), today="2026-10-01")
    summary = {(d.rule.id, d.status) for d in found}
    assert summary == {
        ("behandlingsgaranti", Status.MET), ("afgoerelse_ambulant", Status.MET), ("klagefrist", Status.MET),
        ("behandlingsplan_revision", Status.CANCELLED), ("opfoelgning_1_maaned", Status.MET),
        ("behandlingsplan_ved_start", Status.MET),
        ("opfoelgning_6_maaneder", Status.OPEN),
    }
    assert [d.due for d in found] == sorted(d.due for d in found)


# --- windows, plans before the start, receipt, and events recorded for one deadline ---------------------

def test_a_follow_up_in_the_first_weeks_does_not_meet_the_six_month_follow_up() -> None:
    """Discharged 10 January; calls on 20 January and 5 February. Only the first meets anything."""
    found = compute(("udskrevet_faerdigbehandlet", "2026-01-10"), ("opfoelgning", "2026-01-20"),
                    ("opfoelgning", "2026-02-05"), today="2026-02-06")
    first, second = one(found, "opfoelgning_1_maaned"), one(found, "opfoelgning_6_maaneder")
    assert first.status is Status.MET and first.closed_by is not None and first.closed_by.on == date(2026, 1, 20)
    assert second.status is Status.OPEN and second.closed_by is None
    assert second.due == date(2026, 7, 10) and second.opens == date(2026, 6, 10)


@pytest.mark.parametrize(("held", "meets"), [
    ("2026-06-09", False),  # the day before the window opens
    ("2026-06-10", True),   # the day it opens
    ("2026-07-10", True),   # the due day
    ("2026-07-20", True),   # late: met after the due day
])
def test_the_six_month_follow_up_is_met_inside_its_window(held: str, meets: bool) -> None:
    found = compute(("udskrevet_faerdigbehandlet", "2026-01-10"), ("opfoelgning", "2026-01-20"),
                    ("opfoelgning", held), today="2026-08-01")
    assert (one(found, "opfoelgning_6_maaneder").status is Status.MET) is meets


def test_a_window_on_a_month_end_is_counted_back_in_calendar_months() -> None:
    found = compute(("udskrevet_hospital", "2027-08-31"), today="2027-09-01")
    late = one(found, "opfoelgning_6_maaneder")
    assert late.due == date(2028, 2, 29) and late.opens == date(2028, 1, 29)


def test_a_plan_made_in_the_weeks_before_treatment_starts_meets_the_plan_at_the_start() -> None:
    found = compute(("henvendelse", "2026-03-01"), ("behandlingsplan", "2026-03-05"),
                    ("behandling_startet", "2026-03-10"), today="2026-03-11")
    plan = one(found, "behandlingsplan_ved_start")
    assert plan.due == date(2026, 3, 10) and plan.status is Status.MET
    assert plan.closed_by is not None and plan.closed_by.on == date(2026, 3, 5)
    assert one(found, "behandlingsplan_revision").status is Status.OPEN  # the same plan starts its revision


def test_treatment_started_without_a_plan_is_overdue_the_next_day() -> None:
    found = compute(("behandling_startet", "2026-03-10"), today="2026-03-11")
    assert one(found, "behandlingsplan_ved_start").status is Status.OVERDUE
    too_old = compute(("behandlingsplan", "2026-01-05"), ("behandling_startet", "2026-03-10"), today="2026-03-11")
    assert one(too_old, "behandlingsplan_ved_start").status is Status.OVERDUE  # more than 8 weeks before


def test_the_complaint_window_counts_from_receipt_when_recorded() -> None:
    sent_only = one(compute(("afgoerelse_sendt", "2026-03-02"), today="2026-03-03"), "klagefrist")
    assert sent_only.due == date(2026, 3, 30) and sent_only.received is None  # sent + 0 delivery days + 4 weeks
    received = one(compute(("afgoerelse_sendt", "2026-03-02"), ("afgoerelse_modtaget", "2026-03-06"),
                           today="2026-03-07"), "klagefrist")
    assert received.due == date(2026, 4, 3) and received.counted_from == date(2026, 3, 6)
    assert received.received is not None


def test_a_receipt_moves_only_the_latest_decision_not_yet_received() -> None:
    found = compute(("afgoerelse_sendt", "2026-03-02"), ("afgoerelse_modtaget", "2026-03-03"),
                    ("afgoerelse_sendt", "2026-05-04"), ("afgoerelse_modtaget", "2026-05-11"), today="2026-05-12")
    first, second = of(found, "klagefrist")
    assert first.due == date(2026, 3, 31) and second.due == date(2026, 6, 8)


def test_an_event_recorded_for_one_deadline_meets_that_one_and_no_other() -> None:
    """Two open decisions in one series: "done" on the later one must not meet the earlier one."""
    from reminders import Target

    items = events(("doegn_ansoegning", "2026-01-05"), ("udredende_samtale", "2026-02-02"))
    doegn, ambulant = items[0].id, items[1].id
    pressed = Event(EventKind.AFGOERELSE_SENDT, date(2026, 2, 10), 3, target=Target("afgoerelse_doegn", doegn))
    found = due_dates([*items, pressed], RULES, date(2026, 2, 11))
    assert one(found, "afgoerelse_doegn").status is Status.MET
    assert one(found, "afgoerelse_ambulant").status is Status.OPEN  # due first, but not the one pressed
    untargeted = due_dates([*items, Event(EventKind.AFGOERELSE_SENDT, date(2026, 2, 10), 3)], RULES, date(2026, 2, 11))
    assert one(untargeted, "afgoerelse_ambulant").status is Status.MET and ambulant == 2


def test_an_event_recorded_for_the_reconsideration_cancels_nothing_elsewhere() -> None:
    """The reported fault: 'done' on a reconsideration recorded afgoerelse_sendt, which cancelled the
    forwarding to Ankestyrelsen and met an assessment decision instead."""
    from reminders import Target

    items = events(("udredende_samtale", "2026-02-02"), ("klage_modtaget", "2026-02-03"))
    pressed = Event(EventKind.AFGOERELSE_SENDT, date(2026, 2, 20), 3, target=Target("klage_genvurdering", items[1].id))
    found = due_dates([*items, pressed], RULES, date(2026, 2, 21))
    assert one(found, "klage_genvurdering").status is Status.MET
    assert one(found, "afgoerelse_ambulant").state is Status.OPEN  # not met (overdue by now)
    assert one(found, "klage_til_ankestyrelsen").state is Status.OPEN
    assert len(of(found, "klagefrist")) == 1  # a decision sent still opens the citizen's complaint window


def test_an_event_recorded_for_a_deadline_outside_its_window_meets_nothing() -> None:
    from reminders import Target

    items = events(("udskrevet_faerdigbehandlet", "2026-01-10"), ("opfoelgning", "2026-01-20"))
    early = Event(EventKind.OPFOELGNING, date(2026, 2, 5), 3, target=Target("opfoelgning_6_maaneder", items[0].id))
    found = due_dates([*items, early], RULES, date(2026, 2, 6))
    assert one(found, "opfoelgning_6_maaneder").status is Status.OPEN
