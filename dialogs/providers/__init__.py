"""The provider desk: caseworkers' and team chats' questions about the provider catalogue."""
