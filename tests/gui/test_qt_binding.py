"""Guards against known-bad Qt bindings: the app and its tests read model data from Python."""

from __future__ import annotations

import sys

from PySide6.QtGui import QStandardItem, QStandardItemModel


def test_reading_an_empty_model_value_keeps_none_alive() -> None:
    """PySide6 6.12.0 lost a reference to None on every empty QModelIndex.data(); it then aborts."""
    model = QStandardItemModel()
    model.appendRow(QStandardItem("x"))
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(500):
        assert index.data(0x0300) is None
    assert sys.getrefcount(None) >= before - 10
