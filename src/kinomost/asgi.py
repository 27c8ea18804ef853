import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinomost.settings")
# WhiteNoise hands Django synchronous file iterators; Django streams them correctly under ASGI
# but warns on every static file. The warning says nothing an operator can act on.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")
django_application = get_asgi_application()

# HLS playlists and segments (token-checked) are answered before Django: see cinema/delivery.py.
from kinomost.cinema.delivery import HLSDelivery  # noqa: E402 (needs the apps loaded above)
from kinomost.health import HealthChecks  # noqa: E402

# /healthz and /readyz too, for load balancers: see kinomost/health.py.
application = HealthChecks(HLSDelivery(django_application))
