"""Vietnamese sorting and accent-insensitive search: the one collation for every list of people.

Order of letters (the 29-letter Vietnamese alphabet, with the Latin letters it
does not use slotted in at their usual places so foreign names still sort):

    a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v (w) x y (z)

Tones are compared only when the letters are equal, word by word, in the order
of the standard Vietnamese dictionary (Hoàng Phê, Từ điển tiếng Việt; also the
order of Unicode CLDR's Vietnamese collation):

    ngang (none) < huyền (grave `à`) < hỏi (hook `ả`) < ngã (tilde `ã`) < sắc (acute `á`) < nặng (dot below `ạ`)

so "ma < mà < mả < mã < má < mạ", and "An < Anh < Ánh".

People are listed the Vietnamese way: by given name (the last word), then the
middle names, then the family name (the first word): "Trần Văn An" comes
before "Nguyễn Thị Bình".
"""

import unicodedata

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}

# Combining marks that carry the tone; the others (breve, circumflex, horn) make letters.
TONES = {
    "\u0300": 1,  # huyền
    "\u0309": 2,  # hỏi
    "\u0303": 3,  # ngã
    "\u0301": 4,  # sắc
    "\u0323": 5,  # nặng
}


def _letters_and_tone(word):
    """Split a word into base letters (with ă â ê ô ơ ư đ kept) and its tone number."""
    letters, tone = [], 0
    for char in unicodedata.normalize("NFD", word.casefold()):
        if char in TONES:
            tone = max(tone, TONES[char])
        elif unicodedata.combining(char) and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + char)
        else:
            letters.append(char)
    return letters, tone


def _letter_rank(letter):
    # Digits and marks before letters; anything outside the alphabet after it, by code point.
    if letter in _LETTER_RANK:
        return (1, _LETTER_RANK[letter])
    if letter.isdigit():
        return (0, ord(letter))
    return (2, ord(letter))


def word_key(word):
    """Sort key for one word: letters first, then the tone."""
    letters, tone = _letters_and_tone(word)
    return (tuple(_letter_rank(letter) for letter in letters), tone)


def text_key(text):
    """Sort key for any text (titles, organizations): word by word, exact text as the last tie-break."""
    normalized = unicodedata.normalize("NFC", text or "")
    return (tuple(word_key(word) for word in normalized.split()), normalized)


def person_key(full_name):
    """Sort key for a person's full name: given name, then middle names, then family name."""
    words = unicodedata.normalize("NFC", full_name or "").split()
    if not words:
        return ((), (), (), "")
    given = word_key(words[-1])
    middle = tuple(word_key(word) for word in words[1:-1])
    family = word_key(words[0]) if len(words) > 1 else ((), 0)
    return (given, middle, family, " ".join(words))


def sort_people(items, name=lambda item: item):
    """Items sorted by person_key of name(item), Vietnamese order."""
    return sorted(items, key=lambda item: person_key(name(item)))


def search_fold(text):
    """Accent- and case-insensitive form for search: "Cường" -> "cuong", "Đạt" -> "dat"."""
    decomposed = unicodedata.normalize("NFD", (text or "").casefold().replace("đ", "d"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.split())


def matches(query, *texts):
    """Whether the folded query occurs in any of the folded texts."""
    needle = search_fold(query)
    return any(needle in search_fold(text) for text in texts)
