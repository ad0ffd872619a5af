"""Caseworker cases, deadline rules and reminder delivery (issue 4). Nothing here yet."""

__all__: list[str] = []
