"""Rasa custom actions: thin adapters between tracker slots and the core in `bot/`."""
