"""The `stifinder` command and the local channels.

- `commands`: `process_main` (the `stifinder` process), `main`, the argument parser and one function per sub-command (`run`, `chat`, `ask`, `check`, `nlu …`,
  `safety …`), each importing only what it needs, so a short command starts fast;
- `terminal`: `TerminalChannel`, the chat in a terminal (`stifinder chat`, as a citizen, a caseworker or a team);
- `ask`: one question or a JSON-lines stream through the same engine (`stifinder ask`);
- `cases`, `caseworkers`, `providers`, `reminders`: the sub-commands that manage cases and their deadlines,
  the caseworker registry and invitations, the provider catalogue, and the reminder dispatcher;
- `check`: `stifinder check`, the review of the content files.
"""

from bot.cli.commands import main, process_main

__all__ = ["main", "process_main"]
