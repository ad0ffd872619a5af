"""The `web:` section of config.yml: where `stifinder serve` listens and how the web chat is limited."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import ConfigError, Settings


@dataclass(frozen=True, slots=True)
class WebSettings:
    """How the web chat is served.

    Args:
        host, port: where `stifinder serve` listens (behind the municipality's reverse proxy, which terminates TLS).
        allowed_origins: the web sites that may embed the widget from another origin (CORS); empty: only this one.
        messages_per_minute: per conversation; more are answered 429.
        requests_per_minute: per client address (new conversations and messages together), counted under a
            keyed hash in memory and never written anywhere.
        keep_events: how many of a conversation's latest replies are kept in memory, so that an event stream
            that dropped resumes from its last event.
        max_text: the longest message accepted, in characters.
        heartbeat_seconds: a comment on an idle event stream, so proxies keep it open.
        away_seconds: a citizen waiting for or talking with a counsellor whose chat tab is closed leaves the
            queue or the talk when the tab has not been opened again within this time (a reload or going on
            to another page of the site takes a second or two).
    """

    host: str = "127.0.0.1"
    port: int = 8080
    allowed_origins: tuple[str, ...] = ()
    messages_per_minute: int = 20
    requests_per_minute: int = 120
    keep_events: int = 50
    max_text: int = 4000
    heartbeat_seconds: float = 15.0
    away_seconds: float = 30.0


def load_web_settings(settings: Settings) -> WebSettings:
    """Read the `web:` section (every key optional).

    Raises:
        ConfigError: a key has the wrong type or range (named, never its value).
    """
    cfg = settings.optional("web")
    origins = cfg.get("allowed_origins", list, [])
    if not all(isinstance(origin, str) and origin.startswith(("http://", "https://")) for origin in origins):
        raise ConfigError(f"{settings.path.name}: 'web.allowed_origins' must be a list of http(s) origins")
    return WebSettings(
        host=cfg.get("host", str, "127.0.0.1"),
        port=cfg.whole("port", 8080, 1, 65535),
        allowed_origins=tuple(origin.rstrip("/") for origin in origins),
        messages_per_minute=cfg.whole("messages_per_minute", 20, 1, 10_000),
        requests_per_minute=cfg.whole("requests_per_minute", 120, 1, 100_000),
        keep_events=cfg.whole("keep_events", 50, 1, 10_000),
        max_text=cfg.whole("max_text", 4000, 1, 100_000),
        heartbeat_seconds=cfg.number("heartbeat_seconds", 15.0, above=0, at_most=300),
        away_seconds=cfg.number("away_seconds", 30.0, above=0, at_most=3600),
    )
