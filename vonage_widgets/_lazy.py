"""Names a package re-exports but loads on first use (PEP 562 module ``__getattr__``).

Used by packages whose heavy parts most sessions never touch (the NCCO models, the NCCO
builder widget), so that importing the package stays cheap. Imports nothing but importlib.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(
    package: str,
    lazy: Mapping[str, str],
    namespace: MutableMapping[str, Any],
    public: Iterable[str],
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of ``package`` for its lazy names.

    ``lazy`` maps each re-exported name to the submodule of ``package`` that defines it;
    ``namespace`` is the package's ``globals()``, where a loaded name is kept so the next
    lookup is an ordinary one; ``public`` is its ``__all__``, listed by ``dir()`` before
    the names are loaded. A submodule named in ``lazy`` is also reachable as an attribute.
    """
    submodules = frozenset(lazy.values())
    listed = frozenset(public)

    def module_getattr(name: str) -> Any:
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")  # also sets it on the package
        module = lazy.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def module_dir() -> list[str]:
        return sorted({*namespace, *listed})

    return module_getattr, module_dir
