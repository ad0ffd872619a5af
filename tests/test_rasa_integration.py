"""End to end with a real Rasa 3.6.21: export the project, train it, serve it, answer through it.

Slow: building the Rasa environment (scripts/rasa-env.sh) takes minutes the first time, and so does
training; the trained model is cached under ~/.cache/stifinder/rasa-models/<sha256 of the exported
files>.tar.gz, so a machine trains once per change of the data. Skipped only when no Python 3.10
exists. Rasa runs offline: telemetry off, its training cache off, 127.0.0.1 only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from bot.config import RasaSettings, Settings
from bot.storage import open_database
from bot.wiring import build_parser
from dialogs import Deps, DialogEngine, Incoming, Response
from knowledge import load_standard, render
from nlu import LocalParser, NluUnavailable, Parse
from nlu.rasa_client import FallbackParser, RasaParser
from nlu.rasa_export import export_project
from fakes.network import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
RASA_VERSION = "3.6.21"
RASA_ENV = Path(os.environ.get("STIFINDER_RASA_ENV") or Path.home() / ".cache" / "stifinder" / f"rasa-{RASA_VERSION}")
MODEL_CACHE = Path.home() / ".cache" / "stifinder" / "rasa-models"
# The light pipeline (no DIET) is the fastest model that still serves the response selector.
CONFIG = "config-light.yml"
TRAINED_FILES = (CONFIG, "data/nlu.yml", "domain.yml")
READY_SECONDS = 180
KEEP_MODELS = 3  # models of earlier data are pruned, newest kept
THREADS = str(min(os.cpu_count() or 1, 4))
TOKEN_ENV = "STIFINDER_TEST_RASA_TOKEN"


def rasa_environ() -> dict[str, str]:
    """Return the environment for Rasa's processes: no telemetry, no training cache, quiet TF."""
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "RASA_MAX_CACHE_SIZE": "0",
            "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def tail(path: Path, lines: int = 40) -> str:
    """Return the last lines of a log file."""
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="module")
def rasa_bin() -> Path:
    """Return the `rasa` executable, building the environment first when it is missing."""
    if not (RASA_ENV / ".stifinder-complete").exists():
        log = Path(os.environ.get("TMPDIR", "/tmp")) / "stifinder-rasa-env.log"
        with log.open("w") as out:
            done = subprocess.run(["bash", str(ROOT / "scripts" / "rasa-env.sh")], stdout=out,
                                  stderr=subprocess.STDOUT, timeout=3600, check=False)
        if done.returncode == 3:
            pytest.skip(f"no Python 3.10 to build Rasa {RASA_VERSION} with: {tail(log, 6)}")
        if done.returncode != 0:
            pytest.fail(f"scripts/rasa-env.sh failed ({done.returncode}):\n{tail(log)}")
    return RASA_ENV / "bin" / "rasa"


def export(settings: Settings, directory: Path) -> None:
    """Export the Rasa project exactly as `stifinder nlu export-rasa` does."""
    standard = load_standard(settings.standard_dir, settings.municipality.standard_title)
    values = settings.municipality.placeholders()
    export_project(directory, settings.nlu_data_dir,
                   {f"utter_faq/{entry.id}": render(entry.answer["da"], values) for entry in standard})


def trained_model(rasa: Path, project: Path) -> Path:
    """Return the cached model for the exported files, training it (NLU only) when missing."""
    digest = hashlib.sha256(RASA_VERSION.encode())
    for name in TRAINED_FILES:
        digest.update(name.encode() + b"\0" + (project / name).read_bytes())
    model = MODEL_CACHE / f"{digest.hexdigest()}.tar.gz"
    if model.exists():
        return model
    log = project / "train.log"
    with log.open("w") as out:
        done = subprocess.run([str(rasa), "train", "nlu", "--config", CONFIG, "--nlu", "data/nlu.yml",
                               "--domain", "domain.yml", "--out", "models", "--fixed-model-name", "stifinder",
                               "--num-threads", THREADS],
                              cwd=project, env=rasa_environ(), stdout=out, stderr=subprocess.STDOUT,
                              timeout=1800, check=False)
    if done.returncode != 0:
        pytest.fail(f"rasa train nlu failed ({done.returncode}):\n{tail(log)}")
    MODEL_CACHE.mkdir(parents=True, exist_ok=True)
    partial = model.with_suffix(f".{os.getpid()}.part")
    shutil.copyfile(project / "models" / "stifinder.tar.gz", partial)
    os.replace(partial, model)  # atomic: a concurrent run never loads half a model
    for stale in sorted(MODEL_CACHE.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)[:-KEEP_MODELS]:
        stale.unlink(missing_ok=True)
    return model



@dataclasses.dataclass(frozen=True)
class Server:
    url: str
    token: str


@pytest.fixture
def rasa_server(rasa_bin: Path, settings: Settings, tmp_path: Path) -> Iterator[Server]:
    """Serve the trained model with `rasa run --enable-api` on a free loopback port."""
    project = tmp_path / "rasa"
    export(settings, project)
    model = trained_model(rasa_bin, project)
    port, token = free_port(), secrets.token_urlsafe(16)
    log = tmp_path / "rasa-run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(rasa_bin), "run", "--enable-api", "-i", "127.0.0.1", "--port", str(port), "--model", str(model),
             f"--auth-token={token}"], cwd=project, env=rasa_environ(), stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_ready(process, url, token, log)
        yield Server(url, token)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def wait_until_ready(process: subprocess.Popen[bytes], url: str, token: str, log: Path) -> None:
    """Poll GET /status until the model is loaded; fail with Rasa's log when it exits or takes too long."""
    deadline = time.monotonic() + READY_SECONDS
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"rasa run exited with {process.returncode} before it was ready:\n{tail(log)}")
            try:
                status = client.get(f"{url}/status", params={"token": token})
                if status.is_success and status.json().get("model_file"):
                    return
            except httpx.TransportError:
                pass  # not listening yet
            time.sleep(0.5)
    pytest.fail(f"rasa run was not ready within {READY_SECONDS} s:\n{tail(log)}")


class SpyParser:
    """Delegates to a parser and keeps what it returned."""

    def __init__(self, inner: RasaParser) -> None:
        self.inner = inner
        self.parses: list[Parse] = []

    async def parse(self, text: str) -> Parse:
        parse = await self.inner.parse(text)
        self.parses.append(parse)
        return parse

    async def aclose(self) -> None:
        await self.inner.aclose()


async def ask(engine: DialogEngine, text: str) -> Response:
    return await engine.handle(Incoming(conv="rasa-" + secrets.token_hex(4), text=text, at=datetime.now(timezone.utc)))


async def test_questions_are_answered_through_a_real_rasa_server(
        rasa_server: Server, settings: Settings, deps: Deps, local_parser: LocalParser,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv(TOKEN_ENV, rasa_server.token)
    rasa_settings = dataclasses.replace(settings, nlu_backend="rasa",
                                        rasa=RasaSettings(rasa_server.url, TOKEN_ENV, timeout_seconds=10.0))
    parser = build_parser(rasa_settings, local_parser)
    assert isinstance(parser, FallbackParser) and isinstance(parser.primary, RasaParser)
    spy = parser.primary = SpyParser(parser.primary)
    database, sessions = await open_database("sqlite+aiosqlite://")
    engine = DialogEngine(deps, parser, sessions)
    tokenless = RasaParser(rasa_server.url, timeout=10.0)
    try:
        with caplog.at_level("WARNING", logger="nlu.rasa_client"):
            cost = await ask(engine, "koster det noget at komme i behandling")
            contact = await ask(engine, "hvem skal jeg ringe til jeg er 34")
        with pytest.raises(NluUnavailable, match="HTTP 401"):  # the server checks ?token=
            await tokenless.parse("koster det noget")
    finally:
        await tokenless.aclose()
        await parser.aclose()
        await database.dispose()

    assert not [r for r in caplog.records if r.name == "nlu.rasa_client"], "Rasa failed; the fallback answered"
    assert [p.extra.get("backend") for p in spy.parses] == ["rasa", "rasa"]
    assert spy.parses[0].intent == "faq/treatment_cost"
    assert "gratis" in cost.text.lower()
    assert "9945 4421" in contact.text  # Visitationen: 30 or older
