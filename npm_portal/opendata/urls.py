"""/api/v1/open/: public open data, no login and no token (included before /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import bulk, views

app_name = "opendata"

router = SimpleRouter()
router.register("reports", views.ReportViewSet, basename="report")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("dictionary/", views.DictionaryView.as_view(), name="dictionary"),
    path("recommendations.csv", bulk.RecommendationsCsv.as_view(), name="recommendations_csv"),
    path("recommendations.json", bulk.RecommendationsJson.as_view(), name="recommendations_json"),
    path("reports.csv", bulk.ReportsCsv.as_view(), name="reports_csv"),
    path("reports.json", bulk.ReportsJson.as_view(), name="reports_json"),
    *router.urls,
]
