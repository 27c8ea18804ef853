"""What the viewing benchmarks share: ready packages of a platform's works and a subscribed
viewer signed in as a browser is (session cookie and CSRF token). bench/ is not a package; the
benchmarks import this from their own folder, inside their Django worker."""

from __future__ import annotations


def ready_packages(org, platform, works) -> None:
    """A ready package per work (rows only: the benchmarks measure requests, not files)."""
    import os

    from django.utils import timezone

    from kinomost.cinema.models import Asset, AssetStatus

    for work in works:
        Asset.objects.create(
            organisation=org,
            work=work,
            platform=platform,
            key=os.urandom(16),
            iv=bytes(16),
            status=AssetStatus.READY,
            master_playlist="master.m3u8",
            duration=5400.0,
            ready_at=timezone.now(),
            ladder=[480],
        )


def signed_in_subscriber(platform, password: str):
    """(viewer, test client, Cookie header, CSRF token): a viewer in RU subscribed for 30 days."""
    from datetime import timedelta

    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django.utils import timezone

    from kinomost.cinema.viewers import sign_up
    from kinomost.cinema.viewing_models import Subscription

    viewer = sign_up(platform, email="viewer@bench.example", password=password, country="RU")
    Subscription.objects.create(viewer=viewer, active_until=timezone.now() + timedelta(days=30), provider="test", reference="bench")
    client = Client()
    client.force_login(viewer.user)
    csrf = _get_new_csrf_string()
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return viewer, client, cookie, csrf
