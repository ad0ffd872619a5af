"""Imports point one way (bot → dialogs → nlu | knowledge | handover → reminders → privacy), privacy is a leaf that
every package may use, CPR numbers are recognised in one place only, and __all__ is honest."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "privacy": {"bot", "dialogs", "nlu", "knowledge", "reminders", "handover"},
    "nlu": {"bot", "dialogs", "knowledge", "reminders", "handover"},
    "knowledge": {"bot", "dialogs", "nlu", "reminders", "handover"},
    "reminders": {"bot", "dialogs", "handover"},
    "handover": {"bot", "dialogs", "nlu", "knowledge"},
    "dialogs": {"bot"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_one_way(package: str) -> None:
    offenders = []
    for path in (ROOT / package).rglob("*.py"):
        bad = imported_packages(path) & FORBIDDEN[package]
        if bad:
            offenders.append((str(path.relative_to(ROOT)), sorted(bad)))
    assert not offenders


@pytest.mark.parametrize("package", ["nlu", "knowledge", "dialogs", "reminders", "handover", "privacy"])
def test_exported_members_exist(package: str) -> None:
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing


def test_cpr_numbers_are_recognised_in_the_privacy_package_only() -> None:
    """A second CPR pattern would drift from the first: every package uses privacy's."""
    shapes = (r"(\d{2})(\d{2})(\d{2})", r"\d{6}[-")
    offenders = [str(path.relative_to(ROOT)) for package in ("bot", "dialogs", "nlu", "knowledge", "reminders", "handover")
                 for path in (ROOT / package).rglob("*.py")
                 if any(shape in path.read_text(encoding="utf-8") for shape in shapes)]
    assert not offenders
    assert any(shape in (ROOT / "privacy" / "cpr.py").read_text(encoding="utf-8") for shape in shapes)
    assert any(shape in (ROOT / "privacy" / "redact.py").read_text(encoding="utf-8") for shape in shapes)
