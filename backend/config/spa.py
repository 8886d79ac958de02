"""Serves the built web UI (frontend/dist/index.html) for every non-API, non-static path."""

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

UI_NOT_BUILT = (
    "The web UI is not built. Run `make frontend` (or `cd frontend && npm ci && npm run build`) "
    "and reload; the API is available under /api/."
)


def _index_path() -> Path:
    dist = getattr(settings, "FRONTEND_DIST", Path(__file__).resolve().parents[2] / "frontend" / "dist")
    return Path(dist) / "index.html"


@require_safe
@ensure_csrf_cookie
def spa_view(request: HttpRequest) -> HttpResponse:
    """The single-page app's shell; client-side routing takes it from there."""
    index = _index_path()
    if not index.is_file():
        return HttpResponseNotFound(UI_NOT_BUILT, content_type="text/plain; charset=utf-8")
    response = HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
