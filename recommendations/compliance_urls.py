"""URL patterns; see recommendations/urls.py."""

urlpatterns: list = []
