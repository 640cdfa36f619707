"""The API docs page in Chromium: Swagger UI from our own files renders the operations under the
strict CSP, with no console error and no request leaving the site."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_docs_page_renders_the_operations_under_the_csp(live_server, page, login, head):
    login(head.username, PASSWORD)
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "request",
        lambda request: (
            problems.append(f"outside request: {request.url}")
            if not request.url.startswith(live_server.url)
            else None
        ),
    )
    response = page.goto(f"{live_server.url}{reverse('api:docs')}")
    assert response.status == 200
    assert "script-src" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=15000)
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(text.strip().startswith("/api/v1/") for text in summaries)
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("NPM Portal API")
    assert not problems, problems
