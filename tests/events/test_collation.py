import unicodedata

from events import collation

# Vietnamese dictionary order: a ă â b c d đ e ê … o ô ơ … u ư …, tones: none, huyền, hỏi, ngã, sắc, nặng.
GIVEN_NAMES_IN_ORDER = [
    "An",
    "Anh",
    "Ánh",
    "Ăn",
    "Ân",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Đông",
    "Em",
    "Ên",
    "Hà",
    "Hải",
    "Hạnh",
    "Ôn",
    "Ơn",
    "Uyên",
    "Ưng",
    "Vy",
]


def test_word_key_orders_letters_in_the_vietnamese_alphabet():
    words = ["ư", "ơ", "ô", "o", "đ", "d", "ê", "e", "â", "ă", "a", "u", "y", "x", "v"]
    assert sorted(words, key=collation.word_key) == [
        "a",
        "ă",
        "â",
        "d",
        "đ",
        "e",
        "ê",
        "o",
        "ô",
        "ơ",
        "u",
        "ư",
        "v",
        "x",
        "y",
    ]


def test_word_key_orders_tones_after_the_base_letters():
    words = ["mạ", "má", "mã", "mả", "mà", "ma"]
    assert sorted(words, key=collation.word_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_word_key_compares_letters_before_tones():
    assert sorted(["Ánh", "An", "Anh", "Ân"], key=collation.word_key) == ["An", "Anh", "Ánh", "Ân"]


def test_sort_people_orders_given_name_first_on_a_fixed_list():
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Đỗ", "Bùi", "Hồ", "Võ", "Vũ", "Dương"]
    people = [f"{families[i % len(families)]} Văn {given}" for i, given in enumerate(GIVEN_NAMES_IN_ORDER)]
    shuffled = people[7:] + people[:7][::-1]
    assert collation.sort_people(shuffled) == people


def test_person_key_breaks_given_name_ties_by_middle_then_family_name():
    people = ["Trần Văn An", "Nguyễn Thị An", "Lê Thị An", "Đặng Ánh"]
    assert collation.sort_people(people) == ["Lê Thị An", "Nguyễn Thị An", "Trần Văn An", "Đặng Ánh"]


def test_person_key_treats_decomposed_input_like_precomposed():
    decomposed = unicodedata.normalize("NFD", "Lê Văn Đạt")
    assert collation.person_key(decomposed) == collation.person_key("Lê Văn Đạt")


def test_sort_people_takes_a_name_accessor():
    rows = [{"name": "Phạm Ưng"}, {"name": "Hồ Ơn"}]
    assert collation.sort_people(rows, name=lambda row: row["name"]) == [{"name": "Hồ Ơn"}, {"name": "Phạm Ưng"}]


def test_search_fold_removes_tones_marks_and_case():
    assert collation.search_fold("  Nguyễn   Tiến CƯỜNG ") == "nguyen tien cuong"
    assert collation.search_fold("Lê Văn Đạt") == "le van dat"
    assert collation.search_fold("Ông Ă Â Ơ Ư") == "ong a a o u"


def test_matches_finds_accented_names_from_plain_queries():
    assert collation.matches("Cuong", "Nguyễn Tiến Cường")
    assert collation.matches("dat", "Lê Văn Đạt")
    assert collation.matches("cường", "Nguyen Tien Cuong")
    assert not collation.matches("Cuong", "Lê Văn Đạt")
