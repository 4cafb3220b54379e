"""Progress bars for batches: a widget in a notebook that can show one, text elsewhere.

tqdm's notebook bar needs ipywidgets; without it, ``tqdm.auto`` warns ("IProgress not found")
and shows nothing useful. So the widget bar is used only in a notebook kernel with ipywidgets
importable; elsewhere (a terminal, or a notebook without ipywidgets) the plain text bar, which
a notebook shows as a line of text updated in place. Shown by default on a terminal and in a
notebook.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

__all__ = ["in_notebook", "progress_bar", "widgets_available"]


def in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel (IPython's ZMQ shell)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def widgets_available() -> bool:
    return importlib.util.find_spec("ipywidgets") is not None


def progress_bar(total: int | None, *, enabled: bool | None, desc: str = "summarising") -> Any:
    """A tqdm bar, or None when off (``enabled=None``: on a terminal or in a notebook); a
    ``total`` of None (an input of unknown length) counts without a bar to fill."""
    notebook = in_notebook()
    if enabled is None:
        enabled = notebook or sys.stderr.isatty()
    if not enabled:
        return None
    if notebook and widgets_available():
        from tqdm.notebook import tqdm as widget_bar

        return widget_bar(total=total, unit="article", desc=desc)
    from tqdm.std import tqdm as text_bar

    return text_bar(total=total, unit="article", desc=desc, file=sys.stderr)
