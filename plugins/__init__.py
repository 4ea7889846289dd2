"""Rasa server plug-ins: channel connectors and an NLU component. Rules stay in `bot/`."""
