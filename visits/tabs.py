"""Extension point of the visit page: apps that build on `visits` add their own tabs here, from
their AppConfig.ready(). `visits` never names their URLs itself (it does not import them):

    from visits.tabs import register_visit_tab

    register_visit_tab(
        "recommendations",
        _("Recommendations"),
        "recommendations:visit_recommendations",
        shown=lambda user, visit: user.has_perm("recommendations.view_recommendation"),
    )
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class VisitTab:
    key: str
    label: str
    # A URL name taking the visit's pk, e.g. "recommendations:visit_recommendations".
    url_name: str
    shown: Callable[[object, object], bool]

    def url(self, visit) -> str:
        return reverse(self.url_name, args=[visit.pk])


_TABS: dict[str, VisitTab] = {}


def register_visit_tab(
    key: str, label, url_name: str, *, shown: Callable[[object, object], bool] | None = None
) -> None:
    """Add a tab after the visit's own ones; `shown(user, visit)` says who sees it. Registering
    the same key again replaces it (ready() may run more than once in tests)."""
    _TABS[key] = VisitTab(key, label, url_name, shown or (lambda user, visit: True))


def registered_tabs(user, visit) -> list[tuple[str, str, str]]:
    """(key, label, url) of the registered tabs `user` sees on `visit`, in registration order."""
    return [
        (tab.key, tab.label, tab.url(visit)) for tab in _TABS.values() if tab.shown(user, visit)
    ]
