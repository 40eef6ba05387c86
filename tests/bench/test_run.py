"""The benchmark runner's verdict: invariants ("= N") fail the run, timings never do."""

from bench.run import as_number, broken_invariant


def test_an_invariant_that_holds_is_not_broken():
    row = {"scenario": "ticketing rush: seats taken", "value": "300", "unit": "seats", "target": "= 300"}

    assert broken_invariant(row) == ""


def test_an_invariant_off_by_one_is_broken():
    row = {"scenario": "ticketing rush: oversold", "value": 1, "unit": "passes", "target": "= 0"}

    assert broken_invariant(row) == "ticketing rush: oversold: 1 passes, must be 0"


def test_a_value_that_is_not_a_number_breaks_its_invariant():
    row = {"scenario": "checkin: errors", "value": "skipped", "unit": "", "target": "= 0"}

    assert broken_invariant(row) == "checkin: errors: skipped, must be 0"


def test_a_missed_timing_goal_never_fails_the_run():
    rows = [
        {"scenario": "badge download", "value": "950.0", "unit": "ms", "target": "< 400 ms"},
        {"scenario": "first scans", "value": "12.0", "unit": "scans/s", "target": ">= 250"},
        {"scenario": "p50", "value": "80.1", "unit": "ms", "target": ""},
    ]

    assert [broken_invariant(row) for row in rows] == ["", "", ""]


def test_values_are_kept_as_json_numbers_when_they_are_numbers():
    assert [as_number(value) for value in ("12.50", "300", 7, 0.25, "webcrypto")] == [12.5, 300, 7, 0.25, "webcrypto"]
