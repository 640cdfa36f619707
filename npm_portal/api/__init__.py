"""The REST API under /api/v1/ (Django REST framework): personal access tokens, the base view
classes every endpoint uses, the OpenAPI schema and its docs page. The resources live in
`resources/`; the public open data in `npm_portal.opendata`."""
