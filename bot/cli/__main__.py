"""`python -m bot.cli`: the same as the `stifinder` command."""

from bot.cli.commands import main

raise SystemExit(main())
