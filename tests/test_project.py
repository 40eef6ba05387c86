"""Project-wide guarantees: production settings, complete translations, demo data."""

import json
import os
import secrets
import subprocess
import sys
import unicodedata
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


CONFERENCE_ENV = ROOT / "docs/deploy/conference.env"


def sourced_conference_env():
    """What README's own `set -a; . conference.env; set +a` puts in the environment, read back from bash."""
    script = f'set -a; . "{CONFERENCE_ENV}"; set +a; env -0'
    result = subprocess.run(["bash", "-c", script], env={"PATH": os.environ["PATH"]}, capture_output=True, check=True)
    assert result.stderr == b""
    pairs = (item.decode().partition("=") for item in result.stdout.split(b"\0") if item)
    return {name: value for name, _sep, value in pairs if name not in {"PATH", "PWD", "SHLVL", "_", "OLDPWD"}}


def production_env(tmp_path, secret_key=None):
    """The environment README's deployment section documents (docs/deploy/conference.env, sourced by
    bash), with a fresh secret and the folders moved into tmp_path."""
    return {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "Q_SYNC"}},
        **sourced_conference_env(),
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "SECRET_KEY": secret_key or secrets.token_urlsafe(50),
        "DATA_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }


def test_conference_env_survives_being_sourced_by_bash():
    """Every line of the sample reaches the environment: an unquoted `<…>` once stopped bash at line 23
    and silently left every later variable unset."""
    names = [
        line.partition("=")[0]
        for line in CONFERENCE_ENV.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]

    sourced = sourced_conference_env()

    assert sorted(sourced) == sorted(names)
    assert sourced["DEFAULT_FROM_EMAIL"] == "Hội nghị KOL toàn quốc <no-reply@kol.example.vn>"
    assert sourced["LOG_LEVEL"] == "INFO"


def test_check_deploy_fails_while_the_sample_secret_key_is_left_in_place(tmp_path):
    env = production_env(tmp_path, secret_key=sourced_conference_env()["SECRET_KEY"])

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 1
    assert "conference.E001" in result.stderr
    assert "placeholder" in result.stderr


@pytest.mark.parametrize(
    "key, weak",
    [
        ("change-me-to-50-random-characters-shared-by-all-app-servers", True),
        ("django-insecure-" + "k3j4h5g6f7d8s9a0" * 3, True),
        ("x9Fq2-short", True),
        ("ab" * 30, True),
        ("aB3" * 20, True),
        ("0123456789" * 5, True),
        ("generated", False),
    ],
)
def test_secret_key_check_refuses_short_repeated_and_well_known_keys(key, weak):
    from conference.checks import secret_key_weakness

    key = secrets.token_urlsafe(50) if key == "generated" else key

    assert bool(secret_key_weakness(key)) is weak


def test_sample_gunicorn_unit_binds_a_private_address_and_redacts_its_access_log():
    import ipaddress
    import re

    unit = (ROOT / "docs/deploy/kol-web.service").read_text(encoding="utf-8")
    bind = re.search(r"--bind (\S+):8000", unit).group(1)

    assert ipaddress.ip_address(bind).is_private and not ipaddress.ip_address(bind).is_unspecified
    assert "--logger-class conference.accesslog.RedactingLogger" in unit


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_documented_production_settings_are_read_from_the_environment(tmp_path):
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "from django_q.brokers import get_broker; from django_q.conf import Conf; print(json.dumps(["
        "s.DEBUG, s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, s.SITE_URL, s.DATABASES['default']['ENGINE'], "
        "s.DATABASES['default']['HOST'], s.CACHES['default']['BACKEND'], type(get_broker()).__name__, Conf.SYNC, "
        "Conf.WORKERS, s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.EMAIL_BACKEND, s.EMAIL_USE_TLS, str(s.MEDIA_ROOT), "
        "s.STORAGES['staticfiles']['BACKEND']]))"
    )
    env = production_env(tmp_path)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        False,
        ["kol.example.vn"],
        ["https://kol.example.vn"],
        "https://kol.example.vn",
        "django.db.backends.postgresql",
        "10.0.0.20",
        "django.core.cache.backends.redis.RedisCache",
        "Redis",
        False,
        2,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        True,
        True,
        True,
        31536000,
        "django.core.mail.backends.smtp.EmailBackend",
        True,
        str(tmp_path / "media"),
        "conference.staticfiles.StaticFilesStorage",  # WhiteNoise's, with hashed names in ES module imports
    ]


def test_local_defaults_are_safe(settings):
    from conference import settings as real

    assert real.DEBUG is False or os.environ.get("DEBUG")
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert len(settings.SECRET_KEY) >= 50


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_string_is_translated(language):
    catalog = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalog if not entry.obsolete and (not entry.translated() or entry.fuzzy)]
    assert missing == []
    assert len(catalog) > 150


def test_catalogs_cover_every_string_in_the_source(tmp_path):
    """Re-extract the strings of code and templates: any msgid missing from the vi or en catalog fails here."""
    from django.utils.translation.template import templatize

    sources = [p for p in ROOT.glob("*/**/*.py") if not {".venv", "tests", "bench", "migrations"} & set(p.parts)]
    for number, template in enumerate((ROOT / "templates").rglob("*.*")):
        converted = tmp_path / f"template_{number}.py"
        converted.write_text(templatize(template.read_text(encoding="utf-8"), origin=str(template)), encoding="utf-8")
        sources.append(converted)
    keywords = [
        "_",
        "gettext",
        "gettext_lazy",
        "gettext_noop",
        "ngettext:1,2",
        "ngettext_lazy:1,2",
        "pgettext:1c,2",
        "pgettext_lazy:1c,2",
        "npgettext:1c,2,3",
    ]
    result = subprocess.run(
        [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            "-o",
            str(tmp_path / "all.pot"),
            *[f"--keyword={k}" for k in keywords],
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    extracted = {entry.msgid for entry in polib.pofile(str(tmp_path / "all.pot")) if entry.msgid}
    assert len(extracted) > 150
    for language in ("vi", "en"):
        catalog = {entry.msgid for entry in polib.pofile(str(ROOT / f"locale/{language}/LC_MESSAGES/django.po"))}
        assert (language, sorted(extracted - catalog)) == (language, [])


@pytest.mark.django_db
def test_seed_demo_builds_a_realistic_conference_and_is_repeatable():
    from django.contrib.auth.models import User

    from events.models import Event, Invitation, Participant

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    conference = Event.objects.get(slug="kol-2027")
    assert conference.name_vi == "Hội nghị KOL toàn quốc lần thứ nhất"
    assert (conference.end_date - conference.start_date).days == 1
    assert conference.start_date.month == 8
    assert Event.objects.get(slug="kien-tao-niem-tin-so").name_vi == "Tọa đàm an ninh mạng “Kiến tạo niềm tin số”"
    people = Participant.objects.filter(event=conference)
    assert 190 <= people.count() <= 210
    assert set(people.values_list("category", flat=True)) == {"kol", "regulator", "business", "platform"}
    assert all(unicodedata.is_normalized("NFC", name) for name in people.values_list("full_name", flat=True))
    assert people.filter(status="pending", category="kol").exists()
    assert Invitation.objects.filter(code="QUANLY2027", category="regulator").exists()
    roles = {u.username: set(u.groups.values_list("name", flat=True)) for u in User.objects.all()}
    assert roles == {"bantochuc": {"Organizer"}, "soatve": {"Door staff"}, "truongcua": {"Door supervisor"}}
    assert User.objects.get(username="bantochuc").check_password("demo-bantochuc")


@pytest.mark.parametrize(
    ("redis_url", "expected"),
    [
        ("", ("ORM", "django.core.cache.backends.filebased.FileBasedCache")),
        ("redis://127.0.0.1:6379/1", ("Redis", "django.core.cache.backends.redis.RedisCache")),
    ],
)
def test_job_broker_and_cache_follow_redis_url(tmp_path, redis_url, expected):
    """ORM broker by default; REDIS_URL switches django-q2 and the cache to Redis (configuration only)."""
    script = (
        "import django; django.setup(); from django.conf import settings; from django_q.brokers import get_broker; "
        "print(type(get_broker()).__name__, settings.CACHES['default']['BACKEND'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "DATA_DIR": str(tmp_path),
        "REDIS_URL": redis_url,
    }
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert tuple(result.stdout.split()) == expected


@pytest.mark.django_db
def test_event_page_links_the_agenda_tickets_and_declarations_of_the_demo(client):
    from events.models import Declaration

    call_command("seed_demo", verbosity=0)
    html = client.get("/e/kol-2027/").content.decode()
    assert '<a class="button" href="/e/kol-2027/agenda/">Chương trình</a>' in html
    assert '<a class="button" href="/e/kol-2027/tickets/">Mua thẻ tham dự</a>' in html
    for declaration in Declaration.objects.filter(event__slug="kol-2027").exclude(status="draft"):
        assert f'href="/e/kol-2027/declarations/{declaration.slug}/"' in html
    assert Declaration.objects.filter(event__slug="kol-2027").exclude(status="draft").count() == 2


def test_vietnamese_dates_and_numbers_follow_vietnamese_conventions():
    from datetime import date

    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.date_format(date(2026, 7, 28), "SHORT_DATE_FORMAT") == "28/07/2026"
        assert formats.number_format(1500000, force_grouping=True) == "1.500.000"
    with translation.override("en"):
        assert formats.date_format(date(2026, 7, 28), "SHORT_DATE_FORMAT") == "28/07/2026"  # day first, see formats/en


def test_collectstatic_with_the_production_storage_succeeds(tmp_path):
    """`run.sh start` and deployments run collectstatic with hashed names; a vendored file that
    points at a missing file (a source map, say) makes it fail, so run it here as they do."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "DATA_DIR": str(tmp_path),
        "STATIC_MANIFEST": "1",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "STATIC_ROOT"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((tmp_path / "staticfiles" / "staticfiles.json").read_text())
    assert "vendor/chartjs/chart.umd.min.js" in manifest["paths"]
    # An ES module imports hashed names, the ones the door scanner's service worker keeps offline.
    page = (tmp_path / "staticfiles" / manifest["paths"]["checkin/page.js"]).read_text()
    scanner = manifest["paths"]["checkin/scanner.js"].removeprefix("checkin/")
    assert f'import {{ onlineVerdicts, readConfig, startScanner }} from "./{scanner}";' in page
