"""The demo company, built from the recipe in resources/demo/ so the app is alive at once."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from app.models import (
    Activity,
    CatalogCategory,
    CatalogItem,
    Client,
    Company,
    Contact,
    CrewAssignment,
    CrewMember,
    CrewRole,
    CrewUnavailability,
    EquipmentItem,
    Estimate,
    EstimateParameter,
    LabourHoliday,
    LabourRuleSet,
    LineItem,
    LineQuoteCandidate,
    Milestone,
    Project,
    ProjectType,
    Role,
    Section,
    SubRentalRate,
    Supplier,
    SupplierQuote,
    SupplierQuoteBreak,
    SupplierQuoteItem,
)
from app.models.types import utcnow
from app.services.company.settings import logo_from_file
from app.services.crew.board import call_hours
from app.services.estimate.parameters import ParameterSpec, resolve
from app.services.paths import demo_database, resources_dir
from app.services.schedule.milestones import add_from_template
from app.services.schedule.templates import starter_records
from app.services.storage.database import Database, open_database
from app.services.storage.errors import StorageError

RECIPE = "demo/northlight.json"
_DECIMAL_FIELDS = {
    "quantity", "days", "hours", "unit_cost", "unit_price", "markup_pct", "margin_pct",
    "price_override", "target_margin_pct", "contingency_pct", "discount_pct", "tax_pct",
    "min_call_hours", "overtime_after_hours", "overtime_multiplier", "double_time_after_hours",
    "double_time_multiplier", "cost_rate", "bill_rate", "day_cost_rate", "day_bill_rate", "default_tax_pct",
    "weekly_overtime_after_hours", "weekend_multiplier", "holiday_multiplier",
    "meal_break_after_hours", "min_turnaround_hours", "margin_floor_pct", "value",
    "range_low_pct", "range_high_pct", "range_low", "range_high", "default_markup_pct",
    "owned_quantity", "out_of_service_quantity", "day_cost", "replacement_value", "list_price", "weight_kg",
}


def _exact(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: Decimal(v) if k in _DECIMAL_FIELDS and v is not None else v
        for k, v in data.items()
    }


def _company(raw: dict[str, Any]) -> dict[str, Any]:
    """The recipe's company block, its logo read from the file it names in resources/."""
    data = _exact(raw)
    logo_file = data.pop("logo_file", None)
    if logo_file:
        data["logo"] = logo_from_file(resources_dir() / logo_file)
    return data


def load_recipe(path: Path | None = None) -> dict[str, Any]:
    path = path or resources_dir() / RECIPE
    with path.open(encoding="utf-8") as handle:
        recipe: dict[str, Any] = json.load(handle)
    return recipe


def is_empty(db: Database) -> bool:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Company)) == 0


def build_demo(db: Database, recipe: dict[str, Any] | None = None) -> None:
    """Write the demo company into an empty database, in one transaction."""
    recipe = recipe or load_recipe()
    if not is_empty(db):
        raise StorageError(f"{db.display_name} already holds a company; the demo needs an empty database.")
    with db.session() as session:
        session.add(Company(**_company(recipe["company"])))
        rule_sets = {r["name"]: LabourRuleSet(**_exact({k: v for k, v in r.items() if k != "holidays"}))
                     for r in recipe["rule_sets"]}
        roles = {r["name"]: Role(**_exact(r)) for r in recipe["roles"]}
        suppliers = {s["name"]: Supplier(**s) for s in recipe["suppliers"]}
        session.add_all([*rule_sets.values(), *roles.values(), *suppliers.values()])
        # No ORM relationships tie the tables together, so flush parents before children.
        session.flush()
        session.add_all(
            LabourHoliday(rule_set_id=rule_sets[r["name"]].id, day=date.fromisoformat(h["day"]),
                          name=h.get("name", ""))
            for r in recipe["rule_sets"] for h in r.get("holidays", [])
        )
        catalog: dict[str, CatalogItem] = {}
        for raw in recipe["catalog"]:
            item = dict(raw)
            supplier = item.pop("supplier", None)
            role = item.pop("role", None)
            entry = CatalogItem(**_exact(item))
            entry.supplier_id = suppliers[supplier].id if supplier else None
            entry.role_id = roles[role].id if role else None
            catalog[entry.name] = entry
        session.add_all(catalog.values())
        headings = dict.fromkeys(item.category for item in catalog.values() if item.category)
        session.add_all(CatalogCategory(name=name, position=n) for n, name in enumerate(headings, 1))
        session.flush()
        _add_stock(session, recipe, catalog, suppliers)
        quoted = _add_supplier_quotes(session, recipe, catalog, suppliers)
        types = starter_records()
        for parents in (True, False):
            session.add_all(t for t in types if isinstance(t, ProjectType) is parents)
            session.flush()
        type_ids = {t.name: t.id for t in types if isinstance(t, ProjectType)}
        for raw_client in recipe["clients"]:
            client = Client(name=raw_client["name"], notes=raw_client.get("notes", ""))
            session.add(client)
            session.flush()
            for contact in raw_client.get("contacts", []):
                session.add(Contact(client_id=client.id, **contact))
            for raw_project in raw_client.get("projects", []):
                _add_project(session, client, raw_project, rule_sets, roles, catalog, quoted, type_ids)
        session.flush()
        _add_crew(session, recipe, roles)
        _add_follow_ups(session, date.today())
        _add_pipeline(session)
        session.commit()


# The pipeline: when each open project's client is expected to decide; the keynote, a lead the AM
# rates better than the stage's 10 %, has its own probability.
_DECISIONS = {
    "Vantage @ MedTech Expo": (date(2027, 2, 12), None),
    "Orbital partner summit": (date(2027, 2, 19), None),
    "Orbital Summit keynote": (date(2027, 3, 26), Decimal(30)),
}


def _add_pipeline(session: Any) -> None:
    for project in session.scalars(select(Project).where(col(Project.name).in_(list(_DECISIONS)))):
        project.decision_date, project.win_probability_pct = _DECISIONS[project.name]


def open_demo(path: Path | None = None) -> Database:
    """The demo database (``demo.db`` in the data folder): built on first use, reopened after.

    It is a file of its own, so trying the demo never writes into the company's database.
    """
    target = path or demo_database()
    target.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(target)
    try:
        if is_empty(db):
            build_demo(db)
    except BaseException:
        db.close()
        raise
    return db


def _add_stock(session: Any, recipe: dict[str, Any], catalog: dict[str, CatalogItem],
               suppliers: dict[str, Supplier]) -> None:
    """The equipment the company owns, each sold by a catalog item, and the sub-rental rates."""
    stock: dict[str, EquipmentItem] = {}
    for raw in recipe.get("equipment", []):
        spec = _exact(raw)
        sold_as = spec.pop("catalog", None)
        for key in ("out_of_service_from", "out_of_service_until"):
            if spec.get(key):
                spec[key] = date.fromisoformat(spec[key])
        item = EquipmentItem(**spec, catalog_item_id=catalog[sold_as].id if sold_as else None)
        stock[item.name] = item
    session.add_all(stock.values())
    session.flush()
    session.add_all(
        SubRentalRate(equipment_item_id=stock[r["item"]].id, supplier_id=suppliers[r["supplier"]].id,
                      day_cost=Decimal(r["day_cost"]), notes=r.get("notes", ""))
        for r in recipe.get("subrental_rates", [])
    )


def _add_supplier_quotes(session: Any, recipe: dict[str, Any], catalog: dict[str, CatalogItem],
                         suppliers: dict[str, Supplier]) -> dict[str, SupplierQuoteItem]:
    """Suppliers' quotes dated from today (one expired, one short: the demo stays current), with their
    items and breaks; returns each quote's (first) item by the quote's number, for the lines."""
    items: dict[str, SupplierQuoteItem] = {}
    for raw in recipe.get("supplier_quotes", []):
        spec = dict(raw)
        quoted_on = date.today() - timedelta(days=spec.pop("dated_days_ago"))
        valid_until = quoted_on + timedelta(days=spec.pop("valid_for_days"))
        quote = SupplierQuote(**{k: v for k, v in spec.items() if k not in ("supplier", "items")},
                              supplier_id=suppliers[spec["supplier"]].id, quote_date=quoted_on,
                              valid_until=valid_until)
        session.add(quote)
        session.flush()
        for position, raw_item in enumerate(spec["items"]):
            item_spec = _exact({k: v for k, v in raw_item.items() if k not in ("catalog", "breaks")})
            priced = catalog[raw_item["catalog"]].id if "catalog" in raw_item else None
            item = SupplierQuoteItem(**item_spec, supplier_quote_id=quote.id, position=position,
                                     catalog_item_id=priced)
            session.add(item)
            session.flush()
            items.setdefault(quote.number, item)
            session.add_all(SupplierQuoteBreak(item_id=item.id, min_quantity=Decimal(b["min_quantity"]),
                                               unit_cost=Decimal(b["unit_cost"]))
                            for b in raw_item.get("breaks", []))
    return items


def _add_project(session: Any, client: Client, raw: dict[str, Any], rule_sets: dict[str, LabourRuleSet],
                 roles: dict[str, Role], catalog: dict[str, CatalogItem],
                 quoted: dict[str, SupplierQuoteItem], type_ids: dict[str, Any]) -> None:
    data = dict(raw)
    estimates = data.pop("estimates", [])
    rule_set = data.pop("rule_set", None)
    kind = data.pop("type", None)
    milestones = data.pop("milestones", [])
    for key in ("start_date", "end_date", "show_start_date", "show_end_date"):
        if data.get(key):
            data[key] = date.fromisoformat(data[key])
    project = Project(client_id=client.id, **data)
    project.labour_rule_set_id = rule_sets[rule_set].id if rule_set else None
    project.project_type_id = type_ids[kind] if kind else None
    session.add(project)
    session.flush()
    _add_milestones(session, project, milestones)
    by_name: dict[str, Estimate] = {}
    for position, raw_estimate in enumerate(estimates):
        est = dict(raw_estimate)
        sections = est.pop("sections", [])
        parameters = est.pop("parameters", [])
        based_on = est.pop("based_on", None)
        estimate = Estimate(project_id=project.id, position=position, **_exact(est))
        estimate.based_on_id = by_name[based_on].id if based_on else None
        by_name[estimate.name] = estimate
        session.add(estimate)
        session.flush()
        specs = [ParameterSpec(p["name"], Decimal(p.get("value", "0")), p.get("formula", ""))
                 for p in parameters]
        values = resolve(specs).values
        for p_pos, raw_parameter in enumerate(parameters):
            par = _exact(raw_parameter)
            par["value"] = values[par["name"]]
            session.add(EstimateParameter(estimate_id=estimate.id, position=p_pos, **par))
        for s_pos, raw_section in enumerate(sections):
            sec = dict(raw_section)
            lines = sec.pop("lines", [])
            section = Section(estimate_id=estimate.id, position=s_pos, **sec)
            session.add(section)
            session.flush()
            for l_pos, raw_line in enumerate(lines):
                spec = dict(raw_line)
                follows, candidates = spec.pop("follows_quote", None), spec.pop("candidate_quotes", [])
                line = _line(section, l_pos, spec, roles, catalog)
                line.supplier_quote_item_id = quoted[follows].id if follows else None
                session.add(line)
                if candidates:
                    session.flush()  # the line before the quotes it keeps (no ORM relationships)
                session.add_all(LineQuoteCandidate(line_item_id=line.id, supplier_quote_item_id=quoted[n].id,
                                                   position=p) for p, n in enumerate(candidates))


def _add_milestones(session: Any, project: Project, changes: list[dict[str, Any]]) -> None:
    """The project's type's template, then the recipe's changes: one of them by name, or one more."""
    if project.project_type_id is not None:
        add_from_template(session.connection(), project.id)
    listed = session.scalars(select(Milestone).where(col(Milestone.project_id) == project.id))
    own = {m.name: m for m in listed}
    for raw in changes:
        spec = dict(raw)
        if spec.get("fixed_date"):
            spec["fixed_date"] = date.fromisoformat(spec["fixed_date"])
        if spec.get("done_at"):
            spec.update(done=True, done_at=datetime.fromisoformat(spec["done_at"]))
        milestone = own.get(spec["name"]) or Milestone(project_id=project.id, position=len(own))
        for key, value in spec.items():
            setattr(milestone, key, value)
        session.add(milestone)


def _line(section: Section, position: int, raw: dict[str, Any], roles: dict[str, Role],
          catalog: dict[str, CatalogItem]) -> LineItem:
    spec = dict(raw)
    values: dict[str, Any] = {}
    item_name = spec.pop("catalog", None)
    role_name = spec.pop("role", None)
    if item_name:
        item = catalog[item_name]
        values.update(
            kind=item.kind, description=item.name, client_description=item.client_description,
            unit=item.unit, unit_cost=item.unit_cost, price_basis=item.price_basis,
            markup_pct=item.markup_pct, unit_price=item.unit_price, margin_pct=item.margin_pct,
            supplier_id=item.supplier_id, role_id=item.role_id, catalog_item_id=item.id,
        )
    if role_name:
        role = roles[role_name]
        values.update(role_id=role.id, unit_cost=role.cost_rate, unit_price=role.bill_rate,
                      price_basis="unit_price", description=spec.get("description", role.name))
    values.update(_exact(spec))
    if values.get("call_date"):
        values["call_date"] = date.fromisoformat(values["call_date"])
    for key in ("start_time", "end_time"):
        if values.get(key):
            values[key] = time.fromisoformat(values[key])
    return LineItem(section_id=section.id, position=position, **values)


def _add_crew(session: Any, recipe: dict[str, Any], roles: dict[str, Role]) -> None:
    """The crew with their roles and days off, then their assignments (see _crew_about in the recipe)."""
    members: dict[str, CrewMember] = {}
    for raw in recipe.get("crew", []):
        spec = dict(raw)
        role_specs = spec.pop("roles", [])
        days_off = spec.pop("unavailable", [])
        if spec.get("max_weekly_hours") is not None:
            spec["max_weekly_hours"] = Decimal(spec["max_weekly_hours"])
        member = CrewMember(**spec)
        members[member.name] = member
        session.add(member)
        for role in role_specs:
            name, rate = (role, None) if isinstance(role, str) else (role["role"], role.get("cost_rate"))
            session.add(CrewRole(crew_member_id=member.id, role_id=roles[name].id,
                                 cost_rate_override=Decimal(rate) if rate is not None else None))
        for off in days_off:
            session.add(CrewUnavailability(crew_member_id=member.id, day=date.fromisoformat(off["day"]),
                                           reason=off.get("reason", "")))
    session.flush()
    projects = {p.name: p for p in session.scalars(select(Project))}
    for raw in recipe.get("assignments", []):
        project = projects[raw["project"]]
        values: dict[str, Any] = {"crew_member_id": members[raw["crew"]].id, "project_id": project.id,
                                  "status": raw.get("status", "tentative"), "notes": raw.get("notes", "")}
        if "call" in raw:
            line = _call_line(session, project, raw["call"])
            start, length = call_hours(line.start_time, line.end_time, line.hours)
            day = date.fromisoformat(raw["day"]) if "day" in raw else line.call_date
            assert day is not None, f"{raw['call']} has no call date"
            starts_at = datetime.combine(day, start)
            values.update(line_item_id=line.id, role_id=line.role_id, starts_at=starts_at,
                          ends_at=starts_at + length)
        else:
            values.update(role_id=roles[raw["role"]].id, starts_at=datetime.fromisoformat(raw["starts_at"]),
                          ends_at=datetime.fromisoformat(raw["ends_at"]))
        session.add(CrewAssignment(**values))


def _call_line(session: Any, project: Project, description: str) -> LineItem:
    """The labour line of a project's first estimate with this description."""
    line: LineItem = session.scalars(
        select(LineItem)
        .join(Section, col(LineItem.section_id) == col(Section.id))
        .join(Estimate, col(Section.estimate_id) == col(Estimate.id))
        .where(col(Estimate.project_id) == project.id, col(LineItem.description) == description)
        .order_by(col(Estimate.position))
    ).first()
    return line


def _add_follow_ups(session: Any, today: date) -> None:
    """The AMs' desk alive at once: an overdue follow-up, a done call, what comes next, one brief.

    Dated from ``today`` (the demo is built on first use), so the overdue one is overdue whenever
    the demo is tried; projects the recipe does not have are skipped.
    """
    projects = {p.name: p for p in session.scalars(select(Project))}
    clients = {c.name: c for c in session.scalars(select(Client))}
    plan = (
        ("Vantage @ MedTech Expo", "follow_up", "Chase the decision on the booth quote", -2, False),
        ("Orbital Summit keynote", "call", "Discovery call with Orbital's producer", -6, True),
        ("Orbital partner summit", "follow_up", "Send the staging options they asked for", 5, False),
    )
    for name, kind, subject, days, done in plan:
        project = projects.get(name)
        if project is None:
            continue
        due = today + timedelta(days=days)
        session.add(Activity(
            project_id=project.id, kind=kind, subject=subject, owner=project.account_manager, due_date=due,
            done=done, done_at=utcnow() + timedelta(days=days) if done else None))
    symphony = clients.get("Harbor City Symphony")
    if symphony is not None:
        session.add(Activity(client_id=symphony.id, kind="meeting", subject="Season planning lunch",
                             owner="Priya Shah", due_date=today + timedelta(days=12)))
    expo = projects.get("Vantage @ MedTech Expo")
    if expo is not None:
        expo.brief_goals = "Draw surgeons to the booth for the live robotic-suture demo; 400 scanned leads."
        expo.brief_audience = "Orthopaedic and general surgeons, hospital buyers; about 9,000 attendees."
        expo.brief_venue_notes = "North Hall, booth N-1120, a 40 × 40 ft island; 20 ft height limit."
        expo.brief_dates = "Load-in Mar 8, show Mar 9–11, out by midnight Mar 11."
        expo.brief_budget = Decimal("120000")
        expo.brief_must_haves = "LED wall behind the demo table, two confidence monitors, a meeting room."
        expo.brief_competitors = "Meridian Events pitched last year's booth."
        session.add(expo)
