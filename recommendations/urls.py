"""Pages under /recommendations/: the tracker and authoring (tracker_urls), responses,
assessments, timelines and follow-up checklists (compliance_urls), dashboards (dashboard_urls)."""

from . import compliance_urls, dashboard_urls, tracker_urls

app_name = "recommendations"

urlpatterns = tracker_urls.urlpatterns + compliance_urls.urlpatterns + dashboard_urls.urlpatterns
