"""/api/v1/: the router of every resource, the schema and the docs page."""

from rest_framework.routers import SimpleRouter

from .resources import register_all

app_name = "api"

router = SimpleRouter()
register_all(router)

urlpatterns: list = [
    *router.urls,
]
