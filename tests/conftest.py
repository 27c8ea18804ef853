"""Shared fixtures: two organisations that must never see each other's private data."""

import pytest

from kinomost.parties import services as parties
from kinomost.parties.context import Actor
from kinomost.parties.models import Role

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Sign-in and API-key throttle counters live in the (process-wide) cache: each test starts clean."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def org_a(db):
    return parties.create_organisation(slug="rus-media", name="Rus Media Group", kind="media_group", country="RU")


@pytest.fixture
def org_b(db):
    return parties.create_organisation(slug="shanghai-media", name="Shanghai Media Group", kind="media_group", country="CN")


@pytest.fixture
def user_a(org_a):
    return parties.create_member(email="anna@rusmedia.example", organisation=org_a, role=Role.LICENSING_MANAGER, password=PASSWORD)[0]


@pytest.fixture
def user_b(org_b):
    return parties.create_member(email="li@smg.example", organisation=org_b, role=Role.LICENSING_MANAGER, password=PASSWORD)[0]


@pytest.fixture
def actor_a(org_a):
    return Actor(organisation=org_a, role=Role.LICENSING_MANAGER)


@pytest.fixture
def actor_b(org_b):
    return Actor(organisation=org_b, role=Role.LICENSING_MANAGER)


@pytest.fixture
def client_a(client, user_a):
    client.force_login(user_a)
    return client


@pytest.fixture
def client_b(db, user_b):
    from django.test import Client

    c = Client()
    c.force_login(user_b)
    return c


@pytest.fixture
def token_a(org_a):
    return parties.create_api_key(organisation=org_a, name="ci", role=Role.LICENSING_MANAGER)[1]
