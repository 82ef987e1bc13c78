"""What makes the result types immutable and exportable: read-only arrays and mappings, and the
conversion of results to JSON-safe plain data.

A result keeps private, read-only copies of everything it holds, so changing an input array after
a fit cannot change the result, and nothing read from a result can be written to.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any, NoReturn

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def readonly_array(values: ArrayLike) -> FloatArray:
    """``values`` as a float array nobody can write to.

    The values are copied into a new array that is marked read-only and handed out through a
    read-only view, so that the view's ``writeable`` flag cannot be switched back on either. An
    array that already has this form is returned as it is, without a second copy.
    """
    array = np.asarray(values, dtype=float)
    if _is_readonly_view(array):
        return array
    owner = np.array(array, dtype=float, copy=True)
    owner.flags.writeable = False
    return owner.view()


def readonly_new(array: FloatArray) -> FloatArray:
    """An array just computed, that nothing else refers to, made read-only in place (no copy)
    and handed out as ``readonly_array`` hands out its copies."""
    array.flags.writeable = False
    return array.view()


def _is_readonly_view(array: np.ndarray[Any, Any]) -> bool:
    base = array.base
    return (
        not array.flags.writeable
        and isinstance(base, np.ndarray)
        and base.base is None
        and not base.flags.writeable
    )


class FrozenDict(dict[str, Any]):
    """A dict that cannot be changed once built; still a dict for ``json`` and templates."""

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(f"{type(self).__name__} is read-only")

    __setitem__ = _read_only
    __delitem__ = _read_only
    __ior__ = _read_only
    clear = _read_only
    pop = _read_only
    popitem = _read_only
    setdefault = _read_only
    update = _read_only

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self),))


def freeze(value: Any) -> Any:
    """``value`` with every mapping made a ``FrozenDict``, every list a tuple and every array
    read-only, recursively."""
    if isinstance(value, Mapping):
        return FrozenDict({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    if isinstance(value, np.ndarray):
        return readonly_array(value)
    return value


class FrozenResult:
    """Base of the result dataclasses: a copy (``copy``, ``pickle``) is rebuilt through
    ``__init__``, so it is frozen as the original is."""

    def __reduce__(self) -> tuple[Any, ...]:
        names = [f.name for f in dataclasses.fields(self)]  # type: ignore[arg-type]
        return (type(self), tuple(getattr(self, name) for name in names))


def plain(value: Any) -> Any:
    """``value`` as JSON-safe plain data: dicts, lists, str, int, bool, finite floats and None.

    NaN and infinite floats become None (``json.dumps(..., allow_nan=False)`` accepts the
    result). Objects with ``to_dict()`` are converted by it; other dataclasses field by field
    (fields whose names start with ``_`` are private and left out); pydantic models by
    ``model_dump(mode="json")``.
    """
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclass_dict(value)
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):
        return plain(model_dump(mode="json"))
    raise TypeError(f"cannot convert {type(value).__name__} to plain data")


def dataclass_dict(value: Any) -> dict[str, Any]:
    """The public fields of a dataclass instance as plain data (see ``plain``)."""
    return {
        f.name: plain(getattr(value, f.name))
        for f in dataclasses.fields(value)
        if not f.name.startswith("_")
    }
