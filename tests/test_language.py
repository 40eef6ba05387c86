"""Language quality: no untranslated text in templates, an English catalog that is really English, and
dates, times, numbers and money in each language's conventions.

The English catalog: source strings (msgids) are written in English, so its
entries are the identity (msgstr = msgid, filled by `update_translations`).
They are kept rather than left empty so that the completeness tests treat
both languages alike, and a msgid accidentally written in Vietnamese is
caught below instead of being shown to English readers.
"""

import re
import unicodedata
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
from django.template import engines
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent

BLOCKS = re.compile(r"{%\s*(blocktranslate|blocktrans|comment)\b.*?{%\s*end\1\s*%}", re.S)
DJANGO_TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
SHOWN_ATTRIBUTES = re.compile(r'\b(placeholder|title|alt|aria-label)\s*=\s*"([^"]*)"', re.I)
MARKUP = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1>|<[^>]*>", re.S | re.I)
WORD = re.compile(r"[^\W\d_]{2,}")
# Words that are the same in both languages: formats, acronyms, file names.
NOT_LANGUAGE = {"schedule", "xml", "json", "SHA", "QR", "KOL", "CSV", "PDF", "ID", "VND"}
# Legal documents printed in both languages at once, on purpose: a sealed record must not
# depend on the language of whoever asked for it.
BILINGUAL_BY_DESIGN = {"events/declaration/sealed_pdf.html"}
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơư\u0300\u0301\u0303\u0309\u0323]", re.I)
ENGLISH_LOANWORDS = {"đồng"}  # the currency's name in English too


def untranslated_text(source):
    """Pieces of a template's visible text (and shown attributes) that are not inside a translation tag."""
    source = BLOCKS.sub(" ", source)
    attributes = [value for _name, value in SHOWN_ATTRIBUTES.findall(DJANGO_TAGS.sub("", source))]
    text = MARKUP.sub("\n", DJANGO_TAGS.sub(" ", source))
    pieces = [piece.strip() for piece in text.split("\n")] + attributes
    return [piece for piece in pieces if any(word not in NOT_LANGUAGE for word in WORD.findall(piece))]


def test_untranslated_text_finder_catches_text_and_attributes():
    template = (
        '{% load i18n %}<h1>{% translate "Agenda" %}</h1><p>Hello world</p>'
        '<input placeholder="Your name"><img alt="{% translate "Logo" %}">'
        "{% blocktranslate %}Hi {{ name }}{% endblocktranslate %} {{ value }} · schedule.xml"
    )
    assert untranslated_text(template) == ["Hello world", "Your name"]


def test_templates_have_no_untranslated_text():
    found = {}
    for template in sorted((ROOT / "templates").rglob("*.*")):
        name = template.relative_to(ROOT / "templates").as_posix()
        if name not in BILINGUAL_BY_DESIGN and (pieces := untranslated_text(template.read_text(encoding="utf-8"))):
            found[name] = pieces
    assert found == {}


def test_english_catalog_is_the_identity_of_english_source_strings():
    catalog = polib.pofile(str(ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    not_identity = [
        entry.msgid
        for entry in catalog
        if not entry.obsolete
        and (
            entry.msgstr_plural != {0: entry.msgid, 1: entry.msgid_plural}
            if entry.msgid_plural
            else entry.msgstr != entry.msgid
        )
    ]
    assert not_identity == []
    vietnamese_msgids = [entry.msgid for entry in catalog if VIETNAMESE_LETTERS.search(_without_loanwords(entry.msgid))]
    assert vietnamese_msgids == []


def _without_loanwords(text):
    words = [word for word in text.split() if word.strip(".,;()") not in ENGLISH_LOANWORDS]
    return unicodedata.normalize("NFD", " ".join(words))


MONEY_AND_TIME = (
    "{% load money %}{{ price|vnd }} | {{ day|date:'SHORT_DATE_FORMAT' }} | {{ at|time:'TIME_FORMAT' }}"
    " | {{ at|date:'SHORT_DATETIME_FORMAT' }} | {{ count|floatformat:'0g' }} | {{ day|date:'DATE_FORMAT' }}"
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "1.500.000 ₫ | 28/07/2026 | 14:30 | 14:30 28/07/2026 | 12.345 | 28 tháng 7 năm 2026"),
        ("en", "1,500,000 ₫ | 28/07/2026 | 14:30 | 28/07/2026 14:30 | 12,345 | 28 July 2026"),
    ],
)
def test_money_dates_times_and_numbers_follow_each_language(language, expected):
    template = engines["django"].from_string(MONEY_AND_TIME)
    context = {
        "price": 1500000,
        "day": date(2026, 7, 28),
        "at": datetime(2026, 7, 28, 14, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        "count": 12345,
    }
    with translation.override(language):
        assert template.render(context) == expected
