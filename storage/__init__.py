"""SQLModel tables, sessions, queries and migrations. Knows nothing of commands or chat."""
