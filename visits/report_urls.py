"""URL patterns; see visits/urls.py."""

urlpatterns: list = []
