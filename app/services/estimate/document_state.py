"""What the parts of an open estimate share: its state, and the few steps each part uses of the others.

:class:`app.services.estimate.document.EstimateDocument` is made of parts, each in its own file
(:class:`~app.services.estimate.loading.Loading`, :class:`~app.services.estimate.line_editing.LineEditing`,
:class:`~app.services.estimate.section_editing.SectionEditing`,
:class:`~app.services.estimate.parameter_editing.ParameterEditing`). Each part is a
:class:`DocumentState`: this one protocol says once what they read and call, and the document
(which provides all of it) is checked against it. The parts need no import of the document.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy.engine import Connection

from app.services.bounds import LineProblem
from app.services.estimate.parameters import ParameterSpec
from app.services.estimate.rows import (
    Change,
    EstimateHeader,
    LineRow,
    ParameterRow,
    SectionRow,
    _Recalculation,
)
from app.services.labour.pay import LabourRules
from app.services.lookups import Lookups
from app.services.storage.database import Database
from app.services.supply.quote_items import QuoteItemInfo


class DocumentState(Protocol):
    """An estimate in memory, as its parts see it (the document sets every attribute on opening)."""

    db: Database
    estimate_id: uuid.UUID
    header: EstimateHeader
    lookups: Lookups
    quote_items: dict[uuid.UUID, QuoteItemInfo]  # the supplier quote items lines may follow
    sections: list[SectionRow]
    parameters: list[ParameterRow]
    values: dict[str, Decimal]  # every parameter's resolved value, by name
    estimate_problems: dict[str, str]
    _lines: dict[uuid.UUID, LineRow]

    # -- queries ---------------------------------------------------------------

    def reload(self, notify: bool = True) -> None: ...

    def lines(self) -> Iterable[LineRow]: ...

    def section(self, section_id: uuid.UUID) -> SectionRow: ...

    def section_index(self, section_id: uuid.UUID) -> int: ...

    def locate(self, line_id: uuid.UUID) -> tuple[int, int]: ...

    def alternatives_of(self, line: LineRow) -> list[LineRow]: ...

    def parameter_error(self, name: str) -> str | None: ...

    def rules_for(self, line: LineRow) -> LabourRules | None: ...

    # -- pricing and announcing --------------------------------------------------

    def _emit(self, change: Change) -> None: ...

    def _index_sections(self) -> None: ...

    def _resolve_parameters(self, specs: list[ParameterSpec] | None = None) -> None: ...

    def _price(self, line: LineRow) -> None: ...

    def _price_figures(self, line: LineRow) -> None: ...

    def _new_problem(self, line: LineRow, changes: dict[str, Any]) -> LineProblem | None: ...

    def _retotal(self) -> None: ...

    def _formula_result(self, source: str, column: str,
                        values: dict[str, Decimal] | None = None) -> Decimal: ...

    def formula_values(self, line: LineRow, values: dict[str, Decimal] | None = None,
                       planned: dict[uuid.UUID, dict[str, Decimal]] | None = None) -> dict[str, Decimal]: ...

    def _replace_rows(self, change: Change, rows: list[Any], new_order: list[Any]) -> None: ...

    # -- writing -------------------------------------------------------------------

    @staticmethod
    def _update_row(conn: Connection, table: Any, row_id: uuid.UUID, version: int,
                    values: dict[str, Any]) -> None: ...

    def _write(self, *section_ids: uuid.UUID,
               reorder: bool = False) -> AbstractContextManager[Connection]: ...

    def _write_results(self, conn: Connection, plan: _Recalculation) -> None: ...
