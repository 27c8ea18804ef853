"""Former countries (ISO 3166-3) by their alpha-4 code: names and successor states.

Data only; `kinomost.core.territories` is the one module that reads it. CLDR (and so Babel) no
longer names these countries, so the names are ours, translated in the .po files. Successors are
listed where ISO 3166-3's alpha-4 code does not name a single one in its last two letters
(HH: divided, XX: no successor code); the group is offered where one of ours covers most of them.
"""

from django.utils.translation import gettext_lazy as _

HISTORIC_NAMES = {
    "AIDJ": _("French Afars and Issas"),
    "ANHH": _("Netherlands Antilles"),
    "BQAQ": _("British Antarctic Territory"),
    "BUMM": _("Burma"),
    "BYAA": _("Byelorussian SSR"),
    "CSHH": _("Czechoslovakia"),
    "CSXX": _("Serbia and Montenegro"),
    "CTKI": _("Canton and Enderbury Islands"),
    "DDDE": _("East Germany (GDR)"),
    "DYBJ": _("Dahomey"),
    "FQHH": _("French Southern and Antarctic Territories"),
    "FXFR": _("Metropolitan France"),
    "GEHH": _("Gilbert and Ellice Islands"),
    "HVBF": _("Upper Volta"),
    "JTUM": _("Johnston Island"),
    "MIUM": _("Midway Islands"),
    "NHVU": _("New Hebrides"),
    "NQAQ": _("Dronning Maud Land"),
    "NTHH": _("Neutral Zone"),
    "PCHH": _("Pacific Islands Trust Territory"),
    "PUUM": _("US Miscellaneous Pacific Islands"),
    "PZPA": _("Panama Canal Zone"),
    "RHZW": _("Southern Rhodesia"),
    "SKIN": _("Sikkim"),
    "SUHH": _("USSR"),
    "TPTL": _("East Timor"),
    "VDVN": _("North Vietnam"),
    "WKUM": _("Wake Island"),
    "YDYE": _("South Yemen"),
    "YUCS": _("Yugoslavia"),
    "ZRCD": _("Zaire"),
}

# alpha-4: (successor states of today, a group of ours that a licence may name instead, or None)
SUCCESSORS = {
    "SUHH": (("AM", "AZ", "BY", "EE", "GE", "KG", "KZ", "LT", "LV", "MD", "RU", "TJ", "TM", "UA", "UZ"), "CIS"),
    "YUCS": (("BA", "HR", "ME", "MK", "RS", "SI", "XK"), None),
    "CSHH": (("CZ", "SK"), None),
    "CSXX": (("ME", "RS", "XK"), None),
    "ANHH": (("BQ", "CW", "SX"), None),
    "GEHH": (("KI", "TV"), None),
    "FQHH": (("AQ", "TF"), None),
    "NTHH": (("IQ", "SA"), None),
    "PCHH": (("FM", "MH", "MP", "PW"), None),
    "BYAA": (("BY",), None),  # AA: the code changed (Byelorussian SSR → Belarus), BY is its successor
}
