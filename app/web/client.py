"""The client's address: the peer's, or what a trusted reverse proxy says it is.

X-Forwarded-For is believed only when the request comes from an address listed in
CONTENTIEUX_TRUSTED_PROXIES (default: none), and then only the entries the trusted proxies
added: the rightmost address that is not itself a trusted proxy. Whatever a client writes in
the header itself stays to the left and is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from fastapi import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(setting: str) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False)
                 for part in setting.split(",") if part.strip())


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: Request, trusted_setting: str) -> str:
    peer = request.client.host if request.client else ""
    networks = trusted_networks(trusted_setting)
    if not networks or not _trusted(peer, networks):
        return peer[:64]
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if not _trusted(address, networks):
            return address[:64]
    return peer[:64]
