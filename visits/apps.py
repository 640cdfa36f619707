from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Visits")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
        from .pdf import tasks  # noqa: F401 - registers the Celery task (not in visits/tasks.py)
