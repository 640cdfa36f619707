"""Places, authorities and themes by name: in either script, without regard to case, spaces and
diacritics (`values.fold`). The registry is read once per import (a few thousand rows)."""

from __future__ import annotations

from visits.models import Authority, Place, Theme

from .values import fold


class Index:
    """Folded name → object; a folded name two objects share is ambiguous (None)."""

    def __init__(self, objects, *names):
        self.by_name: dict[str, object | None] = {}
        for obj in objects:
            keys = {fold(getattr(obj, name)) for name in names if getattr(obj, name, "")}
            for key in keys:
                if key in self.by_name and self.by_name[key] is not obj:
                    self.by_name[key] = None
                else:
                    self.by_name[key] = obj

    def find(self, name: str):
        """(object, ambiguous): (None, False) when nothing has that name."""
        key = fold(name)
        if key not in self.by_name:
            return None, False
        found = self.by_name[key]
        return found, found is None


class Registry:
    def __init__(self):
        self.places = Index(Place.objects.only("pk", "name", "authority_id"), "name")
        self.authorities = Index(
            Authority.objects.only("pk", "name", "short_name"), "name", "short_name"
        )
        self.themes = Index(Theme.objects.all(), "code", "name", "name_sr")
