"""`stifinder handover status`: open now or not, until when, and the next opening, as text or JSON."""

from __future__ import annotations

import json

from test_cli import run


def test_status_at_a_moment_inside_the_hours() -> None:
    result = run("handover", "status", "--at", "2026-12-07T10:00")
    assert result.returncode == 0, result.stderr
    assert "Mon 2026-12-07 10:00 Europe/Copenhagen: open until 15:00" in result.stdout
    assert "next opening: Tue 2026-12-08 09:00" in result.stdout


def test_status_as_json_on_a_public_holiday() -> None:
    result = run("handover", "status", "--at", "2027-03-26T10:00", "--json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status == {"at": "2027-03-26T10:00+01:00", "open": False, "closes_at": None,
                      "next_opening": "2027-03-30T09:00+02:00", "holiday": "Langfredag",
                      "timezone": "Europe/Copenhagen"}


def test_a_bad_moment_is_refused() -> None:
    result = run("handover", "status", "--at", "i morgen")
    assert result.returncode == 2 and "ISO date and time" in result.stderr
