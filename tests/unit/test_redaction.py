"""One redaction knows every form a secret takes, and a password in the LRS address is refused."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlearn.settings.config import env_name, load_config
from microlearn.settings.logs import scrub
from microlearn.settings.paths import resolve_paths
from microlearn.settings.redaction import hide_url_password

SECRET_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs"))


def every_form(secret: str, user: str) -> list[str]:
    return [
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(secret)[1:-1],
        base64.b64encode(f"{user}:{secret}".encode()).decode(),
    ]


@settings(max_examples=60, deadline=None)
@given(
    password=st.text(SECRET_CHARS, min_size=8, max_size=30),
    user=st.text(st.characters(codec="ascii", categories=("Ll", "Nd")), min_size=1, max_size=12),
)
def test_every_form_of_the_lrs_password_is_masked(password: str, user: str) -> None:
    config = load_config(resolve_paths(), {"lrs.password": password, "lrs.username": user})
    for form in every_form(password, user):
        text = f"the server said: {form} (end)"
        assert password not in scrub(text, config.secrets)
        assert form not in scrub(text, config.secrets)


def test_passwords_and_tokens_inside_addresses_are_masked_even_unconfigured() -> None:
    assert hide_url_password("via http://me:Pr0xy@proxy:3128/") == "via http://me:***@proxy:3128/"
    assert hide_url_password("GET https://tok-3f9a@lrs.example.org/x") == "GET https://***@lrs.example.org/x"
    assert "p@ss" not in hide_url_password("https://me:p@ss@host/")  # a raw @ in the password
    assert (
        hide_url_password("http://127.0.0.1:8100/xAPI/?agent=a@b") == "http://127.0.0.1:8100/xAPI/?agent=a@b"
    )


def test_a_token_in_a_proxy_address_is_a_secret_in_every_form(monkeypatch: pytest.MonkeyPatch) -> None:
    token = "tok-3f9a61c0d2"
    monkeypatch.setenv(env_name("network.proxy"), f"http://{token}@proxy.example.org:3128")
    config = load_config(resolve_paths())
    header = base64.b64encode(f"{token}:".encode()).decode()  # how it goes to the proxy
    for text in (token, header, f"proxy-authorization: Basic {header}"):
        assert token not in scrub(text, config.secrets) and header not in scrub(text, config.secrets)


@pytest.mark.parametrize(
    "endpoint",
    ["https://svc:Pa55word@lrs.example.org/xAPI/", "https://Pa55word@lrs.example.org/xAPI/"],
    ids=["user and password", "token as user"],
)
def test_credentials_inside_the_endpoint_are_refused_with_a_plain_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, endpoint: str
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[lrs]\nendpoint = "{endpoint}"\n', encoding="utf-8")
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))

    config = load_config(resolve_paths())

    (error,) = [p.render() for p in config.policy_errors]
    assert error.startswith(f"{policy}:2:")
    assert "lrs.username and lrs.password" in error
    assert "Pa55word" not in error and "Pa55word" not in json.dumps(config.redacted())
    assert config.get("lrs.endpoint") == ""  # not used
    assert config.sync_blocked_reason is not None  # sync stays off until IT fixes it
