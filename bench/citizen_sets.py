"""Citizen answers per evaluation set: the questions the standard answers (by language) and the others apart.

The goal speaks of replies that carry the facts they must, so the questions a set marks `out_of_scope: true`
(which have no facts, only an honest answer) are counted apart. Scored through the whole engine, safety screen
included, by `bot.evaluation.score_questions`, as `tests/test_evaluation.py` does; a set outside tests/eval (a
blind set not yet read) can be named by its path.

    .venv/bin/python bench/citizen_sets.py [SET.yml ...]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.evaluation import Outcome, score_questions  # noqa: E402
from bot.wiring import build_app  # noqa: E402


def share(outcomes: list[Outcome]) -> str:
    passed = sum(o.passed for o in outcomes)
    return f"{passed}/{len(outcomes)} = {passed / len(outcomes):.1%}" if outcomes else "-"


async def main(paths: list[Path]) -> None:
    app = await build_app(load_settings(ROOT / "config.yml", environ={}), database_url="sqlite+aiosqlite://")
    try:
        print(f"{'set':34} {'answered by the standard':24} {'da':20} {'en':20} {'out of scope honest':12}")
        for path in paths:
            score = await score_questions(app.engine, directory=path.parent, name=path.name)
            outside = {q["id"] for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
                       if q.get("out_of_scope")}
            inside = [o for o in score.outcomes if o.id not in outside]
            print(f"{path.stem:34} {share(inside):24} {share([o for o in inside if o.lang == 'da']):20} "
                  f"{share([o for o in inside if o.lang == 'en']):20} "
                  f"{share([o for o in score.outcomes if o.id in outside]):12}")
    finally:
        await app.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, help="evaluation files (default: tests/eval/citizen_*.yml)")
    args = parser.parse_args()
    chosen = [p.resolve() for p in args.sets] or sorted((ROOT / "tests" / "eval").glob("citizen_*.yml"))
    asyncio.run(main(chosen))
