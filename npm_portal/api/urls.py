"""/api/v1/: the router of every resource, the schema and the docs page."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import docs
from .resources import register_all

app_name = "api"

router = SimpleRouter()
register_all(router)

urlpatterns: list = [
    path("", docs.ApiRootView.as_view(router=router), name="root"),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.docs_page, name="docs"),
    *router.urls,
]
