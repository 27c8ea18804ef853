"""The cinema's choices: the media a platform sells, asset and job statuses, source and track kinds.

They live apart from the models so that pages and other apps name a state or a kind without
importing the tables (the import-linter contracts in pyproject.toml): the models import them
from here, and so does everyone else.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinomost.core.media import TREE


# The media a platform can sell: the VOD leaves of kinomost.core.media (svod, avod, tvod, est …).
PLATFORM_MEDIA = tuple(TREE["vod"])


class AssetStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class SourceKind(models.TextChoices):
    MASTER = "master", _("Master")
    AUDIO = "audio", _("Audio")
    SUBTITLES = "subtitles", _("Subtitles")


class TrackKind(models.TextChoices):
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    SUBTITLES = "subtitles", _("Subtitles")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
