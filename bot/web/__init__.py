"""The web chat on the municipality's website: `stifinder serve`.

- `app`: `create_web_app`, the ASGI application (Starlette): the chat API with server-sent events, the
  widget and its demo page, /healthz and /readyz;
- `sessions`: the conversations this process holds for the event streams, one turn at a time, rate limits;
- `serve`: `serve`, which runs it under uvicorn;
- `config`: the `web:` section of config.yml;
- `static/`: widget.js, widget.css and the demo page (plain files, no build step).
"""

from bot.web.app import CHANNEL, create_web_app
from bot.web.config import WebSettings, load_web_settings

__all__ = ["CHANNEL", "WebSettings", "create_web_app", "load_web_settings"]
