import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinomost.settings")
# WhiteNoise hands Django synchronous file iterators; Django streams them correctly under ASGI
# but warns on every static file. The warning says nothing an operator can act on.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")
django_application = get_asgi_application()

# Heartbeats (cinema/front.py) and HLS playlists, segments and session keys (token-checked,
# cinema/delivery.py) are answered before Django.
from kinomost.cinema.delivery import HLSDelivery  # noqa: E402 (needs the apps loaded above)
from kinomost.cinema.front import PlaybackFront  # noqa: E402

application = PlaybackFront(HLSDelivery(django_application))
