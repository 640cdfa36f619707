"""The escalations list (written by the reminders work)."""

from django.http import Http404


def escalations(request, *args, **kwargs):
    raise Http404
