"""The kinds of work (feature, series > season > episode …) and how they nest: the catalogue's
vocabulary, apart from its tables so that other apps and their forms can name a kind without
importing `catalog.models` (cross-app reads go through `catalog.selectors`; the models import
these from here)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkKind(models.TextChoices):
    FEATURE = "feature", _("Feature film")
    ANIMATION = "animation", _("Animated film")
    DOCUMENTARY = "documentary", _("Documentary")
    SHORT = "short", _("Short film")
    SERIES = "series", _("Series")
    SEASON = "season", _("Season")
    EPISODE = "episode", _("Episode")
    PROGRAMME = "programme", _("TV programme")
    NEWS = "news", _("News item")


# Which kind of parent each kind may have; kinds not listed stand alone.
PARENT_KIND = {WorkKind.SEASON: WorkKind.SERIES, WorkKind.EPISODE: WorkKind.SEASON}
TOP_LEVEL_KINDS = [k for k in WorkKind.values if k not in PARENT_KIND]
