"""whoosh imported without what a search never uses: imported before whoosh is.

whoosh imports ``urllib.request``, only to re-export ``urlretrieve`` from ``whoosh.compat``; through
the ``cached_property`` package, ``asyncio``, whose functions that package calls only when a property
is read; and ``whoosh.lang.morph_en`` (English word variations, a table of regular expressions) for
its ``Variations`` query.  Together about 35 ms of a 190 ms command (``python -X importtime``), for
nothing a search runs.  So while whoosh is imported, each that is not loaded yet is stood in for in
``sys.modules`` by a module that loads the real one when used:

- ``urllib.request`` and ``whoosh.lang.morph_en`` by modules holding only the functions whoosh takes
  from them (``urlretrieve``, ``variations``), each importing the real module when called;
- ``asyncio`` by one that imports the real module when any name is read from it.

The stand-ins leave ``sys.modules`` when whoosh is in: every later ``import`` gets the real module.
(``importlib.util.LazyLoader`` cannot serve: ``import`` reads a module's ``__spec__``, which loads it.)
"""

from __future__ import annotations

import importlib
import sys
import types

# module -> the functions whoosh imports from it by name
_FUNCTIONS = {"urllib.request": ("urlretrieve",), "whoosh.lang.morph_en": ("variations",)}
_MODULES = ("asyncio",)  # imported whole by whoosh's dependencies


class _Deferred(types.ModuleType):
    """A stand-in whose names are the real module's, loaded at the first one read."""

    def __getattr__(self, name: str):
        return getattr(importlib.import_module(self.__name__), name)


def _deferred_function(module: str, name: str):
    def call(*args, **kwargs):
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


def import_whoosh() -> None:
    if "whoosh.compat" in sys.modules:
        return
    stand_ins: dict[str, types.ModuleType] = {name: _Deferred(name) for name in _MODULES}
    for module, names in _FUNCTIONS.items():
        stand_ins[module] = types.ModuleType(module)
        for name in names:
            setattr(stand_ins[module], name, _deferred_function(module, name))
    stand_ins = {name: module for name, module in stand_ins.items() if name not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.query  # noqa: F401 - whoosh.lang.morph_en's name
        import whoosh.reading  # noqa: F401 - cached_property, and with it asyncio's name
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


import_whoosh()
