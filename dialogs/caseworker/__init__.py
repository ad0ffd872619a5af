"""The caseworker side: registration, case commands and sentences, reminder buttons, team chats, rule questions."""
