"""Render Tandem's main window on the demo database to PNG files (for the README and for review).

    python tools/screenshot.py [OUT_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def capacity_shot(db, out: Path) -> Path:  # type: ignore[no-untyped-def]
    """The capacity chart for the Vantage show fortnight, with the demo's crew (else the crew scene)."""
    from datetime import date

    from PySide6.QtWidgets import QApplication

    from app.services.crew.people import load_crew
    from app.ui.crew.capacity_view import CapacityView
    from tests.crew_scene import build_crew_scene

    if not load_crew(db):
        build_crew_scene(db)
    view = CapacityView()
    view.resize(1400, 520)
    view.set_database(db)
    view.show()
    view.set_range(date(2027, 3, 1), date(2027, 3, 14))
    view.canvas.draw()
    view.canvas.setFocus()  # no date field highlighted in the picture
    QApplication.processEvents()
    path = out / "capacity.png"
    view.grab().save(str(path))
    view.close()
    return path


def outlook_shot(db, out: Path) -> Path:  # type: ignore[no-untyped-def]
    """View › Capacity outlook over March – May 2027: the demo with the outlook scene's pipeline, which
    over-books the riggers and the moving heads in the week of 12 April (that cell chosen)."""
    from datetime import date

    from PySide6.QtWidgets import QApplication

    from app.ui.outlook.panel import OutlookPanel
    from tests.outlook_scene import OVER_WEEK, build_outlook_scene

    build_outlook_scene(db)
    panel = OutlookPanel()
    panel.resize(1500, 820)
    panel.show()
    panel.db = db
    panel.set_range(date(2027, 3, 1), 12)
    while not panel.is_loaded() or panel.model.table is None:  # read off the GUI thread
        QApplication.processEvents()
    table = panel.model.table
    rigger = next(r.id for r in table.rows if r.name == "Rigger")
    panel.select_cell(rigger, OVER_WEEK)
    panel.grid.setFocus()
    QApplication.processEvents()
    panel.chart.canvas.draw()
    QApplication.processEvents()
    path = out / "outlook.png"
    panel.grab().save(str(path))
    panel.close()
    return path


def company_shots(app, db, out: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    """The first run's welcome window, the set-up form (one field refused) and the demo's settings."""
    from app.services.company.settings import load_company
    from app.ui.company.settings_dialog import CompanySettingsDialog
    from app.ui.company.setup_dialog import CompanySetupDialog
    from app.ui.company.welcome import WelcomeWindow
    from app.ui.dialogs import UserDialogs

    made = []
    from PySide6.QtWidgets import QLabel

    from app import __version__

    welcome = WelcomeWindow()
    footer = welcome.findChild(QLabel, "welcomeFooter")  # the usual folder, not this run's temporary one
    footer.setText(f"Tandem {__version__} · your data folder is ~/.local/share/Tandem")
    setup = CompanySetupDialog(UserDialogs(), "~/.local/share/Tandem/tandem.db")
    form = setup.form
    for key, text in (("name", "Brightside Events"), ("address", "40 Mill Street\nToronto, ON M5A 3R3"),
                      ("email", "quotes at brightside"), ("currency", "CAD"), ("tax_label", "HST"),
                      ("default_tax_pct", "13"), ("quote_number_pattern", "BE-{year}-{seq:03}")):
        form.editors[key].setText(text)
        form.check(key)
    row = load_company(db)
    assert row is not None
    settings = CompanySettingsDialog(UserDialogs(), db, row)
    shots = ((welcome, "welcome.png"), (setup, "company-setup.png"), (settings, "company-settings.png"))
    for widget, name in shots:
        widget.show()
        app.processEvents()
        widget.grab().save(str(out / name))
        made.append(out / name)
        widget.close()
        widget.deleteLater()
    return made


def availability_shot(app, db, out: Path) -> Path:  # type: ignore[no-untyped-def]
    """The full booth's production pane, its panels short (the demo's stock, else the equipment scene
    of the tests: 400 owned, 300 held by a won project and 60 by a quoted one that week)."""
    from app.services.equipment.availability import hold_index
    from app.ui.main_window import MainWindow
    from tests.availability_scene import add_stock, catalog_item, panel_scene
    from tests.factories import estimate_id

    if not hold_index(db).holds:
        panel_scene(db)
        add_stock(db, "10 ft box truss", 40, catalog_item(db, "10 ft box truss"))  # one that fits
    window = MainWindow()
    window.resize(1920, 1000)
    window.set_database(db)
    window.show()
    window.open_estimate(estimate_id(db, "Full booth"))
    workspace = window.workspace
    assert workspace is not None
    workspace.splitter.setSizes([560, 1360])
    workspace.focus_row(workspace.doc.sections[-1].lines[0].id)  # the selection would hide the red
    app.processEvents()
    path = out / "availability.png"
    workspace.production_pane.grab().save(str(path))
    window.close()
    window.deleteLater()
    return path


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TANDEM_HOME"] = tmp
        from PySide6.QtWidgets import QApplication

        from app.services.demo import build_demo
        from app.services.storage.database import open_database
        from app.ui.main_window import MainWindow

        app = QApplication(sys.argv)
        db = open_database(Path(tmp) / "demo.db")
        build_demo(db)
        window = MainWindow()
        window.resize(1920, 1000)
        window.set_database(db)
        window.show()
        workspace = window.workspace
        assert workspace is not None
        doc = workspace.doc
        workspace.focus_row(doc.sections[0].lines[0].id)
        app.processEvents()
        window.grab().save(str(out / "workspace.png"))
        print(out / "workspace.png")
        for path in follow_ups_shot(app, window, out):
            print(path)
        print(capacity_shot(db, out))
        for path in company_shots(app, db, out):
            print(path)
        print(pipeline_shot(db, out))
        print(availability_shot(app, db, out))  # its holding projects are not in the pictures above
        _calendar(app, db, out)  # last: its crew scene would change the other pictures
        print(equipment_timeline_shot(db, out))  # after it: without stock it adds the equipment scene
        for path in deadlines_shots(db, out):  # last: without milestones it adds the deadlines scene
            print(path)
        for path in client_page_shots(db, out):  # after it: it sends quotes and logs activities
            print(path)
        print(dashboard_shot(db, out))  # after all: it adds the dashboard scene's projects
        print(outlook_shot(db, out))  # after them all: its pipeline would change the pictures above
        window.close()
        db.close()
    return 0


def follow_ups_shot(app, window, out: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    """The start page with My follow-ups (the demo's overdue one first), then the estimate with the
    Brief dock beside it (the MedTech booth's brief, the demo's one filled in)."""
    from PySide6.QtCore import Qt

    desk = window.desk.activities
    panel = desk.start_page.follow_ups
    desk.show_start_page()
    while not panel.is_loaded():  # read off the GUI thread
        app.processEvents()
    app.processEvents()
    made = [out / "follow-ups.png", out / "brief.png"]
    window.grab().save(str(made[0]))
    window.places.setCurrentIndex(0)
    desk.brief_dock.show()
    window.resizeDocks([desk.brief_dock], [460], Qt.Orientation.Horizontal)
    app.processEvents()
    window.grab().save(str(made[1]))
    desk.brief_dock.hide()
    window.places.removeTab(window.places.indexOf(desk.start_page))
    app.processEvents()
    return made


def dashboard_shot(db, out: Path) -> Path:  # type: ignore[no-untyped-def]
    """View › Dashboard in the PM's view, December 2026 to June 2027: the demo's projects and the
    dashboard scene's two clients and eight projects at every stage."""
    from datetime import date

    from PySide6.QtWidgets import QApplication

    from app.ui.dashboard.panel import DashboardPanel
    from tests.dashboard_scene import JOBS, add_job

    clients: dict = {}  # type: ignore[type-arg]
    for job in JOBS:
        add_job(db, clients, job)
    panel = DashboardPanel()
    panel.resize(1760, 860)
    panel.pm_view = True
    panel.set_range(date(2026, 12, 1), date(2027, 6, 30))
    panel.set_database(db)
    panel.show()
    read = []
    panel.drawn.connect(lambda: read.append(True))
    panel.refresh()
    while not read:  # read off the GUI thread
        QApplication.processEvents()
    panel.splitter.setSizes([1340, 420])
    QApplication.processEvents()
    panel.canvas.draw()
    panel.canvas.setFocus()  # no cell of the table highlighted in the picture
    panel.table.setCurrentIndex(panel.model.index(-1, -1))
    QApplication.processEvents()
    path = out / "dashboard.png"
    panel.grab().save(str(path))
    panel.close()
    return path


def _calendar(app, db, out: Path) -> None:  # type: ignore[no-untyped-def]
    """The crew calendar on the Vantage load-in week, with the crew scene the GUI tests use."""
    from datetime import date, timedelta

    from app.services.crew.people import load_crew
    from app.ui.crew.panel import CrewCalendarPanel
    from app.ui.dialogs import UserDialogs
    from tests.crew_scene import LOAD_IN, build_crew_scene

    if not load_crew(db):
        build_crew_scene(db)
    panel = CrewCalendarPanel(UserDialogs())
    panel.resize(1700, 1200)
    panel.set_database(db)
    panel.show()
    panel.load(date(2027, 2, 1))
    from app.services.projects.dates import dated_projects

    vantage = [d for d in dated_projects(db) if d.name.startswith("Vantage")]
    panel.show_project(vantage[0] if vantage else None)  # its days shaded, as opened from its estimate
    panel.set_zoom("week")
    panel.view.today = date(2027, 3, 5)  # a fixed "today" so the picture does not change by the day
    panel.view.scroll_to_day(LOAD_IN + timedelta(days=4))  # the show week
    board = panel.board
    assert board is not None
    in_week = [a for a in board.assignments.values()
               if LOAD_IN <= a.starts_at.date() <= LOAD_IN + timedelta(days=7) and board.conflicts.get(a.id)]
    if in_week:
        panel.view.select(min(in_week, key=lambda a: a.starts_at).id)
    app.processEvents()
    panel.grab().save(str(out / "calendar.png"))
    print(out / "calendar.png")
    panel.close()
    panel.deleteLater()


def equipment_timeline_shot(db, out: Path) -> Path:  # type: ignore[no-untyped-def]
    """The equipment timeline on the Vantage booth's days, a shortage of panels in red (the demo's
    inventory when it has one, else the equipment scene the GUI tests use)."""
    from datetime import date, timedelta

    from PySide6.QtWidgets import QApplication

    from app.services.equipment.availability import hold_index
    from app.services.projects.dates import dated_projects
    from app.ui.equipment.timeline_panel import EquipmentTimelinePanel
    from tests.timeline_scene import build_equipment_scene

    if not hold_index(db).stock:
        build_equipment_scene(db)
    panel = EquipmentTimelinePanel()
    panel.resize(1500, 560)
    panel.set_database(db)
    panel.show()
    panel.load(date(2027, 2, 1))
    vantage = [d for d in dated_projects(db) if d.name.startswith("Vantage")]
    panel.show_project((vantage[0].first, vantage[0].last) if vantage else None)
    panel.view.painting.today = date(2027, 3, 1)  # a fixed "today" so the picture does not change by the day
    QApplication.processEvents()  # laid out: the day width is final before scrolling
    if vantage:
        panel.view.scroll_to_day(vantage[0].first - timedelta(days=5), centre=False)
    panel.view.setFocus()
    QApplication.processEvents()
    path = out / "equipment-timeline.png"
    panel.grab().save(str(path))
    panel.close()
    panel.deleteLater()
    return path


def pipeline_shot(db, out: Path) -> Path:  # type: ignore[no-untyped-def]
    """View › Pipeline on the demo, in the PM's view (margins shown)."""
    from PySide6.QtWidgets import QApplication

    from app.ui.pipeline.panel import PipelinePanel

    panel = PipelinePanel()
    panel.resize(1500, 400)
    panel.pm_view = True
    panel.set_database(db)
    panel.show()
    while not panel.is_loaded():  # read off the GUI thread
        QApplication.processEvents()
    QApplication.processEvents()
    made = out / "pipeline.png"
    panel.grab().save(str(made))
    panel.close()
    panel.deleteLater()
    return made


def deadlines_shots(db, out: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    """View › Deadlines and Project › Timeline… seen on 3 March 2027, from the demo's milestones and
    orders (else the deadlines scene the tests use); the timeline is the project with most of them."""
    from collections import Counter

    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from app.services.schedule.deadlines import MILESTONE_T, load_deadlines
    from app.ui.schedule.deadlines_panel import DeadlinesPanel
    from app.ui.schedule.project_timeline import ProjectTimelineDialog
    from tests.deadlines_scene import TODAY, build_deadlines_scene

    with db.read() as conn:
        has_milestones = conn.execute(select(MILESTONE_T.c.id).limit(1)).first() is not None
    if not has_milestones:
        build_deadlines_scene(db)
    ordered = _orders_of_won_projects(db)
    panel = DeadlinesPanel()
    panel.resize(1500, 640)
    panel.today = lambda: TODAY
    panel.set_database(db)
    panel.show()
    while not panel.is_loaded():  # read off the GUI thread
        QApplication.processEvents()
    panel.view.setFocus()
    QApplication.processEvents()
    made = [out / "deadlines.png"]
    panel.grab().save(str(made[0]))
    panel.close()
    panel.deleteLater()
    busiest = ordered or Counter(r.project_id for r in load_deadlines(db, TODAY).rows).most_common(1)[0][0]
    dialog = ProjectTimelineDialog(db, busiest, today=lambda: TODAY)
    dialog.resize(1200, 620)
    dialog.show()
    dialog.canvas.draw()
    QApplication.processEvents()
    made.append(out / "project-timeline.png")
    dialog.grab().save(str(made[1]))
    dialog.close()
    dialog.deleteLater()
    return made


def client_page_shots(db, out: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    """View › Client page (the AM's view) of the demo's client with most scenarios, its quotes sent
    (sent here when the demo has none) and activities (logged here when it has none); View › Growth grid."""
    from datetime import date, timedelta

    from PySide6.QtWidgets import QApplication

    from app.models import Activity
    from app.services.accounts.client_page import client_page
    from app.services.accounts.growth import growth_grid
    from app.services.estimate.document import EstimateDocument
    from app.services.estimate.revisions import send_quote
    from app.ui.accounts.client_page_panel import ClientPagePanel
    from app.ui.accounts.growth_panel import GrowthPanel
    from tests.factories import _record

    pages = [client_page(db, c.client_id) for c in growth_grid(db).clients]
    page = max(pages, key=lambda p: (sum(len(x.estimates) for x in p.projects), p.name))
    if not page.quotes:
        for project in page.projects:
            for estimate in project.estimates:
                send_quote(db, EstimateDocument(db, estimate.id), project.account_manager or "Priya Shah")
    if not page.activities:
        project = page.projects[0]
        today = date.today()
        rows = [
            _record(
                client_id=page.id,
                project_id=None,
                kind="call",
                subject="Intro call: next year's shows",
                notes="",
                owner=project.account_manager,
                done=True,
                done_at=None,
                due_date=None,
            ),
            _record(
                client_id=None,
                project_id=project.id,
                kind="meeting",
                subject="Site visit at the venue",
                notes="",
                owner=project.account_manager,
                done=True,
                done_at=None,
                due_date=None,
            ),
            _record(
                client_id=None,
                project_id=project.id,
                kind="follow_up",
                subject="Chase the decision",
                notes="",
                owner=project.account_manager,
                done=False,
                done_at=None,
                due_date=today + timedelta(days=3),
            ),
        ]
        with db.write() as conn:
            conn.execute(Activity.__table__.insert(), rows)  # type: ignore[attr-defined]
    panel = ClientPagePanel()
    panel.resize(1400, 670)
    panel.show_client(db, page.id)
    panel.show()
    while not panel.is_complete():  # read off the GUI thread
        QApplication.processEvents()
    for _ in range(5):  # the layout follows the tables' new heights
        QApplication.processEvents()
    made = [out / "client-page.png", out / "growth-grid.png"]
    panel.grab().save(str(made[0]))
    panel.close()
    panel.deleteLater()
    grid = GrowthPanel()
    grid.resize(700, 250)
    grid.set_database(db)
    grid.show()
    while not grid.is_loaded():
        QApplication.processEvents()
    QApplication.processEvents()
    grid.grab().save(str(made[1]))
    grid.close()
    grid.deleteLater()
    return made


def _orders_of_won_projects(db):  # type: ignore[no-untyped-def]
    """Project › Prepare orders on each won project (the demo's gala); the last one with orders."""
    from sqlalchemy import select

    from app.models import Project
    from app.services.supply.orders import load_orders, prepare_orders

    table = Project.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        won = [r.id for r in conn.execute(select(table.c.id).where(table.c.status == "won",
                                                                  table.c.deleted_at.is_(None)))]
    chosen = None
    for project_id in won:
        prepare_orders(db, project_id)
        if load_orders(db, project_id):
            chosen = project_id
    return chosen


if __name__ == "__main__":
    sys.exit(main())
