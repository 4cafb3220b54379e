"""The outcome of comparing two mentions: points, the reasons for them, and any veto."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Comparison"]


@dataclass
class Comparison:
    """The points two mentions earn, the reasons, and whether anything rules the pair out."""

    score: float = 0.0
    veto: str | None = None
    reasons: list[str] = field(default_factory=list)

    def add(self, points: float, reason: str) -> None:
        self.score += points
        self.reasons.append(f"{points:+g} {reason}")
