"""Placeholder: each view is written by the feature work; until then a 404."""

from django.http import Http404


def inbox(request, *args, **kwargs):
    raise Http404


def detail(request, *args, **kwargs):
    raise Http404


def accept(request, *args, **kwargs):
    raise Http404


def clarify(request, *args, **kwargs):
    raise Http404


def evidence(request, *args, **kwargs):
    raise Http404


def account_list(request, *args, **kwargs):
    raise Http404


def account_create(request, *args, **kwargs):
    raise Http404


def account_detail(request, *args, **kwargs):
    raise Http404


def account_deactivate(request, *args, **kwargs):
    raise Http404


def account_invite(request, *args, **kwargs):
    raise Http404


def dispatch_share(request, *args, **kwargs):
    raise Http404
