"""Refresh both catalogs from the source and report what still lacks a Vietnamese translation.

    python manage.py update_translations                 # makemessages, English filled, report
    python manage.py update_translations --vi new.json   # also take Vietnamese from {msgid: msgstr}
    python manage.py update_translations --check         # exit 1 if anything is untranslated

Source strings are English, so the English catalog is the identity; the
Vietnamese one is written by people (or from a JSON file of msgid → msgstr,
with a list for plural forms).
"""

import json

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

IGNORE = [".venv", "tests", "bench", "node_modules", ".data", "static/vendor"]


def catalog(language):
    import polib  # tooling only

    return polib.pofile(str(settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"), wrapwidth=0)


def untranslated(po):
    return [entry for entry in po if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)]


class Command(BaseCommand):
    help = "Run makemessages for vi and en, fill English, optionally take Vietnamese from JSON, report gaps."

    def add_arguments(self, parser):
        parser.add_argument("--vi", help="JSON file {msgid: msgstr or [plural forms]}")
        parser.add_argument("--check", action="store_true", help="only report; exit 1 if anything is missing")

    def handle(self, *args, vi=None, check=False, **options):
        if not check:
            call_command("makemessages", locale=["vi", "en"], ignore_patterns=IGNORE, no_obsolete=True, verbosity=0)
            self._fill_english()
            if vi:
                self._fill_vietnamese(vi)
        missing = untranslated(catalog("vi")) + untranslated(catalog("en"))
        for entry in missing:
            self.stdout.write(
                f"untranslated: {entry.msgid!r} ({entry.occurrences[0][0] if entry.occurrences else '?'})"
            )
        if missing and check:
            raise CommandError(f"{len(missing)} string(s) lack a translation")
        self.stdout.write(f"{len(missing)} untranslated")

    def _fill_english(self):
        po = catalog("en")
        for entry in po:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save()

    def _fill_vietnamese(self, path):
        with open(path, encoding="utf-8") as handle:
            translations = json.load(handle)
        po = catalog("vi")
        for entry in po:
            if entry.msgid not in translations:
                continue
            value = translations[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value[0] if isinstance(value, list) else value}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save()
