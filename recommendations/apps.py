from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = _("Recommendations")

    def ready(self) -> None:
        from visits.models import VisitKind
        from visits.tabs import register_visit_tab

        from . import access, signals  # noqa: F401  (signals connects the receivers)

        # The visit page's tabs of this app (`visits` does not name URLs of apps above it).
        register_visit_tab(
            "recommendations",
            _("Recommendations"),
            "recommendations:visit_recommendations",
            shown=lambda user, visit: user.has_perm(access.VIEW_RECOMMENDATION),
        )
        register_visit_tab(
            "checklist",
            _("Follow-up checklist"),
            "recommendations:follow_up_checklist",
            shown=lambda user, visit: (
                visit.kind == VisitKind.FOLLOW_UP and user.has_perm(access.VIEW_CHECK)
            ),
        )
