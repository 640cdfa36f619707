"""The import page's forms: the upload (checked by content, like every upload) and the
confirmation that carries the staged file's signed token."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.uploads import CSV, XLSX, validate_upload


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (XLSX or CSV)"),
        help_text=_("One row per recommendation, with the template's header row."),
    )
    create_places = forms.BooleanField(
        label=_("Create places and authorities that match no name"),
        required=False,
        help_text=_("Otherwise a name that matches nothing is an error of its row."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(
            upload, allowed=(XLSX, CSV), label="XLSX, CSV", max_mb=settings.NPM_MAX_UPLOAD_MB
        )
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


class UndoConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that everything this import created will be removed."),
        required=True,
    )
