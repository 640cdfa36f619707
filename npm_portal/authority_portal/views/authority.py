"""Placeholder: each view is written by the feature work; until then a 404."""

from django.http import Http404


def home(request, *args, **kwargs):
    raise Http404


def recommendation(request, *args, **kwargs):
    raise Http404


def reports(request, *args, **kwargs):
    raise Http404


def report(request, *args, **kwargs):
    raise Http404


def report_public_pdf(request, *args, **kwargs):
    raise Http404


def report_full_pdf(request, *args, **kwargs):
    raise Http404


def submission_start(request, *args, **kwargs):
    raise Http404


def submissions(request, *args, **kwargs):
    raise Http404


def submission(request, *args, **kwargs):
    raise Http404


def answer_edit(request, *args, **kwargs):
    raise Http404


def answer_remove(request, *args, **kwargs):
    raise Http404


def evidence_add(request, *args, **kwargs):
    raise Http404


def evidence(request, *args, **kwargs):
    raise Http404


def evidence_remove(request, *args, **kwargs):
    raise Http404


def submission_send(request, *args, **kwargs):
    raise Http404


def submission_return(request, *args, **kwargs):
    raise Http404


def submission_sign_off(request, *args, **kwargs):
    raise Http404


def submission_follow_up(request, *args, **kwargs):
    raise Http404


def invitation(request, *args, **kwargs):
    raise Http404
