"""Case references are pseudonymous codes: CPR-like numbers, names and free text are refused,
and the refusal never repeats what was typed."""

from __future__ import annotations

import pytest

from reminders import Refusal, RefusedReference, check_reference


@pytest.mark.parametrize(("typed", "stored"), [
    ("S-14", "S-14"),
    ("  s-14 ", "S-14"),
    ("UNG-2026-7", "UNG-2026-7"),
    ("sag-14", "SAG-14"),
    ("Sag-14", "SAG-14"),
    ("BRS/2026/0042", "BRS/2026/0042"),
    ("K.3", "K.3"),
    ("S-1234567890", "S-1234567890"),       # ten digits, but no birth date in front: not CPR-like
    ("2026-14-123456", "2026-14-123456"),
    ("UC_12", "UC_12"),
])
def test_pseudonymous_codes_are_accepted_and_normalised(typed: str, stored: str) -> None:
    assert check_reference(typed) == stored


@pytest.mark.parametrize(("typed", "reason"), [
    ("0101901234", Refusal.CPR),
    ("010190-1234", Refusal.CPR),
    ("S-010190-1234", Refusal.CPR),
    ("S-3112991234", Refusal.CPR),
    ("290200-1234", Refusal.CPR),            # 29 February 2000
    ("S-12345678901", Refusal.CPR),          # eleven digits in a row
    ("Jens-14", Refusal.NAME),
    ("S-14-Hansen", Refusal.NAME),
    ("HANSEN-3", Refusal.NAME),              # a name in capitals
    ("Bo-1", Refusal.NAME),                  # short names too
    ("S-14-heroin", Refusal.NAME),           # a description
    ("Mette Frederiksen 14", Refusal.NAME),
    ("", Refusal.EMPTY),
    ("   ", Refusal.EMPTY),
    ("S 14", Refusal.FORMAT),
    ("S-14!", Refusal.FORMAT),
    ("ABC", Refusal.FORMAT),                 # no number
    ("S-" + "1" * 31, Refusal.CPR),
    ("S" + "-1" * 20, Refusal.FORMAT),       # too long
])
def test_references_that_could_identify_a_citizen_are_refused(typed: str, reason: Refusal) -> None:
    with pytest.raises(RefusedReference) as refused:
        check_reference(typed)
    assert refused.value.reason is reason
    message = str(refused.value)
    assert "S-14" in message  # says how to write one
    for part in typed.replace("-", " ").split():
        if len(part) > 2 and part not in ("S-14",):
            assert part not in message


def test_a_municipality_can_allow_its_own_prefixes() -> None:
    with pytest.raises(RefusedReference):
        check_reference("Misbrug-14")
    assert check_reference("Misbrug-14", prefixes=frozenset({"misbrug"})) == "MISBRUG-14"
