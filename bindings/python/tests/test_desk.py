"""The daily desk from Python: the same agenda as the Rust crate, byte for byte, and a
bad book refused with every problem's code and path."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

import retention
from conftest import QUICKSTART_NOW


def test_hvac_agenda_is_the_quickstart_json_byte_for_byte(hvac_json, quickstart_json):
    agenda = retention.Book.from_json(hvac_json).agenda(QUICKSTART_NOW)
    # The example prints `to_json_pretty()` with println!: the same text and a newline.
    assert (agenda.to_json(pretty=True) + "\n").encode("utf-8") == quickstart_json


def test_compact_json_and_dict_hold_the_same_agenda(hvac_json, quickstart_json):
    agenda = retention.Book.from_json(hvac_json).agenda(QUICKSTART_NOW)
    compact = agenda.to_json()
    assert compact.startswith('{"schema_version":')
    assert "\n" not in compact
    assert json.loads(compact) == json.loads(quickstart_json)
    assert agenda.to_dict() == json.loads(quickstart_json)


def test_bytes_dict_and_str_read_the_same_book(hvac_json):
    from_str = retention.Book.from_json(hvac_json)
    from_bytes = retention.Book.from_json(hvac_json.encode("utf-8"))
    from_dict = retention.Book.from_dict(json.loads(hvac_json))
    expected = from_str.agenda(QUICKSTART_NOW).to_json()
    assert from_bytes.agenda(QUICKSTART_NOW).to_json() == expected
    assert from_dict.agenda(QUICKSTART_NOW).to_json() == expected
    # A book written out reads back as the same book.
    again = retention.Book.from_dict(from_str.to_dict())
    assert again.to_json() == from_str.to_json()
    assert from_str.business == "Prairie Comfort Heating & Air"
    assert "40 accounts" in repr(from_str)


def test_the_same_instant_in_another_zone_gives_the_same_agenda(hvac_json):
    book = retention.Book.from_json(hvac_json)
    chicago_morning = datetime(2026, 11, 24, 9, 0, 0, tzinfo=timezone(timedelta(hours=-6)))
    assert book.agenda(chicago_morning).to_json() == book.agenda(QUICKSTART_NOW).to_json()
    # A later instant is another day's agenda.
    later = book.agenda(QUICKSTART_NOW + timedelta(days=1)).to_dict()
    assert later["now"] == "2026-11-25T15:00:00Z"


def test_microseconds_reach_the_crate(hvac_json):
    book = retention.Book.from_json(hvac_json)
    now = QUICKSTART_NOW.replace(microsecond=250_000)
    assert book.agenda(now).to_dict()["now"] == "2026-11-24T15:00:00.250Z"


def test_a_naive_datetime_is_a_value_error(hvac_json):
    book = retention.Book.from_json(hvac_json)
    with pytest.raises(ValueError, match="timezone-aware") as caught:
        book.agenda(datetime(2026, 11, 24, 15, 0, 0))
    assert not isinstance(caught.value, retention.BookError)


def test_now_must_be_a_datetime(hvac_json):
    book = retention.Book.from_json(hvac_json)
    with pytest.raises(TypeError, match="datetime"):
        book.agenda(date(2026, 11, 24))
    with pytest.raises(TypeError, match="datetime"):
        book.agenda("2026-11-24T15:00:00Z")


def test_a_bad_book_carries_every_problem_with_code_and_path(hvac_json):
    data = json.loads(hvac_json)
    data["people"][1]["id"] = data["people"][0]["id"]
    data["interactions"][5]["person"] = "p-nobody"
    with pytest.raises(retention.BookError) as caught:
        retention.Book.from_dict(data)
    e = caught.value
    assert isinstance(e, ValueError)
    codes_paths = [(p.code, p.path) for p in e.problems]
    assert ("model.duplicate_id", "people[1].id") in codes_paths
    assert ("desk.unknown_reference", "interactions[5].person") in codes_paths
    # The closing problem says what was read.
    assert codes_paths[-1] == ("desk.book_rejected", "")
    assert "1624 interactions" in e.problems[-1].message
    # The first problem is also the exception's own code and path, and its text.
    assert (e.code, e.path) == codes_paths[0]
    assert str(e).startswith(f"{e.code} at `{e.path}`: ")
    # Each problem is a value with attributes, and unpacks as a tuple.
    code, path, message = e.problems[0]
    assert (code, path, message) == (e.problems[0].code, e.problems[0].path, e.problems[0].message)
    assert e.problems[0] == retention.Problem(code, path, message)
    assert repr(e.problems[0]).startswith("Problem(code='model.duplicate_id', path='people[1].id'")


def test_malformed_json_names_the_field_where_reading_stopped(hvac_json):
    data = json.loads(hvac_json)
    data["accounts"][2]["customer_since"] = "2025-02-30"
    with pytest.raises(retention.BookError) as caught:
        retention.Book.from_dict(data)
    assert [(p.code, p.path) for p in caught.value.problems] == [
        ("desk.malformed_json", "accounts[2].customer_since")
    ]


def test_an_unknown_schema_version_is_refused_first(hvac_json):
    data = json.loads(hvac_json)
    data["schema_version"] = 99
    data["calendar"] = 3
    with pytest.raises(retention.BookError) as caught:
        retention.Book.from_dict(data)
    assert caught.value.code == "desk.unknown_schema_version"
    assert caught.value.path == "schema_version"


def test_bytes_that_are_not_utf8_are_malformed_json():
    with pytest.raises(retention.BookError) as caught:
        retention.Book.from_json(b'{"schema_version": 1, "business": "\xff"}')
    assert caught.value.code == "desk.malformed_json"


def test_from_json_reads_only_text():
    with pytest.raises(TypeError, match="str or bytes"):
        retention.Book.from_json(12)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        retention.Book.from_dict({"schema_version": 1, "at": datetime(2026, 1, 1)})
