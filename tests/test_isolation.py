"""The rules of tests/conftest.py that let test processes run side by side (pytest-xdist) and
in any order."""

from pathlib import Path

import pytest
from django.conf import global_settings
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.test import override_settings

from kinomost.catalog.models import Genre
from kinomost.exchange import quotas
from kinomost.exchange.models import ApprovalRule, QuotaRule

from tests.factories import PASSWORD

from .conftest import restore_migration_data


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_migrations_rows_back(request):
    rules, approvals, genres = sorted(QuotaRule.objects.values_list("name", flat=True)), ApprovalRule.objects.count(), Genre.objects.count()
    assert rules and approvals and genres
    # What the end of a transactional test does; sequences restart too, as after reset_sequences=True.
    call_command("flush", interactive=False, verbosity=0, reset_sequences=True)
    assert not QuotaRule.objects.exists() and not Genre.objects.exists()
    restore_migration_data(request.config)
    assert sorted(QuotaRule.objects.values_list("name", flat=True)) == rules
    assert (ApprovalRule.objects.count(), Genre.objects.count()) == (approvals, genres)
    quotas.define_rule(name="one a year", territory="KZ", media="theatrical", measure="count", limit=1, hard=True)
    assert QuotaRule.objects.count() == len(rules) + 1  # new rows get new ids, past the restored ones


def test_test_passwords_are_production_hashes_a_started_server_verifies(user_a):
    assert user_a.password.startswith("pbkdf2_sha256$1$")
    with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):  # kinomost.settings keeps Django's
        assert check_password(PASSWORD, user_a.password)
        assert not check_password("wrong " + PASSWORD, user_a.password)


def test_media_and_cinema_files_stay_out_of_the_shared_data_dir(settings):
    for root in (settings.MEDIA_ROOT, settings.CINEMA_HLS_ROOT, settings.CINEMA_PRIVATE_ROOT):
        assert not Path(root).resolve().is_relative_to(settings.DATA_DIR), root
