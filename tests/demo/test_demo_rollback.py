"""A demo load that fails half-way leaves nothing behind, so the next run starts clean.

In its own module: test_demo.py keeps a loaded scenario open for its whole module.
"""

import pytest
from django.core.management import call_command

from kinomost.catalog.models import Work
from kinomost.demo import scenario
from kinomost.parties.models import Organisation, User


def test_a_failed_load_leaves_nothing_behind(db, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def broken(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(scenario.Catalogue, "_chinese_features", broken)
    with pytest.raises(RuntimeError):
        call_command("demo")
    assert Organisation.objects.count() == 0 and Work.objects.count() == 0 and User.objects.count() == 0


def test_scale_option_sizes_the_generated_library(db, capsys):
    call_command("demo", "--scale", "--films", "3", "--series", "2")
    assert Work.objects.filter(owner__slug="scale-cinema", kind__in=["feature", "series"]).count() == 5
    assert not Organisation.objects.filter(slug__in=scenario.demo_slugs()).exists(), "--scale does not load the scenario"
    assert "scale library" in capsys.readouterr().out


def test_a_weak_override_password_is_refused_with_a_message(db, monkeypatch, settings, tmp_path):
    from django.core.management.base import CommandError

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("KINOMOST_DEMO_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="too common"):
        call_command("demo")
    assert not Organisation.objects.exists()


def test_the_override_password_signs_in(db, monkeypatch, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("KINOMOST_DEMO_PASSWORD", "another long demo secret")
    monkeypatch.setattr(scenario.Catalogue, "build", lambda self: [])  # logins only: the catalogue is tested elsewhere
    call_command("demo")
    assert client.post("/login/", {"username": "lina@pearl.example", "password": "another long demo secret"}).status_code == 302
