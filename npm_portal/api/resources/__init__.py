"""The API's resources: one module per concern, each with a `register(router)` that adds its
viewsets to the /api/v1/ router."""

from __future__ import annotations

import importlib
import pkgutil


def register_all(router) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(router)
