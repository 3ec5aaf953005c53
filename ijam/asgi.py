# SPDX-License-Identifier: AGPL-3.0-or-later
"""ASGI entry point: HTTP through Django, websockets through channels."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ijam.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from notifications.routing import websocket_urlpatterns  # noqa: E402

http_app = django_asgi
if settings.DEBUG or os.environ.get("IJAM_SERVE_STATIC") == "1":
    # Local runs have no separate web server for static files; production uses collectstatic.
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    http_app = ASGIStaticFilesHandler(django_asgi)

from ijam.logs import RequestIdMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        # Every request an id of its own, on every log line it causes (ADR 0021).
        "http": RequestIdMiddleware(http_app),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
