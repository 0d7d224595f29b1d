"""Every instrument Casework administers, declared once as data (see ``base``)."""

from __future__ import annotations

from casework.instruments.definitions import function, mood, social, substance, suicide
from casework.instruments.definitions.base import Answer, Instrument, Item, Option

INSTRUMENTS: dict[str, Instrument] = {
    i.key: i for module in (mood, substance, function, social, suicide) for i in module.INSTRUMENTS
}

__all__ = ["INSTRUMENTS", "Answer", "Instrument", "Item", "Option"]
