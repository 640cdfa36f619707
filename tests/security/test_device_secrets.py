"""Two-factor secrets at rest: the TOTP key is encrypted (FIELD_ENCRYPTION_KEY), backup codes are
kept only as keyed hashes, and the admin shows neither. Devices of django-otp's plugins (key and
codes in clear) are moved over by the migration and their tables dropped."""

import base64
import hashlib
import importlib
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from npm_portal.security.enrolment import link_issue
from npm_portal.security.models import Authenticator, BackupCode, BackupCodes
from npm_portal.security.twofactor import backup_codes_create, match_code
from tests.factories import UserFactory
from tests.security.conftest import code_for

migration = importlib.import_module("npm_portal.migrations.0004_security_data")


def _whole_database() -> str:
    """Every row of every table, as text."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            dump.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(dump).lower()


def _enrolled(user) -> tuple[Authenticator, list[str]]:
    """Enrol through the pages, as a user does: link, QR page, code; the backup codes shown."""
    client = Client()
    client.force_login(user)
    client.get(link_issue(user=user, by=None).url)
    client.get(reverse("otp_setup"))
    device = Authenticator.objects.get(user=user)
    page = client.post(reverse("otp_setup"), {"token": code_for(device)}).content.decode()
    codes = page.split('id="backup-codes">', 1)[1].split("</ul>", 1)[0]
    codes = [item.split("</li>", 1)[0] for item in codes.split('<li class="col">')[1:]]
    assert len(codes) == 10
    return device, codes


class TestNothingInClear:
    def test_the_database_holds_neither_the_secret_nor_a_backup_code(self, staff, settings):
        settings.NPM_REQUIRE_2FA = True
        device, codes = _enrolled(staff)
        secret_hex = device.key.lower()
        secret_b32 = base64.b32encode(device.bin_key).decode().rstrip("=").lower()
        dump = _whole_database()
        assert secret_hex not in dump
        assert secret_b32 not in dump
        for code in codes:
            assert code not in dump
        # The key is a Fernet token in its column; it still verifies codes.
        with connection.cursor() as cursor:
            cursor.execute("SELECT key FROM npm_portal_authenticator WHERE id = %s", [device.pk])
            (stored,) = cursor.fetchone()
        assert stored.startswith("gAAAA")
        assert Fernet(settings.FIELD_ENCRYPTION_KEY[0]).decrypt(stored.encode()).decode() == (
            device.key
        )

    def test_backup_codes_are_keyed_hashes_and_single_use(self, staff, settings):
        codes = backup_codes_create(user=staff)
        digests = set(BackupCode.objects.values_list("digest", flat=True))
        assert len(digests) == 10
        assert hashlib.sha256(codes[0].encode()).hexdigest() not in digests
        assert isinstance(match_code(staff, codes[0]), BackupCodes)
        assert match_code(staff, codes[0]) is None
        assert BackupCode.objects.count() == 9

    def test_backup_codes_survive_a_secret_key_rotation_while_the_old_key_is_a_fallback(
        self, staff, settings
    ):
        codes = backup_codes_create(user=staff)
        old = settings.SECRET_KEY
        settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
        settings.SECRET_KEY_FALLBACKS = [old]
        assert match_code(staff, codes[0]) is not None
        settings.SECRET_KEY_FALLBACKS = []
        BackupCodes.objects.update(throttling_failure_count=0)
        assert match_code(staff, codes[1]) is None

    def test_key_rotation_re_encrypts_authenticator_keys(self, staff, settings, authenticator):
        device = authenticator(staff)
        key = device.key
        new = Fernet.generate_key().decode()
        settings.FIELD_ENCRYPTION_KEY = [new, *settings.FIELD_ENCRYPTION_KEY]
        call_command("rotate_field_encryption", "--skip-files", stdout=StringIO())
        settings.FIELD_ENCRYPTION_KEY = [new]
        device = Authenticator.objects.get(pk=device.pk)
        assert device.key == key
        assert match_code(staff, code_for(device)) == device


def test_the_admin_shows_no_secret_no_code_and_no_link_token(db, staff, authenticator):
    device = authenticator(staff)
    codes = backup_codes_create(user=staff)
    link_url = link_issue(user=staff, by=None).url
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    pages = [
        client.get(f"/admin/npm_portal/authenticator/{device.pk}/change/"),
        client.get("/admin/npm_portal/authenticator/"),
        client.get("/admin/npm_portal/backupcodes/"),
        client.get("/admin/npm_portal/enrolmentlink/"),
    ]
    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    html = "".join(page.content.decode() for page in pages).lower()
    assert device.key.lower() not in html
    assert base64.b32encode(device.bin_key).decode().rstrip("=").lower() not in html
    assert not any(code in html for code in codes)
    assert link_url.rsplit("/", 2)[-2].lower() not in html
    for digest in BackupCode.objects.values_list("digest", flat=True):
        assert digest not in html


class _SchemaEditor:
    """What the migration uses of a schema editor (SQLite's refuses to open inside the test's
    transaction)."""

    connection = connection

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


class TestMigrationFromDjangoOtp:
    """A database from before: django-otp's plugin tables with a key and codes in clear."""

    @pytest.fixture
    def old_tables(self, db):
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE otp_totp_totpdevice (id integer PRIMARY KEY, name varchar(64),"
                " confirmed boolean, user_id bigint, key varchar(80), step smallint,"
                " t0 bigint, digits smallint, tolerance smallint, drift smallint,"
                " last_t bigint, throttling_failure_timestamp timestamp with time zone NULL,"
                " throttling_failure_count integer, created_at timestamp with time zone NULL,"
                " last_used_at timestamp with time zone NULL)"
            )
            cursor.execute(
                "CREATE TABLE otp_static_staticdevice (id integer PRIMARY KEY,"
                " name varchar(64), confirmed boolean, user_id bigint,"
                " throttling_failure_timestamp timestamp with time zone NULL,"
                " throttling_failure_count integer, created_at timestamp with time zone NULL,"
                " last_used_at timestamp with time zone NULL)"
            )
            cursor.execute(
                "CREATE TABLE otp_static_statictoken (id integer PRIMARY KEY,"
                " device_id integer, token varchar(16))"
            )
            cursor.execute(
                "INSERT INTO django_migrations (app, name, applied) VALUES"
                " ('otp_totp', '0001_initial', CURRENT_TIMESTAMP)"
            )

    def test_devices_move_over_encrypted_and_hashed_and_the_old_tables_go(self, old_tables, staff):
        key = "3132333435363738393031323334353637383930"
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO otp_totp_totpdevice VALUES (7, 'authenticator', %s, %s, %s, 30, 0,"
                " 6, 1, 0, -1, NULL, 0, '2025-01-02 03:04:05+00:00', NULL)",
                [True, staff.pk, key],
            )
            cursor.execute(
                "INSERT INTO otp_static_staticdevice VALUES (3, 'backup', %s, %s, NULL, 0,"
                " NULL, NULL)",
                [True, staff.pk],
            )
            cursor.execute(
                "INSERT INTO otp_static_statictoken VALUES (1, 3, 'oldcode1'), (2, 3, 'oldcode2')"
            )
        migration.copy_old_devices(apps, _SchemaEditor())

        device = Authenticator.objects.get(user=staff)
        assert device.key == key
        assert device.confirmed
        assert device.created_at.year == 2025
        assert match_code(staff, code_for(device)) == device
        assert BackupCode.objects.filter(device__user=staff).count() == 2
        assert match_code(staff, "oldcode1") is not None
        tables = connection.introspection.table_names()
        assert not {"otp_totp_totpdevice", "otp_static_staticdevice"} & set(tables)
        assert "otp_static_statictoken" not in tables
        dump = _whole_database()
        assert key not in dump
        assert "oldcode2" not in dump
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = 'otp_totp'")
            assert cursor.fetchone() == (0,)

    def test_a_new_database_has_nothing_to_move(self, db):
        migration.copy_old_devices(apps, _SchemaEditor())
        assert not Authenticator.objects.exists()
