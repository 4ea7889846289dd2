"""Rasa server plug-ins: channel connectors, an NLU component and one speed-up.

Rules stay in `bot/`. Importing any plug-in applies `speedups` in the Rasa server.
"""

from plugins import speedups  # noqa: F401
