"""What to say: FAQ answers from the standard, the guided first contact, safety, chit-chat."""

from dialogs.citizen.handover import GONE_PAYLOAD
from dialogs.context import Deps, Turn
from dialogs.engine import COMMANDS, DialogEngine
from dialogs.i18n import days, long_date, translations, weeks
from dialogs.models import Base as DialogsBase
from dialogs.replies import Renderer
from dialogs.safety import SafetyScreen, load_safety
from dialogs.texts import TEXTS
from dialogs.turn import Button, Identity, Incoming, Notice, Outgoing, Relayed, Reply, Response, Role, Sender, State

__all__ = [
    "COMMANDS", "GONE_PAYLOAD", "Button", "Deps", "DialogEngine", "DialogsBase", "Incoming", "Notice", "Outgoing", "Relayed",
    "Renderer", "Reply",
    "Response", "Role", "SafetyScreen", "Sender", "State", "Identity", "TEXTS", "Turn", "days", "load_safety", "long_date",
    "translations", "weeks",
]
