"""`python -m bot.cli`: the same as the `stifinder` command."""

from bot.cli.commands import process_main

raise SystemExit(process_main())
