"""The `stifinder` command line: run, serve, chat, ask, nlu, safety, check, cases, caseworkers, providers, reminders,
handover."""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import time
from pathlib import Path
from typing import Sequence

from bot.config import ConfigError, Settings, load_settings
from bot.logs import setup_logging


def process_main() -> int:
    """The `stifinder` process: run the command, then leave the heap to the exit as it is.

    The process ends right after the command. Without the freeze, CPython walks every object for reference
    cycles while it shuts down (after loading the models, a fifth of a second of `stifinder ask`) to free
    memory that is returned to the system as a whole anyway. Everything the command opened is closed by then.
    """
    try:
        return main()
    except BrokenPipeError:  # `stifinder ask … | head`: the reader has gone; nothing more to say, no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own flush at exit would fail too
        return 1
    finally:
        gc.freeze()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    setup_logging("DEBUG" if args.verbose else "WARNING")
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"stifinder: {exc}", file=sys.stderr)
        return 2
    try:
        return int(args.func(args, settings))
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stifinder", description="Stifinder: chat assistant for social "
                                     "drug-abuse treatment (Serviceloven § 101).")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug events (never message text)")
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", help="run the Telegram bot (token from TELEGRAM_BOT_TOKEN; polling or webhook)")
    run.set_defaults(func=_run)

    serve = sub.add_parser("serve", help="serve the web chat (the widget, its API and /healthz) over HTTP")
    serve.add_argument("--host", help="the address to listen on (default: web.host in config.yml, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="the port (default: web.port in config.yml, 8080)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (only 1 for now)")
    serve.set_defaults(func=_serve)

    chat = sub.add_parser("chat", help="talk to the assistant in the terminal (no token, no server)")
    who = chat.add_mutually_exclusive_group()
    who.add_argument("--as", dest="as_caseworker", type=int, metavar="CASEWORKER_ID",
                     help="talk as a registered caseworker (stifinder caseworkers list shows the ids)")
    who.add_argument("--team", metavar="TEAM", help="talk as a team chat of the team")
    chat.set_defaults(func=_chat)

    ask = sub.add_parser("ask", help="answer one question, or JSON lines from stdin with --jsonl")
    ask.add_argument("text", nargs="?", help="the question")
    ask.add_argument("--jsonl", action="store_true",
                     help='read {"chat": ..., "text": ..., "role": ...} per line; write one JSON answer per line '
                          '(role "caseworker" or "team": the provider desk, with the matched provider_ids)')
    ask.set_defaults(func=_ask)

    nlu = sub.add_parser("nlu", help="train, evaluate or export the NLU")
    nlu_sub = nlu.add_subparsers(dest="nlu_command", required=True)
    nlu_sub.add_parser("train", help="train the embedded classifier and cache it").set_defaults(func=_nlu_train)
    evaluate = nlu_sub.add_parser("evaluate", help="stratified k-fold cross-validation, as `rasa test nlu`")
    evaluate.add_argument("--folds", type=int, default=5)
    evaluate.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    evaluate.set_defaults(func=_nlu_evaluate)
    export = nlu_sub.add_parser("export-rasa", help="write a Rasa 3.6 project (config, data, domain) to DIR")
    export.add_argument("directory", type=Path)
    export.set_defaults(func=_nlu_export)

    safety = sub.add_parser("safety", help="the learned safety net: calibrate its thresholds")
    safety_sub = safety.add_subparsers(dest="safety_command", required=True)
    calibrate = safety_sub.add_parser(
        "calibrate", help="k-fold validation of the net: recall and false alarms per threshold, and the pick")
    calibrate.add_argument("--folds", type=int, default=5)
    calibrate.add_argument("--recall", type=float, default=0.97, help="wanted share of crises raised (default 0.97)")
    calibrate.add_argument("--false-alarm", type=float, default=0.01,
                           help="allowed share of look-alikes raised to alarm (default 0.01)")
    calibrate.set_defaults(func=_safety_calibrate)
    sub.add_parser("check", help="validate all content (knowledge, NLU data, safety, catalogs); warn about "
                   "unverified numbers and an outdated kvalitetsstandard").set_defaults(func=_check)

    from bot.cli.cases import add_parsers as add_case_parsers

    add_case_parsers(sub)
    from bot.cli.caseworkers import add_parsers as add_caseworker_parsers

    add_caseworker_parsers(sub)
    from bot.cli.providers import add_parsers as add_provider_parsers

    add_provider_parsers(sub)
    from bot.cli.reminders import add_parsers as add_reminder_parsers

    add_reminder_parsers(sub)
    from bot.cli.handover import add_parsers as add_handover_parsers

    add_handover_parsers(sub)
    return parser


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.telegram.config import bot_token, load_telegram_settings, webhook_secret

    token = bot_token()
    if token is None:
        print("stifinder run: set TELEGRAM_BOT_TOKEN to the bot's token from @BotFather "
              "(or talk to the assistant without Telegram: stifinder chat)", file=sys.stderr)
        return 2
    try:
        telegram = load_telegram_settings(settings)
        secret = webhook_secret()
        from bot.telegram.application import serve

        return serve(settings, telegram, token, secret)
    except ConfigError as exc:
        print(f"stifinder run: {exc}", file=sys.stderr)
        return 2


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import replace

    from bot.web.config import load_web_settings
    from bot.web.serve import serve

    try:
        web = load_web_settings(settings)
        if args.port is not None and not 1 <= args.port <= 65535:
            raise ConfigError("--port must be from 1 to 65535")
        web = replace(web, host=args.host or web.host, port=args.port or web.port)
        print(f"stifinder serve: the web chat on http://{web.host}:{web.port}/chat/ (Ctrl-C stops)", file=sys.stderr)
        return serve(settings, web, args.workers)
    except ConfigError as exc:
        print(f"stifinder serve: {exc}", file=sys.stderr)
        return 2


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.terminal import CHANNEL, TerminalChannel
    from bot.wiring import build_app
    from dialogs import Role, Sender

    from nlu.parser import is_trained

    if not is_trained(settings.nlu_data_dir, settings.nlu_cache_dir):
        print("stifinder chat: training the language models on this machine's first start (or after a change of "
              "the training data); this takes about a minute, once", file=sys.stderr, flush=True)

    async def run() -> int:
        app = await build_app(settings)
        try:
            sender = Sender(CHANNEL)
            if args.as_caseworker is not None:
                if not await app.has_caseworker(args.as_caseworker):
                    print(f"stifinder chat: no caseworker with id {args.as_caseworker} "
                          "(stifinder caseworkers list shows them)", file=sys.stderr)
                    return 2
                sender = Sender(CHANNEL, account=args.as_caseworker, claimed=Role.CASEWORKER)
            elif args.team is not None:
                sender = Sender(CHANNEL, group=True, addressed=True, claimed=Role.TEAM, team=args.team)
            await TerminalChannel(app, sys.stdin, sys.stdout, sender=sender).run()
            return 0
        finally:
            await app.close()

    return asyncio.run(run())


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.ask import ask_jsonl, ask_one
    from bot.wiring import build_app

    if not args.jsonl and not args.text:
        print('stifinder ask: give a question, e.g. stifinder ask "koster det noget?", or use --jsonl', file=sys.stderr)
        return 2

    async def run() -> int:
        # A throw-away in-memory database: scripted questions leave nothing behind.
        app = await build_app(settings, database_url="sqlite+aiosqlite://")
        try:
            if args.jsonl:
                bad = await ask_jsonl(app, sys.stdin, sys.stdout)
                return 1 if bad else 0
            print((await ask_one(app, args.text)).text)
            return 0
        finally:
            await app.close()

    return asyncio.run(run())


def _nlu_train(args: argparse.Namespace, settings: Settings) -> int:
    from nlu import load_training_data, model_path, train_and_save

    data = load_training_data(settings.nlu_data_dir)
    print(f"training on {len(data.examples)} examples, {len(data.intents)} intents ...", file=sys.stderr)
    classifier, seconds = train_and_save(data, settings.nlu_cache_dir)
    print(f"trained in {seconds:.2f} s → {model_path(settings.nlu_cache_dir, data)}")
    return 0


def _nlu_evaluate(args: argparse.Namespace, settings: Settings) -> int:
    from nlu import load_training_data
    from nlu.evaluate import cross_validate

    if args.folds < 2:
        print("stifinder nlu evaluate: --folds must be at least 2", file=sys.stderr)
        return 2
    data = load_training_data(settings.nlu_data_dir)
    started = time.perf_counter()
    report = cross_validate(data, args.folds, progress=lambda k, n: print(f"fold {k}/{n} done", file=sys.stderr))
    print(report.render())
    print(f"\n{len(data.examples)} examples, {len(data.intents)} intents, {time.perf_counter() - started:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


def _safety_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    from dialogs.safety import load_thresholds
    from nlu import load_training_data
    from nlu.safety_calibration import GRID, out_of_fold, outcome, recommend
    from nlu.safety_net import SAFETY_DATA_DIR, training_examples

    if args.folds < 2 or not 0 < args.recall <= 1 or not 0 <= args.false_alarm < 1:
        print("stifinder safety calibrate: --folds ≥ 2, 0 < --recall ≤ 1, 0 ≤ --false-alarm < 1", file=sys.stderr)
        return 2
    examples = training_examples(SAFETY_DATA_DIR, settings.nlu_data_dir)
    citizen_files = {path.name for path in load_training_data(settings.nlu_data_dir).files}
    print(f"{len(examples)} examples ({sum(e.file in citizen_files for e in examples)} citizen questions as none); "
          f"{args.folds}-fold validation ...", file=sys.stderr)
    scored = out_of_fold(examples, citizen_files, args.folds,
                         progress=lambda k, n: print(f"fold {k}/{n} done", file=sys.stderr))
    pick = recommend(scored, args.recall, args.false_alarm)
    print("concern threshold alone (no alarm from the net):")
    for threshold in GRID[::5]:
        print("  " + outcome(scored, 1.0, threshold).render())
    print(f"alarm thresholds with concern {pick.concern:.2f}:")
    for threshold in (t for t in GRID[::5] if t >= pick.concern):
        print("  " + outcome(scored, threshold, pick.concern).render())
    configured = load_thresholds()
    print(f"\nrecommended (recall ≥ {args.recall:.0%}, look-alike alarms ≤ {args.false_alarm:.0%}, "
          f"citizen questions ≤ {args.false_alarm / 10:.1%}):\n  {pick.render()}")
    print(f"configured in dialogs/content/safety.yml:\n  {outcome(scored, configured.alarm, configured.concern).render()}")
    return 0


def _nlu_export(args: argparse.Namespace, settings: Settings) -> int:
    from nlu.rasa_export import export_project

    from knowledge import load_standard, render

    standard = load_standard(settings.standard_dir, settings.municipality.standard_title)
    from dialogs import Renderer

    # Rasa sends a response as it is, so whom to call is the whole routing rule, written out.
    rule = Renderer(settings.municipality, settings.conversation_ttl_minutes, standard.title).routing_rule("da", "")
    values = settings.municipality.placeholders() | {"routing_rule": rule}
    responses = {f"utter_faq/{e.id}": render(e.answer["da"], values) for e in standard}
    written = export_project(args.directory, settings.nlu_data_dir, responses)
    print(f"wrote a Rasa 3.6 project to {args.directory} ({len(written)} files)")
    return 0


def _check(args: argparse.Namespace, settings: Settings) -> int:
    from zoneinfo import ZoneInfo

    from bot.cli.check import check_content, check_warnings
    from reminders import SystemClock, local_today

    problems = check_content(settings)
    for problem in problems:
        print(f"stifinder check: {problem}", file=sys.stderr)
    warnings = check_warnings(settings, local_today(SystemClock(), ZoneInfo(settings.timezone)))
    for warning in warnings:
        print(f"stifinder check: warning: {warning}", file=sys.stderr)
    if problems:
        return 1
    print("content ok" + (f" ({len(warnings)} warning{'s' if len(warnings) > 1 else ''})" if warnings else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
