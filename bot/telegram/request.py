"""The HTTP layer under the bot's sends: python-telegram-bot's HTTPXRequest, retried on transport faults.

What is retried, and why here: a connection that failed or was dropped, a timeout and a 5xx answer
mean the Bot API did not take the request, so it is sent again after a short backoff (0.25 s,
0.5 s, 1 s, ... up to `max_backoff`). A 429 is *not* retried here: it comes back as RetryAfter and
AIORateLimiter waits its `retry_after` and retries (it also holds back every other request
meanwhile). 4xx answers are final. Only the method name is ever logged: the URL holds the token.

The Bot API has no idempotency key, so a read timeout after Telegram accepted a message can, in
the worst case, deliver it twice; that is preferred to losing a reply. Read timeouts are set
generously for that reason.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)


def method_of(url: str) -> str:
    """Return the Bot API method of a request URL (the part after the token)."""
    return url.rsplit("/", 1)[-1]


class RetryingRequest(HTTPXRequest):
    """An HTTPXRequest that retries transport faults and 5xx answers before giving up.

    Args:
        attempts: how many times a request is sent at most. Defaults to 5.
        backoff: the first wait between attempts, in seconds; it doubles each time. Defaults to 0.25.
        max_backoff: the longest wait between attempts, in seconds. Defaults to 4.
        **kwargs: passed to HTTPXRequest (timeouts, connection_pool_size, httpx_kwargs).
    """

    def __init__(self, attempts: int = 5, backoff: float = 0.25, max_backoff: float = 4.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._attempts = max(1, attempts)
        self._backoff = backoff
        self._max_backoff = max_backoff

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: RequestData | None = None, **timeouts: Any,
    ) -> tuple[int, bytes]:
        """Send one request, retrying transport faults and 5xx answers with a bounded backoff."""
        for attempt in range(1, self._attempts + 1):
            try:
                code, payload = await super().do_request(url, method, request_data, **timeouts)
            except NetworkError as exc:  # at this layer (TimedOut included) the transport failed
                if attempt == self._attempts:
                    raise
                log.warning("telegram request retry method=%s attempt=%d error=%s",
                            method_of(url), attempt, type(exc).__name__)
            else:
                if code < 500 or attempt == self._attempts:
                    return code, payload
                log.warning("telegram request retry method=%s attempt=%d status=%d", method_of(url), attempt, code)
            await asyncio.sleep(min(self._backoff * 2 ** (attempt - 1), self._max_backoff))
        raise TimedOut("unreachable")  # the loop always returns or raises on its last attempt
