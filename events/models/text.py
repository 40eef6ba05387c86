"""Text helpers shared by the models: NFC normalization and bilingual fields."""

import unicodedata

from django.utils.translation import get_language


def normalize_text(value):
    """NFC with single spaces: "Nguyễn" typed decomposed (NFD) equals the precomposed one."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def localized(obj, field):
    """The Vietnamese or English variant of a bilingual field, falling back to Vietnamese."""
    if (get_language() or "vi").startswith("en"):
        return getattr(obj, f"{field}_en") or getattr(obj, f"{field}_vi")
    return getattr(obj, f"{field}_vi")
