"""What every beat folder does besides folding, every CINEMA_RECHECK_SECONDS: end the playback
that lapsed, and delete the sign-in material past its end (app tokens, TV codes), which nothing
else would ever remove. Each step is a bulk statement on an index; any number of folders may run
them at once (a row deleted by one is simply not found by the others)."""

from __future__ import annotations

from kinomost.cinema import app_auth, device_flow, playback


def run() -> dict[str, int]:
    """{"ended": playback sessions ended, "tokens": app tokens deleted, "device_codes": TV codes deleted}."""
    return {"ended": playback.end_lapsed(), "tokens": app_auth.purge_expired(), "device_codes": device_flow.purge_expired()}
