"""Typed input: parse_decimal and parse_text give exact values or a message naming the field."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.money import format_money, format_number, format_percent
from app.services.values import COMMA_DECIMAL, InputError, parse_decimal, parse_text

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", D("1234.50")),
        ("$12", D(12)),
        ("  7 ", D(7)),
        ("€1 000", D(1000)),
        ("0.0001", D("0.0001")),
        ("-0", D(0)),
        (D("2.5"), D("2.5")),
        (3, D(3)),
    ],
)
def test_accepts_what_people_type(text: object, expected: Decimal) -> None:
    value = parse_decimal(text, "Unit cost")
    assert value == expected
    assert isinstance(value, Decimal) and not value.is_signed()


def test_percent_sign_only_for_percentages() -> None:
    assert parse_decimal("40%", "Markup", percent=True) == 40
    assert parse_decimal("12.5 %", "Markup", percent=True) == D("12.5")
    with pytest.raises(InputError, match=re.escape("Quantity must be a number; “40%” is not.")):
        parse_decimal("40%", "Quantity")


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("abc", {}, "Quantity must be a number; “abc” is not."),
        ("", {}, "Quantity cannot be empty."),
        ("   ", {}, "Quantity cannot be empty."),
        ("-5", {}, "Quantity cannot be negative."),
        ("NaN", {}, "Quantity must be a number; “NaN” is not."),
        ("inf", {}, "Quantity must be a number; “inf” is not."),
        ("-Infinity", {"minimum": None}, "Quantity must be a number; “-Infinity” is not."),
        ("1.23456", {}, "Quantity can have at most 4 decimal places."),
        ("1.234", {"places": 2}, "Quantity can have at most 2 decimal places."),
        ("1e12", {}, "Quantity is too large."),
        ("2", {"minimum": D(5)}, "Quantity must be at least 5."),
        ("24.01", {"maximum": D(24)}, "Quantity must be at most 24."),
        ("100", {"below": D(100), "percent": True}, "Quantity must be below 100 %."),
        ("0", {"above": D(0)}, "Quantity must be above 0."),
        (None, {}, "Quantity must be a number."),
        (1.5, {}, "Quantity must be a number."),
        (True, {}, "Quantity must be a number."),
    ],
)
def test_refuses_with_a_message_that_names_the_field(text: object, kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(InputError) as caught:
        parse_decimal(text, "Quantity", **kwargs)
    assert str(caught.value) == message


def test_bounds_are_inclusive_or_exclusive_as_named() -> None:
    assert parse_decimal("24", "Hours", maximum=D(24)) == 24
    assert parse_decimal("5", "Quantity", minimum=D(5)) == 5
    assert parse_decimal("99.99", "Margin", below=D(100)) == D("99.99")


def test_trailing_zeros_do_not_count_as_decimal_places() -> None:
    assert parse_decimal("1.230000", "Price", places=2) == D("1.23")


def test_empty_allowed_gives_none() -> None:
    assert parse_decimal("", "Price", allow_empty=True) is None
    assert parse_decimal(" $ ", "Price", allow_empty=True) is None


def test_negative_allowed_down_to_the_minimum() -> None:
    assert parse_decimal("-20%", "Markup", minimum=D(-100), percent=True) == -20
    with pytest.raises(InputError, match=re.escape("Markup must be at least -100 %.")):
        parse_decimal("-101%", "Markup", minimum=D(-100), percent=True)


def test_parse_text() -> None:
    assert parse_text("  Rigging  ", "Section name", max_length=20) == "Rigging"
    assert parse_text(None, "Notes", max_length=5) == ""
    with pytest.raises(InputError, match=re.escape("Section name cannot be empty.")):
        parse_text("  ", "Section name", max_length=20, required=True)
    with pytest.raises(InputError, match=re.escape("Unit can be at most 3 characters long.")):
        parse_text("panel", "Unit", max_length=3)


@pytest.mark.parametrize(
    ("text", "one_line", "lines"),
    [
        ("LED\x0bwall", "LED wall", "LED\nwall"),  # Word's line break (Shift+Enter) is a vertical tab
        ("Page\x0cbreak", "Page break", "Page\nbreak"),
        ("a\r\nb\rc", "a b c", "a\nb\nc"),
        ("tab\there", "tab here", "tab\there"),
        ("\x01bell\x07 null\x00 esc\x1b del\x7f", "bell null esc del", "bell null esc del"),
        ("lone \ud800 surrogate \uffff", "lone  surrogate", "lone  surrogate"),
        ("€ — “quoted” ünïcödé", "€ — “quoted” ünïcödé", "€ — “quoted” ünïcödé"),
    ],
)
def test_parse_text_cleans_control_characters(text: str, one_line: str, lines: str) -> None:
    assert parse_text(text, "Description", max_length=100) == one_line
    assert parse_text(text, "Notes", max_length=100, multiline=True) == lines


@pytest.mark.parametrize(
    ("value", "currency", "text"),
    [
        (D("1234.5"), "USD", "$1,234.50"),
        (D("-1234.5"), "USD", "-$1,234.50"),
        (D("0.005"), "EUR", "€0.01"),
        (D("95580"), "", "95,580.00"),
        (None, "USD", ""),
    ],
)
def test_format_money(value: Decimal | None, currency: str, text: str) -> None:
    assert format_money(value, currency) == text


def test_format_number_and_percent() -> None:
    assert format_number(D("4.500")) == "4.5"
    assert format_number(D("1E+2")) == "100"
    assert format_number(D("1234")) == "1,234"
    assert format_number(None) == ""
    assert format_percent(D("42.4137")) == "42.41 %"
    assert format_percent(None) == ""


# -- the locale's rules: a thousands separator groups three digits, only 0–9, no escape but InputError


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,5", "Quantity “1,5” is ambiguous: write 1.5 or 1,500."),
        ("12,34", "Quantity “12,34” is ambiguous: write 12.34 or 12,340."),
        (
            "1,2,3",
            "Quantity “1,2,3” is not a number: a comma must separate groups of three digits, "
            "like 1,234,567.5.",
        ),
        (
            "1,000,00",
            "Quantity “1,000,00” is not a number: a comma must separate groups of three digits, "
            "like 1,234,567.5.",
        ),
        ("１２", "Quantity must be typed with the digits 0–9, like 1250, 1,250.50 or $1,250; “１２” is not."),
        ("١٢٣", "Quantity must be typed with the digits 0–9, like 1250, 1,250.50 or $1,250; “١٢٣” is not."),
        (
            "1_000",
            "Quantity cannot use “_” between digits; write 1000 or group with commas, "
            "like 1250, 1,250.50 or $1,250.",
        ),
        ("1e999999999", "Quantity is too large."),
        ("-1e999999999", "Quantity is too large."),
        ("1e-999999999", "Quantity has too many decimal places."),
        ("9" * 5000, "Quantity is too large."),
        ("1$2", "Quantity must be a number; “1$2” is not."),
    ],
)
def test_refuses_what_is_ambiguous_naming_the_accepted_forms(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_decimal(text, "Quantity", minimum=None)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,250.00", D("1250.00")),
        ("1,250", D(1250)),
        ("1,234,567.5", D("1234567.5")),
        ("1 000 000", D(1000000)),
        ("1\u00a0000", D(1000)),  # a no-break space, as Excel and Word write it
        ("-$5", D(-5)),
        ("$-5", D(-5)),
        ("12 €", D(12)),
        (".5", D("0.5")),
        ("1e3", D(1000)),
    ],
)
def test_keeps_the_forms_accepted_before(text: str, expected: Decimal) -> None:
    assert parse_decimal(text, "Unit cost", minimum=None) == expected


def test_a_comma_decimal_locale_reads_its_own_forms() -> None:
    assert parse_decimal("1,5", "Quantity", style=COMMA_DECIMAL) == D("1.5")
    assert parse_decimal("1.250,75", "Quantity", style=COMMA_DECIMAL) == D("1250.75")
    with pytest.raises(InputError, match=re.escape("Quantity “1.5” is ambiguous: write 1,5 or 1.500.")):
        parse_decimal("1.5", "Quantity", style=COMMA_DECIMAL)


def test_a_huge_decimal_is_refused_not_overflowed() -> None:
    with pytest.raises(InputError, match="too large"):
        parse_decimal(D("1e999999999"), "Quantity")
    with pytest.raises(InputError, match="decimal places"):
        parse_decimal(D("1e-999999999"), "Quantity")


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=60),
        st.text(alphabet="0123456789,._ eE+-$€£%\u00a0١٢３", max_size=40),
        st.from_regex(r"[+-]?[0-9]{0,20}([.,][0-9]{0,20})?[eE][+-]?[0-9]{1,12}", fullmatch=True),
    )
)
def test_no_text_makes_the_parser_raise_anything_but_input_error(text: str) -> None:
    try:
        value = parse_decimal(text, "Quantity", minimum=None, percent=True, allow_empty=True)
    except InputError:
        return
    assert value is None or (isinstance(value, Decimal) and value.is_finite() and abs(value) < D("1e12"))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("1e999999999"), "1E+999999999"),
        (D("-1.5e40"), "-1.5E+40"),
        (D("NaN"), "NaN"),
        (D("Infinity"), "Infinity"),
    ],
)
def test_any_stored_figure_is_shown_without_raising_or_spelling_it_out(value: Decimal, shown: str) -> None:
    assert format_number(value) == shown and format_money(value, "USD") == shown
    assert format_percent(value) == f"{shown} %"
