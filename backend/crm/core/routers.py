"""URL routing shared by every app."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter


class OptionalSlashRouter(SimpleRouter):
    """Routes that answer with and without a trailing slash (``/accounts`` and ``/accounts/``)."""

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"
