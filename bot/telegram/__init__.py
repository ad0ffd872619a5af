"""The Telegram channel: citizens, caseworkers and team chats talk to the one dialog engine through it.

- `channel`: `TelegramChannel`, which turns updates (messages, commands, button presses) into the engine's
  `Incoming` and sends its `Response` back, the one send path;
- `application`: `build_application` (python-telegram-bot's Application with the channel's handlers) and
  `serve` (polling or webhook) for `stifinder run`;
- `rendering`: a rendered reply as Telegram HTML, split under the message limit, and its inline keyboard;
- `request`: `RetryingRequest`, the HTTP client that retries what Telegram asks to be retried;
- `notifier`: `TelegramNotifier` and `Reminders`, which deliver the deadline reminders the scheduler plans;
- `config`: the `telegram:` section of config.yml and the token and webhook secret from the environment.
"""

from bot.telegram.application import ALLOWED_UPDATES, build_application, serve
from bot.telegram.channel import CHANNEL, TelegramChannel
from bot.telegram.config import TelegramSettings, WebhookSettings, bot_token, load_telegram_settings, webhook_secret
from bot.telegram.notifier import Reminders, TelegramNotifier, build_reminders

__all__ = ["ALLOWED_UPDATES", "CHANNEL", "Reminders", "TelegramChannel", "TelegramNotifier", "TelegramSettings",
           "WebhookSettings", "bot_token", "build_application", "build_reminders", "load_telegram_settings", "serve",
           "webhook_secret"]
