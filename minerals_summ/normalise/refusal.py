"""The error a parser raises for a text that is not one value of its kind."""

from __future__ import annotations

__all__ = ["Refusal"]


class Refusal(ValueError):
    """A text that is not one value of the kind asked for; the message is written for the model.

    ``category`` says why, in a word a program can count: ``range``, ``two_values``,
    ``price_per_unit``, ``rate_per_period``, ``per_unit`` (a grade or a ratio), ``part_of`` (a
    share of a larger figure), ``percentage``, ``no_currency``, ``unknown_currency``,
    ``not_money``, ``not_a_quantity``, ``no_number``, ``digit_grouping``, ``unclear_scale`` (a
    scale word whose value depends on the language: "MM", "mil"), ``inexact``, ``fiscal_year``,
    ``decade``, ``year_range``, ``duration``, ``not_a_date``.
    """

    def __init__(self, message: str, category: str) -> None:
        super().__init__(message)
        self.category = category
