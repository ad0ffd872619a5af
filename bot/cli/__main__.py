"""`python -m bot.cli`: the same as the `stifinder` command."""

from bot.cli.main import main

raise SystemExit(main())
