"""Can Vonage call this webhook address? Answered from the text alone: no name is resolved.

Private to ``vonage_widgets.tables``. A webhook must be reachable from Vonage's servers on the
public internet. Addresses that can never be (loopback, private networks, link-local, names
that only resolve inside a local network) are recognised with :mod:`ipaddress` and the
special-use domain names of RFC 6761 / 6762 / 8375; anything else is assumed public, because
finding out for sure would need a DNS lookup, and the tables never touch the network.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = ["AddressProblem", "address_problem"]

# Names that never resolve on the public internet: localhost (RFC 6761), multicast DNS .local
# (RFC 6762), home networks (RFC 8375), .test / .invalid (RFC 6761), .internal (reserved by
# ICANN for private use, 2024).
_LOCAL_SUFFIXES = (".localhost", ".local", ".home.arpa", ".internal", ".test", ".invalid")
# Hosts written as numbers in the short forms inet_aton accepts ("127.1", "0x7f000001").
_NUMERIC_HOST = re.compile(r"(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}")

ProblemKind = Literal["unreachable", "plain_http", "not_a_url"]


@dataclass(frozen=True, slots=True)
class AddressProblem:
    """Why a webhook address is a problem: ``kind`` and a short phrase for the finding."""

    kind: ProblemKind
    detail: str


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if not _NUMERIC_HOST.fullmatch(host):
            return None
        try:  # parsing only: inet_aton never resolves a name
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return address


@lru_cache(maxsize=8192)
def _unreachable_host(host: str) -> str | None:
    """A phrase saying why ``host`` is not reachable from the internet, or ``None``."""
    host = host.rstrip(".")
    address = _ip(host)
    if address is not None:
        if address.is_loopback:
            return "a loopback address"
        if address.is_unspecified:
            return "the unspecified address"
        if address.is_link_local:
            return "a link-local address"
        if address.is_private:
            return "a private-network address"
        if not address.is_global:
            return "an address that is not on the public internet"
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return "a name for the local machine itself"
    if host.endswith(_LOCAL_SUFFIXES):
        return "a name that only resolves on a local network"
    if "." not in host:
        return "a name without a domain, which public DNS cannot resolve"
    return None


# scheme://[userinfo@]host — the parts urlsplit would give, found with one regex because this
# runs once per webhook of every application (urlsplit costs several times more).
_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://(?:[^/?#]*@)?(\[[^\]/?#]*\]|[^/?#:]*)")
_PLAIN_HTTP = AddressProblem("plain_http", "uses plain http")
_NOT_A_URL = AddressProblem("not_a_url", "is not an absolute http(s) URL")


@lru_cache(maxsize=8192)
def _host_problem(scheme: str, host: str) -> AddressProblem | None:
    reason = _unreachable_host(host)
    if reason is not None:
        return AddressProblem("unreachable", f"points at {host}, {reason}")
    return _PLAIN_HTTP if scheme == "http" else None


def address_problem(address: str) -> AddressProblem | None:
    """What stops Vonage from calling ``address`` safely, or ``None`` when nothing does.

    An unreachable host wins over plain http: the fix for both is the same public https URL.
    """
    match = _URL.match(address.strip())
    if match is None:
        return _NOT_A_URL
    scheme = match[1].lower()
    host = match[2].lower().removeprefix("[").removesuffix("]")
    if scheme not in ("http", "https") or not host:
        return _NOT_A_URL
    return _host_problem(scheme, host)
