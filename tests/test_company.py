"""The company's settings and setting up a new database: app/services/company/, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import threading
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select, update

from app.models import CatalogCategory, Company, Estimate, LabourRuleSet, LostReason, Role
from app.services import directory
from app.services.company import settings
from app.services.company.settings import (
    example_quote_number,
    format_quote_number,
    load_company,
    logo_bytes,
    logo_from_file,
    parse_pattern,
    save_field,
)
from app.services.company.setup import (
    STARTER_CATEGORIES,
    STARTER_LOST_REASONS,
    AlreadySetUp,
    set_up_company,
)
from app.services.demo import open_demo
from app.services.estimate.document import EstimateDocument
from app.services.estimate.revisions import send_quote
from app.services.labour.pay import split_hours
from app.services.lookups import rules_from_row
from app.services.paths import data_dir
from app.services.storage.database import Database, open_database
from app.services.storage.versioned import EditConflict
from app.services.values import InputError
from tests.factories import make_estimate, make_project

D = Decimal
GOOD = {"name": "Brightside Events", "currency": "cad", "default_tax_pct": "13", "tax_label": "HST",
        "target_margin_pct": "35", "margin_floor_pct": "25", "contingency_pct": "5",
        "quote_number_pattern": "BE-{year}-{seq:03}", "quote_validity_days": "21",
        "address": "40 Mill St\nToronto, ON M5A 3R3", "email": "hello@brightside.example"}


def _counts(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return {m.__name__: conn.execute(select(func.count()).select_from(m)).scalar_one()  # type: ignore[arg-type]
                for m in (Company, Role, LabourRuleSet, CatalogCategory, LostReason)}


def _png(path: Path, size: tuple[int, int] = (120, 40)) -> Path:
    Image.new("RGB", size, (14, 116, 144)).save(path, "PNG")
    return path


# -- setting up ------------------------------------------------------------------------------------


def test_a_new_database_has_no_company_until_it_is_set_up(any_db: Database) -> None:
    assert load_company(any_db) is None
    set_up_company(any_db, GOOD)
    company = load_company(any_db)
    assert company is not None
    values = company.values
    assert (values["name"], values["currency"], values["tax_label"]) == ("Brightside Events", "CAD", "HST")
    assert (values["default_tax_pct"], values["target_margin_pct"], values["contingency_pct"]) == (
        D(13), D(35), D(5))
    assert values["quote_validity_days"] == 21
    assert values["address"] == "40 Mill St\nToronto, ON M5A 3R3"
    assert values["default_markup_pct"] == 0  # not given: the model's default


def test_the_starter_set_is_written_with_the_company(any_db: Database) -> None:
    set_up_company(any_db, {"name": "Brightside Events"})
    with any_db.read() as conn:
        roles = {r.name: r for r in conn.execute(select(Role.__table__))}  # type: ignore[attr-defined]
        rule_sets = conn.execute(select(LabourRuleSet.__table__)).all()  # type: ignore[attr-defined]
        categories = conn.execute(select(CatalogCategory.__table__.c.name)  # type: ignore[attr-defined]
                                  .order_by(CatalogCategory.__table__.c.position)).scalars().all()  # type: ignore[attr-defined]
        reasons = conn.execute(select(LostReason.__table__.c.name)  # type: ignore[attr-defined]
                               .order_by(LostReason.__table__.c.position)).scalars().all()  # type: ignore[attr-defined]
    assert {"Stagehand", "Rigger", "A1 audio", "LED technician", "Crew chief"} <= set(roles)
    assert all(r.bill_rate > r.cost_rate > 0 for r in roles.values())
    assert len(rule_sets) == 1 and "adapt" in rule_sets[0].name
    rules = rules_from_row(rule_sets[0])
    # A 07:00–19:00 call: 8 straight + 4 overtime at ×1.5 = 14 weighted hours; 3 h is paid the 4 h minimum.
    twelve = split_hours(D(12), rules)
    assert (twelve.straight, twelve.overtime, twelve.double_time, twelve.weighted) == (D(8), D(4), 0, D(14))
    assert split_hours(D(14), rules).double_time == 2
    assert split_hours(D(3), rules).paid == 4
    assert tuple(categories) == STARTER_CATEGORIES == (
        "Audio", "Video", "Lighting", "Rigging", "Staging", "Labour", "Freight")
    assert tuple(reasons) == STARTER_LOST_REASONS


def test_setting_up_a_database_that_has_a_company_is_refused(any_demo_db: Database) -> None:
    before = _counts(any_demo_db)
    with pytest.raises(AlreadySetUp, match=r"already set up for Northlight Productions; a new company "
                                           r"needs a new database"):
        set_up_company(any_demo_db, {"name": "Brightside Events"})
    assert _counts(any_demo_db) == before


def test_two_set_ups_at_once_make_one_company(db_target: str, any_db: Database) -> None:
    dbs = [open_database(db_target) for _ in range(3)]
    outcomes: list[str] = []
    start = threading.Barrier(len(dbs))

    def set_up(db: Database, n: int) -> None:
        start.wait(10)
        try:
            set_up_company(db, {"name": f"Company {n}"})
            outcomes.append("set up")
        except AlreadySetUp:
            outcomes.append("refused")
        except BaseException as error:  # handed to the test thread
            outcomes.append(repr(error))

    threads = [threading.Thread(target=set_up, args=(db, n)) for n, db in enumerate(dbs)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        for db in dbs:
            db.close()
    assert sorted(outcomes) == ["refused", "refused", "set up"]
    counts = _counts(any_db)
    assert (counts["Company"], counts["LabourRuleSet"], counts["CatalogCategory"]) == (1, 1, 7)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("name", "  ", "Company name cannot be empty."),
    ("currency", "US", "Currency must be a 3-letter ISO code like USD, EUR or GBP; “US” is not."),
    ("currency", "U$D", "Currency must be a 3-letter ISO code like USD, EUR or GBP; “U$D” is not."),
    ("default_tax_pct", "100", "Tax rate must be below 100 %."),
    ("contingency_pct", "101", "Contingency must be at most 100 %."),
    ("target_margin_pct", "100", "Target margin must be below 100 %."),
    ("margin_floor_pct", "-5", "Margin floor cannot be negative."),
    ("default_markup_pct", "lots", "Default markup must be a number like 35, 12.5 or 12.5%; “lots” is not."),
    ("quote_validity_days", "0", "Quote validity must be at least 1."),
    ("quote_validity_days", "366", "Quote validity must be at most 365."),
    ("quote_validity_days", "", "Quote validity cannot be empty."),
    ("quote_number_pattern", "Q{year}", "Quote number pattern must contain {seq} (or {seq:04}) exactly once"),
    ("quote_number_pattern", "Q{month}-{seq}", "Quote number pattern can use {year}, {seq} and {seq:04}; "
                                               "“{month}” is not one of them."),
    ("email", "hello at brightside", "“hello at brightside” is not an email address (name@example.com)."),
    ("logo", "bm90IGFuIGltYWdl", "The logo is not a PNG or JPEG image."),
])
def test_a_bad_value_refuses_the_setup_and_writes_nothing(empty_db: Database, key: str, value: str,
                                                          message: str) -> None:
    with pytest.raises(InputError) as refused:
        set_up_company(empty_db, {**GOOD, key: value})
    assert str(refused.value).startswith(message)
    assert set(_counts(empty_db).values()) == {0}


# -- editing the settings --------------------------------------------------------------------------


def test_a_setting_is_saved_at_once_and_undone_by_saving_the_old_value(any_db: Database) -> None:
    set_up_company(any_db, GOOD)
    row = load_company(any_db)
    assert row is not None
    assert save_field(any_db, row, "target_margin_pct", "40%") is True
    assert save_field(any_db, row, "target_margin_pct", "40") is False  # nothing changed
    stored = load_company(any_db)
    assert stored is not None and stored.values["target_margin_pct"] == D(40) and stored.version == 2
    save_field(any_db, row, "target_margin_pct", D(35))  # the undo
    stored = load_company(any_db)
    assert stored is not None and stored.values["target_margin_pct"] == D(35)


def test_a_refused_setting_changes_nothing(empty_db: Database) -> None:
    set_up_company(empty_db, GOOD)
    row = load_company(empty_db)
    assert row is not None
    for key, value in (("quote_number_pattern", "Q-{year}"), ("currency", "dollars"), ("name", "")):
        with pytest.raises(InputError):
            save_field(empty_db, row, key, value)
    assert load_company(empty_db) == row


def test_two_people_editing_the_settings_conflict_and_nothing_is_lost(any_db: Database) -> None:
    set_up_company(any_db, GOOD)
    mine, theirs = load_company(any_db), load_company(any_db)
    assert mine is not None and theirs is not None
    save_field(any_db, theirs, "quote_terms", "Net 30.")
    with pytest.raises(EditConflict) as conflict:
        save_field(any_db, mine, "quote_terms", "50% deposit.")
    assert (conflict.value.mine, conflict.value.theirs) == ({"quote_terms": "50% deposit."},
                                                            {"quote_terms": "Net 30."})
    stored = load_company(any_db)
    assert stored is not None and stored.values["quote_terms"] == "Net 30."


# -- the logo --------------------------------------------------------------------------------------


def test_a_png_or_jpeg_logo_is_stored_as_base64(any_db: Database, tmp_path: Path) -> None:
    png = _png(tmp_path / "logo.png")
    jpeg = tmp_path / "logo.jpg"
    Image.new("RGB", (80, 80), (200, 30, 30)).save(jpeg, "JPEG")
    set_up_company(any_db, {"name": "Brightside Events", "logo": logo_from_file(png)})
    row = load_company(any_db)
    assert row is not None
    assert logo_bytes(row.values["logo"]) == png.read_bytes()
    save_field(any_db, row, "logo", logo_from_file(jpeg))
    stored = load_company(any_db)
    assert stored is not None and base64.b64decode(stored.values["logo"]) == jpeg.read_bytes()
    save_field(any_db, stored, "logo", "")  # removed
    assert logo_bytes(load_company(any_db).values["logo"]) is None  # type: ignore[union-attr]


def test_a_file_that_is_not_a_small_png_or_jpeg_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    with pytest.raises(InputError, match=r"^notes\.png is not a PNG or JPEG image\.$"):
        logo_from_file(text)
    truncated = tmp_path / "broken.png"
    truncated.write_bytes(_png(tmp_path / "whole.png").read_bytes()[:60])
    with pytest.raises(InputError, match=r"^broken\.png is damaged: it is not a readable PNG or JPEG "):
        logo_from_file(truncated)
    gif = tmp_path / "logo.gif"
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(InputError, match=r"^logo\.gif is not a PNG or JPEG image\.$"):
        logo_from_file(gif)
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(settings.LOGO_MAX_BYTES))
    with pytest.raises(InputError, match=r"^big\.png is 1\.0 MB; a logo can be at most 1 MB\.$"):
        logo_from_file(big)
    with pytest.raises(InputError, match=r"^Cannot read missing\.png"):
        logo_from_file(tmp_path / "missing.png")


# -- quote numbers ---------------------------------------------------------------------------------


def test_the_pattern_makes_the_number() -> None:
    assert format_quote_number("Q{year}-{seq:04}", 2027, 12) == "Q2027-0012"
    assert format_quote_number("NL{seq}", 2027, 12) == "NL12"
    assert format_quote_number("{year}/{seq:03}", 2027, 1234) == "2027/1234"  # padding never cuts
    assert parse_pattern("  EST-{seq:05}  ") == "EST-{seq:05}"
    assert example_quote_number("Q{year}-{seq:04}") .startswith("Q20")
    for bad in ("Q{seq}-{seq}", "Q{year}", "Q{seq", "Q}{seq}", "Q {seq}", "Q{seq:4x}", "X" * 38 + "{seq}"):
        with pytest.raises(InputError):
            parse_pattern(bad)


def test_quotes_are_numbered_by_the_company_pattern_and_never_repeat(any_demo_db: Database) -> None:
    company = load_company(any_demo_db)
    assert company is not None
    save_field(any_demo_db, company, "quote_number_pattern", "NL-{seq:03}")
    full = EstimateDocument(any_demo_db, _estimate(any_demo_db, "Full booth"))
    half = EstimateDocument(any_demo_db, _estimate(any_demo_db, "Half booth"))
    with any_demo_db.write() as conn:  # a number given by hand that the next one would take
        conn.execute(update(Estimate.__table__).where(Estimate.__table__.c.name == "Gala AV")  # type: ignore[attr-defined]
                     .values(quote_number="NL-002"))
    assert send_quote(any_demo_db, full, "dana").quote_number == "NL-003"  # 1 numbered already: 2 is taken
    assert send_quote(any_demo_db, half, "dana").quote_number == "NL-004"
    with any_demo_db.write() as conn:  # a pattern broken by another program: the default, still unique
        conn.execute(update(Company.__table__).values(quote_number_pattern="Q{year}"))  # type: ignore[attr-defined]
    keynote = EstimateDocument(any_demo_db, _estimate(any_demo_db, "Keynote package"))
    number = send_quote(any_demo_db, keynote, "dana").quote_number
    assert number.startswith("Q20") and number.endswith("-0004")


def _estimate(db: Database, name: str) -> uuid.UUID:
    table = Estimate.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        return uuid.UUID(str(conn.execute(select(table.c.id).where(table.c.name == name)).scalar_one()))


# -- new work takes the defaults -------------------------------------------------------------------


def test_a_new_estimate_takes_the_company_defaults(any_db: Database) -> None:
    set_up_company(any_db, GOOD)
    project_id = make_project(any_db)
    estimate_id = directory.create_estimate(any_db, project_id, "Main stage")
    header = EstimateDocument(any_db, estimate_id).header
    assert (header.target_margin_pct, header.margin_floor_pct, header.contingency_pct, header.tax_pct,
            header.discount_pct) == (D(35), D(25), D(5), D(13), D(0))
    assert header.currency == "CAD"


def test_without_a_company_a_new_estimate_starts_at_zero(empty_db: Database) -> None:
    estimate_id = make_estimate(empty_db, lines=1, sections=1)
    header = EstimateDocument(empty_db, directory.create_estimate(
        empty_db, EstimateDocument(empty_db, estimate_id).header.project_id, "Second")).header
    assert (header.target_margin_pct, header.contingency_pct, header.tax_pct) == (0, 0, 0)


# -- the demo in its own file ----------------------------------------------------------------------


def test_the_demo_goes_into_its_own_file_in_the_data_folder(tandem_home: Path) -> None:
    db = open_demo()
    try:
        assert db.path == data_dir() / "demo.db"
        company = load_company(db)
        assert company is not None and company.values["name"] == "Northlight Productions"
        assert logo_bytes(company.values["logo"]) is not None  # the bundled logo, stored
        assert company.values["tax_label"] == "Sales tax"
        before = _counts(db)
    finally:
        db.close()
    again = open_demo()  # reopened, not built twice
    try:
        assert _counts(again) == before
    finally:
        again.close()
    assert not (tandem_home / "tandem.db").exists()


# -- the quote of a company set up from scratch ----------------------------------------------------


def test_a_new_companys_quote_is_headed_by_its_settings(empty_db: Database, tmp_path: Path) -> None:
    from datetime import date, timedelta

    from openpyxl import load_workbook

    from app.services.excel.quote import export_quote

    set_up_company(empty_db, {**GOOD, "quote_terms": "Net 30 days.\nDeposit 50% on signature.",
                              "phone": "+1 416 555 0100", "logo": logo_from_file(_png(tmp_path / "l.png"))})
    doc = EstimateDocument(empty_db, make_estimate(empty_db, lines=3, sections=1))
    doc.set_estimate_fields({"tax_pct": D(13)})
    path = tmp_path / "quote.xlsx"
    export_quote(doc, path)
    ws = load_workbook(path)["Quote"]
    col_a = [row[0].value for row in ws.iter_rows()]
    by_label = {row[0].value: row[1].value for row in ws.iter_rows() if row[0].value}
    assert col_a[:4] == ["Brightside Events", "40 Mill St", "Toronto, ON M5A 3R3",
                         "+1 416 555 0100 · hello@brightside.example"]
    valid = date.today() + timedelta(days=21)
    assert by_label["Valid until"] == f"{valid.day} {valid:%b %Y}"
    assert "HST" in by_label and "Total (CAD)" in by_label and "Tax" not in by_label
    assert "Net 30 days." in col_a and "Deposit 50% on signature." in col_a
    assert len(ws._images) == 1


def test_the_demo_recipe_s_company_is_valid_settings() -> None:
    from app.services.demo import load_recipe

    company = dict(load_recipe()["company"])
    assert company.pop("logo_file") == "northlight-logo.png"
    good, refused = settings.parse_all(company)
    assert refused == {}
    assert set(good) | {"logo"} == set(settings.FIELD_KEYS)  # every setting filled in the demo
    assert good["default_tax_pct"] == 0  # the demo's totals are EXAMPLE.md's, untaxed
