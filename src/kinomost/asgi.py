import os
import warnings

from kinomost.core.handlers import pooled_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinomost.settings")
# WhiteNoise hands Django synchronous file iterators; Django streams them correctly under ASGI
# but warns on every static file. The warning says nothing an operator can act on.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")
# Django's synchronous code on a fixed pool of threads per worker process (core/handlers.py says
# why); KINOMOST_WEB_THREADS sizes it.
django_application = pooled_asgi_application(int(os.environ.get("KINOMOST_WEB_THREADS", "4")))

# Heartbeats (cinema/front.py) and HLS playlists, segments and session keys (token-checked,
# cinema/delivery.py) are answered before Django; /healthz and /readyz too, for load balancers
# (kinomost/health.py). Imported after the setup above: they need the apps loaded.
from kinomost.cinema.delivery import HLSDelivery  # noqa: E402
from kinomost.cinema.front import PlaybackFront  # noqa: E402
from kinomost.health import HealthChecks  # noqa: E402

application = HealthChecks(PlaybackFront(HLSDelivery(django_application)))
