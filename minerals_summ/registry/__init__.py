"""The deal registry: every critical-minerals agreement and policy scheme, once each.

:class:`Registry` stores *mentions* (one per record of one article) and links them into *events*
(one per real-world agreement or policy scheme), incrementally, with corrections by a person kept
as constraints. Each :class:`Event` carries merged fields with the mentions that support each
value, its :class:`Conflict` s and its status history. See ``docs/registry.md``.
"""

from minerals_summ.registry.model import Conflict, Event, FieldValue, Link, Mention, StatusChange
from minerals_summ.registry.registry import Registry
from minerals_summ.registry.scoring import LinkingScore, score_linking

__all__ = [
    "Conflict",
    "Event",
    "FieldValue",
    "Link",
    "LinkingScore",
    "Mention",
    "Registry",
    "StatusChange",
    "score_linking",
]
