"""Where Tandem's files live: bundled resources, and the user's data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "Tandem"
DB_FILENAME = "tandem.db"
DEMO_FILENAME = "demo.db"  # the demo company, apart from the company's own database


def resources_dir() -> Path:
    """The resources/ folder: beside the package in a checkout, inside the bundle when frozen."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def data_dir() -> Path:
    """The user's data folder (``TANDEM_HOME`` overrides it, as tests do)."""
    override = os.environ.get("TANDEM_HOME")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database() -> Path:
    return data_dir() / DB_FILENAME


def demo_database() -> Path:
    """Where *Try the demo company* puts the demo: its own file, never the company's database."""
    return data_dir() / DEMO_FILENAME
