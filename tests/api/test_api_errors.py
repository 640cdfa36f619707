"""One JSON error shape for every API error, 400 (never 500) for bad input, a JSON 404 for unknown
paths under /api/, and every API request in the access log with the chain intact.

The errors are driven through a few test endpoints (this module is also the URLconf, next to
the real API) so they do not depend on which resources exist."""

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import include, path
from django_filters import rest_framework as filters
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from npm_portal.api.base import ApiView, PublicApiView
from npm_portal.api.models import ApiToken
from npm_portal.api.services import token_create
from visits.audit import verify_access_log
from visits.models import AccessAction, AccessLog

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

# --- Test endpoints -----------------------------------------------------------------------------


class ItemSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=5)


class EchoSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    count = serializers.IntegerField(min_value=0)
    items = ItemSerializer(many=True, required=False)

    def validate(self, attrs):
        if attrs.get("name") == "both" and attrs.get("count") == 0:
            raise serializers.ValidationError("Name and count do not go together.")
        return attrs


class EchoView(ApiView):
    def post(self, request):
        serializer = EchoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class Raises(ApiView):
    errors = {
        "http404": Http404("nothing here"),
        "denied": DjangoPermissionDenied(),
        "service": DjangoValidationError({"name": "The service says no."}),
        "service-plain": DjangoValidationError("Not in this state."),
    }

    def get(self, request, kind):
        raise self.errors[kind]


class TokenFilter(filters.FilterSet):
    scope = filters.ChoiceFilter(choices=ApiToken.Scope.choices)

    class Meta:
        model = ApiToken
        fields = ["scope"]


class TokenListSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["name", "scope"]


class OwnTokens(ApiView, generics.ListAPIView):
    serializer_class = TokenListSerializer
    filterset_class = TokenFilter

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user)


class OneAMinute(AnonRateThrottle):
    rate = "1/min"


class Throttled(PublicApiView):
    throttle_classes = [OneAMinute]

    def get(self, request):
        return Response({"ok": True})


class Boom(PublicApiView):
    def get(self, request):
        raise RuntimeError("a bug")


urlpatterns = [
    path("api/v1/", include("npm_portal.api.urls")),
    path("api/test/echo/", EchoView.as_view(), name="echo"),
    path("api/test/raises/<str:kind>/", Raises.as_view(), name="raises"),
    path("api/test/tokens/", OwnTokens.as_view(), name="tokens"),
    path("api/test/throttled/", Throttled.as_view(), name="throttled"),
    path("api/test/boom/", Boom.as_view(), name="boom"),
    path("", include("npm_portal.urls")),
]
handler404 = "npm_portal.api.errors.handler404"


# --- Helpers ------------------------------------------------------------------------------------


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status
    assert isinstance(error["code"], str)
    assert error["code"]
    assert isinstance(error["message"], str)
    assert error["message"]
    return error


@pytest.fixture
def writer(head, token_for, api_client):
    return api_client(token_for(head, scopes=["read", "write"]))


# --- 400 ----------------------------------------------------------------------------------------


def test_field_errors_name_the_fields(writer):
    response = writer.post("/api/test/echo/", {"name": "too long", "count": -1}, format="json")
    error = _error(response, 400)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"name", "count"}
    assert all(isinstance(m, str) for messages in error["fields"].values() for m in messages)


def test_nested_field_errors_are_dotted_paths(writer):
    body = {"name": "ok", "count": 1, "items": [{"label": "fine"}, {"label": "much too long"}]}
    error = _error(writer.post("/api/test/echo/", body, format="json"), 400)
    assert set(error["fields"]) == {"items.1.label"}


def test_errors_of_the_whole_object_are_the_message(writer):
    error = _error(writer.post("/api/test/echo/", {"name": "both", "count": 0}, format="json"), 400)
    assert error["message"] == "Name and count do not go together."
    assert "fields" not in error


def test_valid_input_passes(writer):
    response = writer.post("/api/test/echo/", {"name": "ok", "count": 2}, format="json")
    assert response.status_code == 201
    assert response.json() == {"name": "ok", "count": 2}


@pytest.mark.parametrize(
    "payload",
    [b"{not json", b'{"name": "x",}', b"\xff\xfe", b"[1, 2", b'{"name": "\\ud800"'],
)
def test_malformed_json_is_400(writer, payload):
    response = writer.generic("POST", "/api/test/echo/", payload, "application/json")
    error = _error(response, 400)
    assert error["code"] == "parse_error"


def test_json_that_is_not_an_object_is_400(writer):
    response = writer.generic("POST", "/api/test/echo/", b"[1, 2]", "application/json")
    assert _error(response, 400)["code"] == "invalid"


def test_wrong_content_type_is_415(writer):
    response = writer.generic("POST", "/api/test/echo/", b"name=x", "text/plain")
    error = _error(response, 415)
    assert error["code"] == "unsupported_media_type"


def test_bad_cursor_is_400(head, token_for, api_client):
    client = api_client(token_for(head))
    # Not base64 of ASCII; a negative offset; a reverse flag not 0/1; not ASCII; a position
    # that is no primary key.
    for cursor in ["nonsense", "bz0tMQ==", "cj14", "é", "cD1hYmM="]:
        response = client.get("/api/test/tokens/", {"cursor": cursor})
        error = _error(response, 400)
        assert error["code"] == "invalid"
        assert "cursor" in error["fields"]


def test_a_good_cursor_pages(head, token_for, api_client):
    client = api_client(token_for(head))
    for n in range(3):
        token_create(user=head, name=f"t{n}", scopes=["read"], by=head)
    page = client.get("/api/test/tokens/", {"page_size": 2}).json()
    assert len(page["results"]) == 2
    following = client.get(page["next"]).json()
    assert len(following["results"]) == 2  # four tokens: the client's own and three more
    assert following["next"] is None


def test_unknown_filter_value_is_400(head, token_for, api_client):
    client = api_client(token_for(head))
    error = _error(client.get("/api/test/tokens/", {"scope": "everything"}), 400)
    assert error["code"] == "invalid"
    assert "scope" in error["fields"]
    assert client.get("/api/test/tokens/", {"scope": "read"}).status_code == 200


def test_service_validation_errors_are_400(head, token_for, api_client):
    client = api_client(token_for(head))
    error = _error(client.get("/api/test/raises/service/"), 400)
    assert error["fields"] == {"name": ["The service says no."]}
    error = _error(client.get("/api/test/raises/service-plain/"), 400)
    assert error["message"] == "Not in this state."


# --- 401, 403, 404, 405, 429 --------------------------------------------------------------------


def test_django_http404_and_permission_denied_get_the_shape(head, token_for, api_client):
    client = api_client(token_for(head))
    assert _error(client.get("/api/test/raises/http404/"), 404)["code"] == "not_found"
    assert _error(client.get("/api/test/raises/denied/"), 403)["code"] == "permission_denied"


def test_401_and_403_have_the_shape(head, token_for, api_client):
    _error(api_client(None).get("/api/v1/"), 401)
    _error(api_client("npm_1234abcd_wrong").get("/api/v1/"), 401)
    _error(api_client(token_for(head)).post("/api/test/echo/", {}, format="json"), 403)


def test_method_not_allowed_is_405(writer):
    error = _error(writer.delete("/api/v1/"), 405)
    assert error["code"] == "method_not_allowed"


def test_throttled_is_429_with_retry_after(db, api_client):
    client = api_client(None)
    assert client.get("/api/test/throttled/").status_code == 200
    response = client.get("/api/test/throttled/")
    error = _error(response, 429)
    assert error["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize(
    "url", ["/api/v1/no-such-thing/", "/api/v1/no-such-thing", "/api/v2/", "/api/"]
)
def test_unknown_api_paths_get_a_json_404(head, token_for, api_client, url):
    for client in (api_client(None), api_client(token_for(head))):
        error = _error(client.get(url), 404)
        assert error["code"] == "not_found"


def test_unknown_page_paths_still_get_the_html_404(head_client):
    response = head_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_bug_is_still_a_500_not_a_made_up_error(db, client):
    client.raise_request_exception = False
    response = client.get("/api/test/boom/")
    assert response.status_code == 500


# --- Access log ---------------------------------------------------------------------------------


def _entries():
    return list(AccessLog.objects.chain_order())


def test_every_token_request_is_logged_without_query_or_body(head, token_for, api_client):
    client = api_client(token_for(head, scopes=["read", "write"]))
    client.get("/api/v1/?secret=query-marker")
    client.post("/api/test/echo/?q=query-marker", {"name": "body!", "count": 1}, format="json")
    entries = _entries()
    assert [(e.user, e.action, e.object_type, e.object_id) for e in entries] == [
        (head, AccessAction.API_REQUEST, "GET api:root", "/api/v1/"),
        (head, AccessAction.API_REQUEST, "POST echo", "/api/test/echo/"),
    ]
    for entry in entries:
        for value in (entry.object_type, entry.object_id):
            assert "query-marker" not in value
            assert "body!" not in value
    assert verify_access_log().ok


def test_denials_are_logged_once_as_denials(head, token_for, api_client):
    client = api_client(token_for(head, scopes=["read"]))
    client.post("/api/test/echo/", {}, format="json")  # 403: read token
    client.get("/api/test/raises/http404/")  # 404
    client.get("/api/v1/no-such-thing/")  # 404 outside any view: the token's user still
    entries = _entries()
    assert [(e.user, e.action, e.object_type) for e in entries] == [
        (head, AccessAction.DENIED, "POST echo"),
        (head, AccessAction.DENIED, "GET raises"),
        (head, AccessAction.DENIED, "GET api"),
    ]
    assert verify_access_log().ok


def test_refused_tokens_are_logged(head, api_client):
    token, plaintext = token_create(user=head, name="t", scopes=["read"], by=head)
    from npm_portal.api.services import token_revoke

    token_revoke(token=token, by=head)
    api_client(plaintext).get("/api/v1/")
    api_client("npm_1234abcd_made-up").get("/api/v1/")
    api_client(None).get("/api/v1/")  # no credential at all: like an anonymous page view
    entries = _entries()
    assert [(e.user, e.action) for e in entries] == [
        (head, AccessAction.DENIED),
        (None, AccessAction.DENIED),
    ]
    assert verify_access_log().ok


def test_session_requests_are_logged(head_client):
    head_client.get("/api/v1/")
    (entry,) = _entries()
    assert entry.action == AccessAction.API_REQUEST
    assert entry.object_type == "GET api:root"


def test_anonymous_public_reads_are_not_logged(db, client):
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/test/throttled/").status_code == 200
    assert _entries() == []


def test_the_chain_verifies_after_many_requests(head, staff, token_for, api_client):
    clients = [api_client(token_for(head)), api_client(token_for(staff))]
    for n in range(10):
        clients[n % 2].get("/api/v1/" if n % 3 else "/api/test/raises/http404/")
    assert AccessLog.objects.count() == 10
    report = verify_access_log()
    assert report.ok
    assert report.checked == 10
