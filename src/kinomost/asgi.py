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

# HLS playlists and segments (token-checked) are answered before Django: see cinema/delivery.py.
from kinomost.cinema.delivery import HLSDelivery  # after the setup above: it needs the apps loaded
from kinomost.health import HealthChecks

# /healthz and /readyz too, for load balancers: see kinomost/health.py.
application = HealthChecks(HLSDelivery(django_application))
