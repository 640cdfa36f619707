from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination as BaseCursorPagination


class CursorPagination(BaseCursorPagination):
    """Stable pages over lists that grow while a client reads them; `ordering` per viewset."""

    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"
    ordering = "-pk"
    invalid_cursor_message = _("Invalid cursor: use the `next` or `previous` link as given.")

    def _invalid(self) -> ValidationError:
        # A bad cursor is bad input (400, naming the parameter), not a missing page (DRF: 404).
        return ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise self._invalid() from None

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, DjangoValidationError):
            # A well-formed cursor whose position is no value of the ordering field.
            if request.query_params.get(self.cursor_query_param) is None:
                raise
            raise self._invalid() from None
