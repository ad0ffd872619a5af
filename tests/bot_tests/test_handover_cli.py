"""`stifinder handover status`: open now or not, until when, and the next opening, as text or JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from test_cli import run


@pytest.fixture
def database(tmp_path: Path) -> dict[str, str]:
    return {"STIFINDER_DATABASE_URL": f"sqlite:///{tmp_path / 'stifinder.db'}"}


def test_status_at_a_moment_inside_the_hours(database: dict[str, str]) -> None:
    result = run("handover", "status", "--at", "2026-12-07T10:00", env=database)
    assert result.returncode == 0, result.stderr
    assert "Mon 2026-12-07 10:00 Europe/Copenhagen: open until 15:00" in result.stdout
    assert "next opening: Tue 2026-12-08 09:00" in result.stdout
    assert "counsellors on duty: 0; chats waiting: 0" in result.stdout


def test_status_as_json_on_a_public_holiday(database: dict[str, str]) -> None:
    result = run("handover", "status", "--at", "2027-03-26T10:00", "--json", env=database)
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status == {"at": "2027-03-26T10:00+01:00", "open": False, "closes_at": None,
                      "next_opening": "2027-03-30T09:00+02:00", "holiday": "Langfredag",
                      "timezone": "Europe/Copenhagen", "counsellors_on_duty": 0, "waiting": 0}


def test_a_bad_moment_is_refused(database: dict[str, str]) -> None:
    result = run("handover", "status", "--at", "i morgen", env=database)
    assert result.returncode == 2 and "ISO date and time" in result.stderr


def test_a_counsellor_is_invited_listed_and_counted_on_duty(database: dict[str, str]) -> None:
    invited = run("caseworkers", "invite", "--name", "Anna", "--counsellor", env=database)
    assert invited.returncode == 0, invited.stderr
    assert re.match(r"caseworker (\d+) \(a counsellor", invited.stdout)
    listed = json.loads(run("caseworkers", "list", "--json", env=database).stdout)
    assert [(c["name"], c["counsellor"], c["on_duty"]) for c in listed] == [("Anna", True, False)]
    plain = run("caseworkers", "invite", "--name", "Bo", env=database)
    assert "counsellor" not in plain.stdout
    assert run("caseworkers", "invite", "--id", "999", "--counsellor", env=database).returncode == 2

