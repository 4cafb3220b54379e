"""The one place where this library reaches into instructor's internals (instructor 1.17).

instructor 1.17 checks a response model for asynchronous validators, which it cannot run, on
every pass through its call path: eight times for one model call, each a walk over every class
of the model and every attribute of their bases (about 0.6 ms each, 5 ms a call, on these
machines). The check depends only on the model class, and this library always sends the same
one, so :func:`skip_scan_for` checks that class once, with instructor's own function, and from
then on lets instructor skip the walk for that class alone. Every other model (a caller's own
use of instructor in the same process) is still checked on every call.

If a future instructor moves the function, :func:`skip_scan_for` changes nothing and returns
False: calls stay correct, only slower. ``tests/test_instructor_glue.py`` fails in that case,
so the pin on instructor cannot be raised without noticing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

__all__ = ["scan_is_skipped", "skip_scan_for"]

# Modules whose attribute ``reject_async_validators`` instructor's call path calls: the module
# that defines it (the other call sites import it from there at call time) and ``patch``, which
# imports it once, at import time.
_HOLDERS = ("instructor.v2.validation.async_validators", "instructor.v2.core.patch")
_NAME = "reject_async_validators"

_checked: list[type[Any]] = []  # classes proven free of async validators (a handful at most)


def _holders() -> list[ModuleType] | None:
    try:
        modules = [importlib.import_module(name) for name in _HOLDERS]
    except ImportError:
        return None
    return modules if all(callable(getattr(m, _NAME, None)) for m in modules) else None


def _skipping(original: Callable[[Any], None]) -> Callable[[Any], None]:
    def reject_async_validators(response_model: Any) -> None:
        if any(response_model is model for model in _checked):
            return
        original(response_model)

    reject_async_validators.__wrapped__ = original  # type: ignore[attr-defined]
    reject_async_validators.__doc__ = original.__doc__
    return reject_async_validators


def skip_scan_for(model: type[Any]) -> bool:
    """Check ``model`` once with instructor's own scan, then skip the scan for it.

    Raises instructor's ``ValueError`` if ``model`` has an async validator (so nothing is
    skipped for it). Returns False, changing nothing, when instructor's internals have moved.
    """
    modules = _holders()
    if modules is None:
        return False
    original = getattr(modules[0], _NAME)
    original = getattr(original, "__wrapped__", original)
    original(model)
    if not any(model is known for known in _checked):
        _checked.append(model)
    replacement = _skipping(original)
    for module in modules:
        if getattr(getattr(module, _NAME), "__wrapped__", None) is not original:
            setattr(module, _NAME, replacement)
    return True


def scan_is_skipped(model: type[Any]) -> bool:
    """True when instructor's call path skips the async-validator scan for ``model``."""
    modules = _holders()
    return (
        modules is not None
        and any(model is known for known in _checked)
        and all(hasattr(getattr(m, _NAME), "__wrapped__") for m in modules)
    )
