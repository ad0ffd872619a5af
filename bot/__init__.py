"""Channels (terminal; Telegram comes with issue 3), the CLI, configuration and wiring."""
