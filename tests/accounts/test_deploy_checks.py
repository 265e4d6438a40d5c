"""Production settings: `check --deploy` is clean; cookies, HSTS and the CSP are strict."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def production_environment() -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_", "DEBUG"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="povertyops.settings",
        SECRET_KEY="k3y-" + "Zq8vP2mN7xL4wR9tY6uE1iO5aS3dF0gH" * 2,
        ALLOWED_HOSTS="fupin.example.gov.cn",
    )
    return environment


def test_deploy_checks_are_clean_with_production_settings():
    # given the production settings, as a server reads them from its environment
    # when Django's deployment checks run, warnings included
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    # then there is nothing to report
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_print_strict_values():
    # given the production settings loaded in a fresh interpreter
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_HTTPONLY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    # then cookies are secure, HTTP is redirected and HSTS lasts a year
    assert result.stdout.split() == ["True", "True", "True", "31536000", "True", "True"]


def test_every_page_carries_a_same_origin_content_security_policy(client, db):
    response = client.get(reverse("login"))

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "http" not in policy and "unsafe" not in policy


def test_the_session_lasts_no_longer_than_the_absolute_timeout():
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
