"""`stifinder serve`: the web chat under uvicorn, until SIGINT or SIGTERM."""

from __future__ import annotations

import logging

from bot.config import ConfigError, Settings
from bot.web.app import create_web_app
from bot.web.config import WebSettings

log = logging.getLogger(__name__)


def serve(settings: Settings, web: WebSettings, workers: int = 1) -> int:
    """Serve the web chat on web.host:web.port.

    Raises:
        ConfigError: more than one worker was asked for (not built yet: see docs/webchat.md).
    """
    import uvicorn

    from bot.wiring import App, build_app

    if workers != 1:
        raise ConfigError("several workers share conversations through PostgreSQL, which the web chat does not "
                          "do yet: run one worker (--workers 1)")

    async def build() -> App:
        return await build_app(settings)

    application = create_web_app(web, build)
    # No access log (it would hold addresses and paths with session ids), no Server header, our own logging.
    config = uvicorn.Config(application, host=web.host, port=web.port, access_log=False, log_config=None,
                            server_header=False, proxy_headers=False, lifespan="on",
                            timeout_graceful_shutdown=5)  # open event streams never end by themselves
    log.info("web chat listening host=%s port=%d", web.host, web.port)
    uvicorn.Server(config).run()
    return 0
