"""The kvalitetsstandard as knowledge entries, the municipality profile, and retrieval."""

from knowledge.errors import ContentError, KnowledgeError
from knowledge.municipality import Emergency, Municipality, Office, Routing
from knowledge.retrieval import Hit, Retriever
from knowledge.standard import LANGUAGES, Caveat, Entry, Standard, load_standard, render

__all__ = [
    "LANGUAGES", "Caveat", "ContentError", "Emergency", "Entry", "Hit", "KnowledgeError", "Municipality",
    "Office", "Retriever", "Routing", "Standard", "load_standard", "render",
]
