"""The catalogue's choices: work kinds (and which kind sits under which), credit roles.

They live apart from the models so that pages and other apps name a state or a kind without
importing the tables (the import-linter contracts in pyproject.toml): the models import them
from here, and so does everyone else.
"""

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


class CreditRole(models.TextChoices):
    DIRECTOR = "director", _("Director")
    WRITER = "writer", _("Writer")
    PRODUCER = "producer", _("Producer")
    CAST = "cast", _("Cast")
    COMPOSER = "composer", _("Composer")
    CINEMATOGRAPHER = "cinematographer", _("Cinematographer")
    EDITOR = "editor", _("Editor")
