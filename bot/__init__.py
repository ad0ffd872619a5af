"""Channels (terminal, Telegram), the CLI, configuration, storage and wiring."""
