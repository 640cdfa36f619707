"""History is evidence: it may be read in the admin, never "reverted".

django-simple-history's history form view saves a whole historical row on POST (its "Revert"
button) after checking only that the user may *view* history, not change the object: an issued
report could be set back to drafting, an interview's notes replaced. The project refuses that
for every history admin, whatever app it is in (applied once from `NpmPortalConfig.ready`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


def _revert_disabled(self, request, obj=None) -> bool:
    return True


def forbid_history_reverts() -> None:
    if getattr(SimpleHistoryAdmin, "_npm_reverts_forbidden", False):
        return
    view = SimpleHistoryAdmin.history_form_view

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return view(self, request, object_id, version_id, extra_context)

    SimpleHistoryAdmin.history_form_view = history_form_view
    SimpleHistoryAdmin.revert_disabled = _revert_disabled
    SimpleHistoryAdmin._npm_reverts_forbidden = True
