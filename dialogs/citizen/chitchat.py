"""Greetings, thanks, help, what the bot is and what it stores, forgetting, cancelling."""

from __future__ import annotations

from dialogs.context import Turn
from dialogs.turn import Reply


async def greet(turn: Turn) -> list[Reply]:
    """Say who the bot is, that it is a machine, and what it can answer."""
    return [Reply("utter_greet")]


async def help_(turn: Turn) -> list[Reply]:
    """Explain how to ask."""
    return [Reply("utter_help")]


async def bot_challenge(turn: Turn) -> list[Reply]:
    """Say truthfully that this is a program, and give the humans' numbers."""
    return [Reply("utter_bot")]


async def privacy(turn: Turn) -> list[Reply]:
    """Say truthfully what is stored and for how long."""
    return [Reply("utter_privacy")]


async def forget(turn: Turn) -> list[Reply]:
    """Delete everything held about this conversation (the engine deletes it after the turn)."""
    turn.forget = True
    turn.state.clear_flow()
    turn.state.slots.clear()
    return [Reply("utter_forgotten")]


async def thanks(turn: Turn) -> list[Reply]:
    """Answer thanks."""
    return [Reply("utter_thanks")]


async def goodbye(turn: Turn) -> list[Reply]:
    """Say goodbye."""
    return [Reply("utter_goodbye")]


async def cancel(turn: Turn) -> list[Reply]:
    """Leave any guided flow."""
    turn.state.clear_flow()
    return [Reply("utter_cancelled")]


async def anything_else(turn: Turn) -> list[Reply]:
    """Answer a bare yes/no outside a flow."""
    return [Reply("utter_anything_else")]
