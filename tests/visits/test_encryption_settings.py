from cryptography.fernet import Fernet

from visits.checks import field_encryption_key_check


def ids(settings) -> list[str]:
    return [message.id for message in field_encryption_key_check(None)]


def test_derived_key_in_production_is_warned_about(settings):
    settings.DEBUG = False
    settings.FIELD_ENCRYPTION_KEY_DERIVED = True
    assert ids(settings) == ["visits.W001"]


def test_derived_key_is_fine_while_debugging(settings):
    settings.DEBUG = True
    settings.FIELD_ENCRYPTION_KEY_DERIVED = True
    assert ids(settings) == []


def test_configured_keys_pass(settings):
    settings.DEBUG = False
    settings.FIELD_ENCRYPTION_KEY_DERIVED = False
    settings.FIELD_ENCRYPTION_KEY = [Fernet.generate_key().decode(), Fernet.generate_key().decode()]
    assert ids(settings) == []


def test_malformed_key_is_an_error(settings):
    settings.FIELD_ENCRYPTION_KEY_DERIVED = False
    settings.FIELD_ENCRYPTION_KEY = ["not-a-fernet-key"]
    assert ids(settings) == ["visits.E001"]


def test_tests_run_with_a_derived_key(settings):
    # No FIELD_ENCRYPTION_KEY in the test environment: a working key derived from SECRET_KEY.
    assert len(settings.FIELD_ENCRYPTION_KEY) == 1
    Fernet(settings.FIELD_ENCRYPTION_KEY[0])
