"""The client's IP and the safe `next`, decided once in kinomost.core.http."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from kinomost.core.http import client_ip, parse_trusted_proxies, safe_next

NGINX_CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"


def _request(peer, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, **extra)


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(settings):
    settings.KINOMOST_TRUSTED_PROXIES = []
    assert client_ip(_request("127.0.0.1", "203.0.113.7")) == "127.0.0.1"  # default: nobody is trusted
    settings.KINOMOST_TRUSTED_PROXIES = parse_trusted_proxies("127.0.0.1, 10.0.0.0/8")
    assert client_ip(_request("198.51.100.9", "203.0.113.7")) == "198.51.100.9"  # a stranger's header
    assert client_ip(_request("127.0.0.1", "203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("10.1.2.3", "203.0.113.7")) == "203.0.113.7"  # inside the CIDR


def test_a_client_cannot_prepend_an_address_through_the_proxies(settings):
    """An appending proxy gives "what the client sent, the client": the right-most untrusted hop wins."""
    settings.KINOMOST_TRUSTED_PROXIES = parse_trusted_proxies("127.0.0.1,10.0.0.0/8")
    assert client_ip(_request("127.0.0.1", "1.2.3.4, 203.0.113.7, 10.0.0.5")) == "203.0.113.7"
    assert client_ip(_request("127.0.0.1", "not-an-ip, 10.0.0.5")) == "10.0.0.5"
    assert client_ip(_request("127.0.0.1", "")) == "127.0.0.1"


def test_a_wrong_trusted_proxy_entry_stops_the_start_with_its_name():
    with pytest.raises(ImproperlyConfigured, match="'10.0.0.0/33'"):
        parse_trusted_proxies("127.0.0.1,10.0.0.0/33")


def test_the_shipped_nginx_sends_the_address_that_connected_not_the_clients_header():
    headers = [
        line.split() for line in NGINX_CONF.read_text().splitlines() if "X-Forwarded-For" in line and not line.lstrip().startswith("#")
    ]
    assert headers and all(h == ["proxy_set_header", "X-Forwarded-For", "$remote_addr;"] for h in headers)


@pytest.mark.parametrize(
    "target, kept",
    [
        ("/watch/a/b/titles/1/", True),
        ("https://evil.example/", False),
        ("//evil.example/x", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_safe_next_keeps_only_this_sites_addresses(target, kept):
    request = RequestFactory().post("/", {"next": target})
    assert safe_next(request, "/home/") == (target if kept else "/home/")
