"""Typed input: parse_decimal and parse_text give exact values or a message naming the field."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.company.settings import company_locale
from app.services.company.setup import set_up_company
from app.services.money import format_money, format_number, format_percent
from app.services.storage.database import Database
from app.services.values import (
    COMMA_DECIMAL,
    EN_GB,
    EN_US,
    InputError,
    InputLocale,
    locale_for_currency,
    parse_date,
    parse_decimal,
    parse_text,
    set_input_locale,
)

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
    with pytest.raises(
        InputError, match=re.escape("Quantity must be a number like 1250, 1,250.50 or $1,250; “40%” is not.")
    ):
        parse_decimal("40%", "Quantity")


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("abc", {}, "Quantity must be a number like 1250, 1,250.50 or $1,250; “abc” is not."),
        ("", {}, "Quantity cannot be empty."),
        ("   ", {}, "Quantity cannot be empty."),
        ("-5", {}, "Quantity cannot be negative."),
        ("NaN", {}, "Quantity must be a number like 1250, 1,250.50 or $1,250; “NaN” is not."),
        ("inf", {}, "Quantity must be a number like 1250, 1,250.50 or $1,250; “inf” is not."),
        (
            "-Infinity",
            {"minimum": None},
            "Quantity must be a number like 1250, 1,250.50 or $1,250; “-Infinity” is not.",
        ),
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
        ("1$2", "Quantity must be a number like 1250, 1,250.50 or $1,250; “1$2” is not."),
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


# -- the company's locale: short dates, currency marks, 1.5k where an amount is expected -----------

TODAY = date(2026, 12, 1)


@pytest.fixture(params=[EN_US, EN_GB], ids=["en-US", "en-GB"])
def locale(request: pytest.FixtureRequest) -> InputLocale:
    set_input_locale(request.param)
    return request.param  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("us", "gb", "expected"),
    [
        ("5/10/27", "10/05/27", date(2027, 5, 10)),
        ("5/10/2027", "10/5/2027", date(2027, 5, 10)),
        ("12/31/27", "31/12/27", date(2027, 12, 31)),
        ("2/29/28", "29/02/28", date(2028, 2, 29)),
        ("1/2/75", "2/1/75", date(2075, 1, 2)),  # two digits: within 50 years of today (2026)
        ("1/2/76", "2/1/76", date(1976, 1, 2)),
    ],
)
def test_the_locales_short_date(us: str, gb: str, expected: date) -> None:
    set_input_locale(EN_US)
    assert parse_date(us, "Date", today=TODAY) == expected
    set_input_locale(EN_GB)
    assert parse_date(gb, "Date", today=TODAY) == expected


def test_the_same_short_date_is_read_in_each_locales_order() -> None:
    set_input_locale(EN_US)
    assert parse_date("5/10/27", "Start") == date(2027, 5, 10)
    set_input_locale(EN_GB)
    assert parse_date("5/10/27", "Start") == date(2027, 10, 5)


@pytest.mark.parametrize("text", ["2027-05-10", "May 10 2027", "May 10, 2027", "10 May 2027", "10 May, 2027"])
def test_iso_and_month_names_are_read_in_every_locale(locale: InputLocale, text: str) -> None:
    assert parse_date(text, "Date") == date(2027, 5, 10)


@pytest.mark.parametrize(
    ("locale_", "text", "message"),
    [
        (
            EN_US,
            "13/5/27",
            "Date must be a date like 2027-03-08 or Mar 8 2027, or 3/8/27 (month/day/year); "
            "“13/5/27” is not.",
        ),
        (
            EN_US,
            "2/30/27",
            "Date must be a date like 2027-03-08 or Mar 8 2027, or 3/8/27 (month/day/year); "
            "“2/30/27” is not.",
        ),
        (
            EN_GB,
            "5/13/27",
            "Date must be a date like 2027-03-08 or Mar 8 2027, or 8/3/27 (day/month/year); "
            "“5/13/27” is not.",
        ),
        (
            EN_GB,
            "soon",
            "Date must be a date like 2027-03-08 or Mar 8 2027, or 8/3/27 (day/month/year); “soon” is not.",
        ),
        (
            EN_GB,
            "10/05/027",
            "Date must be a date like 2027-03-08 or Mar 8 2027, or 8/3/27 (day/month/year); "
            "“10/05/027” is not.",
        ),
        # Canada writes short dates both ways: refused, not guessed; so for a currency Tandem does not know.
        (
            locale_for_currency("CAD"),
            "5/10/27",
            "Date must be a date like 2027-03-08 or Mar 8 2027; “5/10/27” is not.",
        ),
        (
            locale_for_currency("CHF"),
            "5/10/27",
            "Date must be a date like 2027-03-08 or Mar 8 2027; “5/10/27” is not.",
        ),
    ],
)
def test_a_refused_date_names_the_forms_the_locale_reads(
    locale_: InputLocale, text: str, message: str
) -> None:
    set_input_locale(locale_)
    with pytest.raises(InputError) as caught:
        parse_date(text, "Date")
    assert str(caught.value) == message


@settings(max_examples=200)
@given(st.dates(min_value=date(1976, 1, 1), max_value=date(2075, 12, 31)), st.booleans())
def test_any_date_in_the_locales_short_form_reads_back(day: date, four_digits: bool) -> None:
    year = f"{day.year}" if four_digits else f"{day.year % 100:02d}"
    set_input_locale(EN_US)
    assert parse_date(f"{day.month}/{day.day}/{year}", "Date", today=TODAY) == day
    set_input_locale(EN_GB)
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{year}", "Date", today=TODAY) == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.5k", D(1500)),
        ("2m", D(2_000_000)),
        ("2M", D(2_000_000)),
        ("1.5K", D(1500)),
        ("$1.5k", D(1500)),
        ("1.25 k", D(1250)),
        ("1,250k", D(1_250_000)),
        ("0.0015k", D("1.5")),
        ("-2k", D(-2000)),
        ("$1,250.00", D("1250.00")),
        ("1250", D(1250)),
    ],
)
def test_shorthand_where_an_amount_is_expected(locale: InputLocale, text: str, expected: Decimal) -> None:
    assert parse_decimal(text, "Unit cost", minimum=None, shorthand=True) == expected


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("1,5k", {"shorthand": True}, "Unit cost “1,5k” is ambiguous: write 1.5k or 1,500k."),
        ("1,5", {"shorthand": True}, "Unit cost “1,5” is ambiguous: write 1.5 or 1,500."),
        (
            "k",
            {"shorthand": True},
            "Unit cost must be a number like 1250, 1,250.50, $1,250 or 1.5k; “k” is not.",
        ),
        (
            "1.5x",
            {"shorthand": True},
            "Unit cost must be a number like 1250, 1,250.50, $1,250 or 1.5k; “1.5x” is not.",
        ),
        (
            "1.5kk",
            {"shorthand": True},
            "Unit cost must be a number like 1250, 1,250.50, $1,250 or 1.5k; “1.5kk” is not.",
        ),
        ("2m", {"shorthand": True, "maximum": D(1_000_000)}, "Unit cost must be at most 1,000,000."),
        ("1.000005k", {"shorthand": True, "places": 2}, "Unit cost can have at most 2 decimal places."),
        # Not an amount (days, hours, percentages): 2m might be two months; refused, naming the forms.
        ("1.5k", {}, "Unit cost must be a number like 1250, 1,250.50 or $1,250; “1.5k” is not."),
        ("5k%", {"percent": True}, "Unit cost must be a number like 35, 12.5 or 12.5%; “5k%” is not."),
    ],
)
def test_shorthand_keeps_the_strictness(locale: InputLocale, text: str, kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(InputError) as caught:
        parse_decimal(text, "Unit cost", **kwargs)
    assert str(caught.value) == message


@settings(max_examples=200)
@given(
    st.decimals(min_value=0, max_value=999_999, places=3, allow_nan=False, allow_infinity=False),
    st.sampled_from(["k", "K", "m", "M"]),
)
def test_shorthand_is_exact(number: Decimal, suffix: str) -> None:
    scale = D(1000) if suffix in "kK" else D(1_000_000)
    assert parse_decimal(f"{number}{suffix}", "Quantity", shorthand=True, places=12) == number * scale


@settings(max_examples=200)
@given(
    st.decimals(min_value=0, max_value=D("99999999.99"), places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([EN_US, EN_GB]),
)
def test_an_amount_as_the_locale_writes_it_reads_back(amount: Decimal, locale_: InputLocale) -> None:
    set_input_locale(locale_)
    sign = "$" if locale_ is EN_US else "£"
    assert parse_decimal(f"{sign}{amount:,.2f}", "Unit cost", shorthand=True) == amount


@pytest.mark.parametrize(
    ("locale_", "text", "expected"),
    [
        (EN_US, "USD 1,250", D(1250)),
        (EN_US, "US$1,250.50", D("1250.50")),
        (EN_US, "1,250 usd", D(1250)),
        (EN_GB, "£1,250.00", D("1250.00")),
        (EN_GB, "GBP 1,250", D(1250)),
        (EN_GB, "1,250GBP", D(1250)),
        (locale_for_currency("CAD"), "C$1,250", D(1250)),
        (locale_for_currency("CHF"), "CHF 1,250", D(1250)),
    ],
)
def test_the_companys_currency_sign_and_code(locale_: InputLocale, text: str, expected: Decimal) -> None:
    set_input_locale(locale_)
    assert parse_decimal(text, "Unit cost") == expected


def test_another_currencys_code_is_not_a_number() -> None:
    set_input_locale(EN_GB)
    with pytest.raises(
        InputError,
        match=re.escape("Unit cost must be a number like 1250, 1,250.50 or $1,250; “USD 1,250” is not."),
    ):
        parse_decimal("USD 1,250", "Unit cost")


def test_one_comma_five_is_not_fifteen_in_any_locale(locale: InputLocale) -> None:
    with pytest.raises(InputError, match=re.escape("Quantity “1,5” is ambiguous: write 1.5 or 1,500.")):
        parse_decimal("1,5", "Quantity", shorthand=True)


@pytest.mark.parametrize(
    ("currency", "name", "order"),
    [
        ("USD", "en-US", "MDY"),
        ("GBP", "en-GB", "DMY"),
        ("gbp", "en-GB", "DMY"),
        ("EUR", "en-IE", "DMY"),
        ("AUD", "en-AU", "DMY"),
        ("CAD", "en-CA", ""),
        ("JPY", "(JPY)", ""),
    ],
)
def test_a_companys_locale_follows_its_currency(
    empty_db: Database, currency: str, name: str, order: str
) -> None:
    assert company_locale_of(empty_db) is EN_US  # not set up yet: US, as before
    set_up_company(empty_db, {"name": "Vantage", "currency": currency})
    locale_ = company_locale_of(empty_db)
    assert (locale_.name, locale_.date_order) == (name, order)


def company_locale_of(db: Database) -> InputLocale:
    with db.read() as conn:
        return company_locale(conn)
