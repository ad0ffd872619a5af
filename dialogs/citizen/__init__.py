"""The citizen assistant: FAQ answers from the standard, the guided first contact, chit-chat, compound questions."""
