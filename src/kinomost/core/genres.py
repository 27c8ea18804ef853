"""The genre vocabulary: stable slugs with names in the interface languages."""

from django.utils.translation import gettext_lazy as _

GENRES = {
    "action": _("Action"),
    "adventure": _("Adventure"),
    "animation": _("Animation"),
    "biography": _("Biography"),
    "comedy": _("Comedy"),
    "crime": _("Crime"),
    "documentary": _("Documentary"),
    "drama": _("Drama"),
    "family": _("Family"),
    "fantasy": _("Fantasy"),
    "history": _("History"),
    "horror": _("Horror"),
    "martial_arts": _("Martial arts"),
    "music": _("Music"),
    "mystery": _("Mystery"),
    "romance": _("Romance"),
    "science_fiction": _("Science fiction"),
    "sport": _("Sport"),
    "thriller": _("Thriller"),
    "war": _("War"),
    "western": _("Western"),
}
