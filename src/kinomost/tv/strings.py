"""The TV app's interface strings: translated here (django.po) and handed to its script as JSON.

The script builds every screen itself; it reads these by key, so the .po files hold the one
copy of each translation and the page needs no JavaScript catalogue request before it can draw.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

STRINGS = {
    "pair_title": _("Sign in on your TV"),
    "pair_step_visit": _("On your phone or computer, open"),
    "pair_step_code": _("and enter the code"),
    "pair_scan": _("Or scan the code with your phone's camera"),
    "pair_waiting": _("Waiting for you to approve this TV…"),
    "pair_expires": _("The code is valid for %(minutes)s min."),
    "pair_expired": _("The code has expired. A new one is shown."),
    "pair_denied": _("Sign-in was refused on the other device."),
    "pair_retry": _("Show a new code"),
    "pair_offline": _("No connection to the service. Retrying…"),
    "profiles_title": _("Who is watching?"),
    "kids": _("Kids"),
    "pin_title": _("Enter the PIN to leave the kids profile"),
    "pin_wrong": _("Wrong PIN. Try again."),
    "pin_ok": pgettext_lazy("confirm a PIN", "OK"),
    "pin_clear": _("Clear"),
    "home_empty": _("Nothing to watch here yet."),
    "search": _("Search"),
    "search_placeholder": _("Title, in any language or script"),
    "search_none": _("Nothing found."),
    "profile": _("Profile"),
    "sign_out": _("Sign out"),
    "play": _("Play"),
    "from_start": _("From the beginning"),
    "season": _("Season %(number)s"),
    "episode": _("Episode %(number)s"),
    "audio": _("Audio"),
    "subtitles": _("Subtitles"),
    "subtitles_off": _("Off"),
    "not_available": _("Not available to watch on this profile or plan."),
    "minutes": _("%(minutes)s min"),
    "offer_svod": _("Subscription"),
    "offer_tvod": _("Rent"),
    "offer_pvod": _("Premium rental"),
    "offer_est": _("Buy"),
    "back": _("Back"),
    "loading": _("Loading…"),
    "error": _("Something went wrong. Press Back and try again."),
    "unsupported": _("This TV's browser cannot play HLS video."),
    "playback_ended": _("Playback has stopped."),
}


def resolved() -> dict[str, str]:
    """Every string in the language active now."""
    return {key: str(text) for key, text in STRINGS.items()}
