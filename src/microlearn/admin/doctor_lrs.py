"""Doctor's checks of the central record: proxy, reachable, TLS, credentials, clock.

Two GETs through the same LRS client the sync uses, so they see what a sync would see:
the about resource (any HTTP answer proves the server is reachable and its TLS valid, and
carries its clock in the Date header; Ralph 5.1.0 has no about resource and answers 404,
which is fine), then one page of the learner's own statements (``limit=1``, filtered by
agent), which proves the credentials are accepted.
"""

from __future__ import annotations

import dataclasses
import urllib.request
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from microlearn.admin.doctor_report import Check, Status
from microlearn.settings.config import Config, is_loopback
from microlearn.settings.logs import hide_url_password

if TYPE_CHECKING:
    from microlearn.records.lrs_client import LrsClient

CLOCK_TOLERANCE_S = 300
DOCTOR_TIMEOUT_S = 10.0
_TLS_WORDS = ("ssl", "certificate", "tls", "handshake")


def system_proxy_for(url: str) -> str | None:
    """The proxy the system settings give for ``url`` (environment variables, or the Windows
    registry and macOS network settings), or None when the connection is direct."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    bypass: Callable[[str, dict[str, str]], bool] = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    if not proxy or bypass(parts.hostname or "", proxies):
        return None
    return proxy


def check_proxy(config: Config) -> Check:
    explicit = str(config.get("network.proxy")).strip()
    endpoint = str(config.get("lrs.endpoint")).strip()
    if config.unsupported_proxy:
        return Check(
            "proxy",
            "Proxy",
            Status.FAIL,
            f"Sync is off: {config.unsupported_proxy}.",
            where="network.proxy in the IT policy; the HTTPS_PROXY / HTTP_PROXY / ALL_PROXY variables",
        )
    if explicit:
        return Check(
            "proxy",
            "Proxy",
            Status.PASS,
            f"Explicit proxy {hide_url_password(explicit)} (network.proxy, from the {config.source('network.proxy')}).",
            where="network.proxy",
            facts={"mode": "explicit", "proxy": hide_url_password(explicit)},
        )
    target = endpoint or "https://example.org/"
    proxy = system_proxy_for(target)
    if proxy:
        detail = f"System proxy {hide_url_password(proxy)} for {urlsplit(target).scheme} addresses"
        detail += f", used for {urlsplit(endpoint).hostname}." if endpoint else "."
        facts = {"mode": "system", "proxy": hide_url_password(proxy)}
    else:
        detail = "No proxy: direct connection" + (f" to {urlsplit(endpoint).hostname}." if endpoint else ".")
        facts = {"mode": "direct", "proxy": ""}
    return Check(
        "proxy",
        "Proxy",
        Status.PASS,
        detail + " (Proxy auto-configuration (PAC/WPAD) is not used: set network.proxy if one is needed.)",
        where="network.proxy; HTTPS_PROXY / NO_PROXY or the system's proxy settings",
        facts=facts,
    )


def _not_configured() -> Check:
    return Check(
        "lrs",
        "Central record",
        Status.WARN,
        "No central record is configured (lrs.endpoint is empty), so results are kept on this computer "
        "and never sent. Reachability, TLS, credentials and the clock were not checked.",
        where="lrs.endpoint in the IT policy",
    )


def _skew_words(seconds: float) -> str:
    minutes, rest = divmod(round(abs(seconds)), 60)
    amount = f"{minutes} min {rest} s" if minutes else f"{rest} s"
    return f"{amount} {'ahead of' if seconds > 0 else 'behind'}"


def check_clock(server_date: datetime | None, now: datetime) -> Check:
    if server_date is None:
        return Check(
            "clock",
            "Clock",
            Status.WARN,
            "The central record sent no Date header, so this computer's clock could not be compared with it.",
            where="the computer's date and time settings",
        )
    skew = (now - server_date).total_seconds()
    facts = {"skew_seconds": round(skew, 1), "server_date": server_date.isoformat()}
    if abs(skew) > CLOCK_TOLERANCE_S:
        return Check(
            "clock",
            "Clock",
            Status.WARN,
            f"This computer's clock is {_skew_words(skew)} the central record's (Date header). Results are "
            "time-stamped with this clock, so reports will show the wrong times.",
            where="the computer's date and time settings (automatic time / NTP)",
            facts=facts,
        )
    return Check(
        "clock",
        "Clock",
        Status.PASS,
        f"Within {abs(skew):.0f} s of the central record's clock (Date header).",
        facts=facts,
    )


def _tls_ok(endpoint: str, ca_bundle: str, config: Config) -> Check:
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if parts.scheme == "https":
        extra = f" plus the CA bundle {ca_bundle} (network.ca_bundle)" if ca_bundle else ""
        return Check(
            "tls",
            "TLS",
            Status.PASS,
            f"The certificate of {host} was verified against the operating system's trust store{extra}.",
        )
    if is_loopback(host):
        return Check(
            "tls", "TLS", Status.PASS, f"Plain HTTP to {host}, on this computer only: no TLS needed."
        )
    allowed = (
        " The IT policy allows it (lrs.allow_insecure_http)." if config.get("lrs.allow_insecure_http") else ""
    )
    return Check(
        "tls",
        "TLS",
        Status.WARN,
        f"{endpoint} uses plain HTTP: the credentials and the results cross the network unencrypted.{allowed}",
        where="lrs.endpoint: use the https:// address",
    )


def _insecure_refused(reason: str) -> Check:
    return Check(
        "tls",
        "TLS",
        Status.FAIL,
        f"Sync refuses to send: {reason}. Doctor did not contact it either, so reachability, "
        "credentials and the clock were not checked.",
        where="lrs.endpoint (use https://), or lrs.allow_insecure_http in the IT policy",
    )


def _tls_failed(message: str, ca_bundle: str) -> Check:
    bundle = f"the CA bundle {ca_bundle} and " if ca_bundle else ""
    return Check(
        "tls",
        "TLS",
        Status.FAIL,
        f"The TLS connection failed: {message}\nThe certificate must be trusted by {bundle}the operating "
        "system's trust store. Behind TLS inspection, give the inspection root CA in network.ca_bundle "
        "or install it in the system trust store.",
        where="network.ca_bundle; the system trust store",
    )


def check_credentials(client: LrsClient, config: Config) -> Check:
    # Late on purpose: a broken httpx install becomes this check's FAIL (doctor._guarded), not a crash.
    from microlearn.records.lrs_client import LrsError, LrsStatusError
    from microlearn.records.restore import learner_actor

    username = str(config.get("lrs.username"))
    if not username and not config.get("lrs.password"):
        return Check(
            "credentials",
            "Credentials",
            Status.FAIL,
            "No credentials are configured (lrs.username and lrs.password are empty).",
            where="lrs.username and lrs.password in the IT policy",
        )
    agent = learner_actor(config)
    statements = client.iter_statements(agent, page_limit=1)
    try:
        next(iter(statements), None)
    except LrsStatusError as exc:
        status = exc.response.status
        if status == 401:
            detail = f"The central record refused the credentials of '{username}' (HTTP 401)."
        elif status == 403:
            detail = (
                f"The central record accepted '{username}' but refused to read statements (HTTP 403): the "
                "account needs permission to read and write statements."
            )
        else:
            detail = f"Reading one statement as '{username}' got HTTP {status} instead of 200."
        return Check(
            "credentials",
            "Credentials",
            Status.FAIL,
            detail,
            where="lrs.username and lrs.password in the IT policy; the LRS's account for them",
            facts={"status": status},
        )
    except LrsError as exc:
        return Check("credentials", "Credentials", Status.FAIL, f"Reading one statement failed: {exc}")
    finally:
        close = getattr(statements, "close", None)  # a generator: stop it after the first page
        if close is not None:
            close()
    return Check(
        "credentials",
        "Credentials",
        Status.PASS,
        f"'{username}' may read the learner's statements (GET statements?agent=…&limit=1: HTTP 200); "
        "writing is proven by the first sync.",
        facts={"status": 200},
    )


def lrs_checks(config: Config, clock: Callable[[], datetime]) -> list[Check]:
    # Late on purpose: a broken httpx install becomes this check's FAIL (doctor._guarded), not a crash.
    from microlearn.records.lrs_client import LrsClient, LrsError
    from microlearn.services.sync import settings_from_config

    settings = settings_from_config(config)
    endpoint = settings.endpoint
    if not endpoint:
        return [_not_configured()]
    if config.insecure_http:  # never send the credentials in the clear, not even to check them
        return [_insecure_refused(config.insecure_http)]
    if config.unsupported_proxy:  # the client cannot start: the Proxy check says why
        return [
            Check(
                "reachable",
                "Central record",
                Status.FAIL,
                f"Not checked: {config.unsupported_proxy} (see Proxy).",
                where="network.proxy",
            )
        ]
    ca_bundle = str(config.get("network.ca_bundle")).strip()
    try:
        client = LrsClient(dataclasses.replace(settings, timeout_s=DOCTOR_TIMEOUT_S))
    except OSError as exc:  # the CA bundle cannot be read or is not PEM
        return [
            Check(
                "tls",
                "TLS",
                Status.FAIL,
                f"The CA bundle {ca_bundle} (network.ca_bundle) could not be loaded: {type(exc).__name__}: {exc}",
                where="network.ca_bundle: a readable PEM file of CA certificates",
            )
        ]
    with client:
        try:
            about = client.about()
        except LrsError as exc:
            message = str(exc)
            if any(word in message.lower() for word in _TLS_WORDS):
                reached = Check(
                    "reachable",
                    "Central record",
                    Status.PASS,
                    f"{endpoint} accepted a connection, but the TLS handshake failed (see TLS).",
                )
                return [reached, _tls_failed(message, ca_bundle)]
            return [
                Check(
                    "reachable",
                    "Central record",
                    Status.FAIL,
                    f"Could not reach {endpoint}: {message}\nCredentials, TLS and the clock were not checked.",
                    where="lrs.endpoint; the network, firewall and proxy (see Proxy); the LRS's own status",
                )
            ]
        now = clock()
        answer = f"GET about: HTTP {about.status}"
        if about.status == 404:
            answer += ", no about resource (Ralph has none), which is fine"
        reached = Check(
            "reachable",
            "Central record",
            Status.PASS,
            f"{endpoint} answered ({answer}).",
            where="lrs.endpoint",
            facts={"endpoint": hide_url_password(endpoint), "about_status": about.status},
        )
        if 300 <= about.status < 400:
            reached = dataclasses.replace(
                reached,
                status=Status.WARN,
                detail=f"{endpoint} answered with a redirect (HTTP {about.status}), which sync does not follow.",
                where="lrs.endpoint: give the final (https://) address of the xAPI endpoint",
            )
        return [
            reached,
            _tls_ok(endpoint, ca_bundle, config),
            check_credentials(client, config),
            check_clock(about.date, now),
        ]
