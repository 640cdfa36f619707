from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .search import register_sqlite_fold

        # Searches compare npm_fold(column) (core.search); on SQLite the function is Python's.
        connection_created.connect(register_sqlite_fold, dispatch_uid="npm_register_sqlite_fold")
