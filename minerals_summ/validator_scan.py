"""instructor's scan for async validators, run once for this library's response model.

instructor 1.17 refuses response models that carry its async validators, which its runtime
cannot run, and it checks on each of its passes over a call: six scans a call, each a walk over
every class of the model and the attributes of their bases, about 2.5 ms a call in all on these
machines (a quarter of the library's budget of 10 ms an article, ``benchmarks/README.md``).
The answer depends only on the model class, and this library always sends the same one, so
:func:`scan_once` checks that class with instructor's own function and from then on lets
instructor skip the walk for that class alone; every other model (a caller's own use of
instructor in the same process) is still scanned on every pass.

The function lives in ``instructor.v2.validation.async_validators``; ``instructor.v2.core.patch``
also holds it, imported when instructor loads. If a new instructor moves it, :func:`scan_once`
changes nothing and returns False: calls stay correct, only slower, and
``tests/test_validator_scan.py`` fails, so the pin on instructor cannot be raised unnoticed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

__all__ = ["scan_once"]

_HOLDERS = ("instructor.v2.validation.async_validators", "instructor.v2.core.patch")
_NAME = "reject_async_validators"


def _holders() -> list[ModuleType] | None:
    try:
        modules = [importlib.import_module(name) for name in _HOLDERS]
    except ImportError:
        return None
    return modules if all(callable(getattr(m, _NAME, None)) for m in modules) else None


def scan_once(model: type[Any]) -> bool:
    """Scan ``model`` now with instructor's own function, then let instructor skip it.

    Raises instructor's error if ``model`` has an async validator. Returns False, changing
    nothing, when instructor's internals have moved.
    """
    modules = _holders()
    if modules is None:
        return False
    original: Callable[[Any], None] = getattr(modules[0], _NAME)
    original = getattr(original, "__wrapped__", original)
    original(model)

    def reject_async_validators(response_model: Any) -> None:
        if response_model is not model:
            original(response_model)

    reject_async_validators.__wrapped__ = original  # type: ignore[attr-defined]
    for module in modules:
        setattr(module, _NAME, reject_async_validators)
    return True
