"""Production settings pass Django's deployment checklist, and set the headers and cookies the
security section promises."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The production settings a deployment must set (README, "Security").
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k9$Xq2!vLp7#Wm4@Rt8^Zs1&Yb6*Nc3(Hd5)Jf0_Gg+Ee-Aa=Uu~Ii;Oo",
    "ALLOWED_HOSTS": "npm.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://npm.example.org",
    "FIELD_ENCRYPTION_KEY": "emIMSiu5nUwi83gJ0d9gkVnNGlH71otKGifaNarC-kw=",
}


def _manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "NPM_", "SESSION_", "DJANGO_"))
        and k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEY"}
    }
    env.update(PRODUCTION_ENV, **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_when_hsts_is_turned_off():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("variable", "check"), [("NPM_REQUIRE_2FA", "W101"), ("NPM_REQUIRE_REAUTH", "W102")]
)
def test_check_deploy_fails_when_two_factor_or_reauthentication_is_off(variable, check):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **{variable: "0"})
    assert result.returncode != 0
    assert f"npm_portal.{check}" in result.stderr + result.stdout


def _print_settings(*names: str, **env) -> list[str]:
    code = "from django.conf import settings; " + "; ".join(
        f"print(repr(settings.{name}))" for name in names
    )
    result = _manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_production_defaults():
    values = _print_settings(
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "NPM_REQUIRE_2FA",
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
        "AXES_LOCKOUT_PARAMETERS",
        "NPM_SESSION_IDLE_MINUTES",
        "NPM_SESSION_MAX_HOURS",
    )
    assert values == [
        "'__Host-sessionid'",
        "'__Host-csrftoken'",
        "True",
        "True",
        "'Lax'",
        "True",
        "31536000",
        "True",
        "True",
        "True",
        "5",
        "datetime.timedelta(seconds=900)",
        "[['username', 'ip_address']]",
        "30",
        "12",
    ]


def test_two_factor_is_off_for_the_local_demo():
    env = {"DEBUG": "1"}
    assert _print_settings("NPM_REQUIRE_2FA", "SESSION_COOKIE_NAME", **env) == [
        "False",
        "'sessionid'",
    ]


def test_password_policy_min_15_common_and_similarity(settings):
    names = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert {
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "UserAttributeSimilarityValidator",
    } <= set(names)
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("fourteen-chars")
    validate_password("a long passphrase nobody uses")
