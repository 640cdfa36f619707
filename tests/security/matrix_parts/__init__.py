"""Parts of the role × URL matrix kept beside the features they cover: each module here defines
MATRIX and POST_MATRIX (same codes as test_access_matrix), ARGUMENTS (URL name → kwargs from the
world) and `extend_world(world)` that adds the objects its URLs point at."""

from __future__ import annotations

import importlib
import pkgutil

MODULES = [
    importlib.import_module(f"{__name__}.{info.name}")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
]


def _merged(attribute: str) -> dict:
    merged: dict = {}
    for module in MODULES:
        part = getattr(module, attribute, {})
        overlap = set(merged) & set(part)
        assert not overlap, f"{module.__name__} repeats {sorted(overlap)}"
        merged.update(part)
    return merged


MATRIX = _merged("MATRIX")
POST_MATRIX = _merged("POST_MATRIX")
ARGUMENTS = _merged("ARGUMENTS")
API_MATRIX = _merged("API_MATRIX")
API_ARGUMENTS = _merged("API_ARGUMENTS")


def extend_world(world) -> None:
    for module in MODULES:
        extend = getattr(module, "extend_world", None)
        if extend is not None:
            extend(world)
