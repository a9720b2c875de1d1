"""The file name an export proposes: ``Q2026-0001 rev 2 – Vantage @ MedTech Expo.xlsx``.

One name for every file Tandem writes of an estimate (the quote in Excel or PDF, the cost
sheet, the scenario comparison), so the files of one job sort together in a folder and
say which revision they are. The names are safe on Windows, macOS and Linux: no character
any of them refuses, no name Windows reserves, no trailing dot or space, and short enough
for every file system (and for the paths around it).
"""

from __future__ import annotations

import re
import unicodedata

from app.services.estimate.document import EstimateDocument
from app.services.estimate.revisions import quote_standing
from app.services.storage.database import Database

SEPARATOR = " – "
MAX_STEM = 120  # characters before the suffix; well inside 255 bytes, and a path of 260 on Windows
FALLBACK = "Tandem export"

# Refused by Windows (and "/" everywhere, ":" by the macOS Finder), control characters too.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))}


def safe_file_name(stem: str, suffix: str, max_length: int = MAX_STEM) -> str:
    """``stem`` + ``suffix`` as a file name every system accepts: unsafe characters become "-",
    runs of spaces one space, at most ``max_length`` characters before the suffix."""
    text = unicodedata.normalize("NFC", stem)
    text = _SPACES.sub(" ", text)  # a new line or tab typed in a name is a space
    text = _UNSAFE.sub("-", text).strip()
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    # Windows drops trailing dots and spaces; a leading "-" reads as an option on a command line.
    text = text.strip(" .").lstrip("-").strip(" .") or FALLBACK
    if text.split(".")[0].strip().upper() in _RESERVED:
        text = f"_{text}"
    return text + suffix


def _short(text: str, length: int) -> str:
    text = text.strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _who(client: str, project: str) -> str:
    """The project, after the client unless the project's name already says who (``Vantage @ …``);
    long names are shortened so that what the file is (the tail) always stays in the name."""
    client, project = _short(client, 40), _short(project, 60)
    if not client:
        return project
    if not project:
        return client
    first = client.split()[0].casefold()
    return project if first in project.casefold() else f"{client}{SEPARATOR}{project}"


def export_file_name(
    *,
    quote_number: str,
    revision: int | None,
    draft: bool,
    client: str,
    project: str,
    estimate: str,
    what: str = "",
    suffix: str = ".xlsx",
) -> str:
    """The proposed name of an export, from the quote's number and revision, the client and project.

    ``Q2026-0001 rev 2 – Vantage @ MedTech Expo.xlsx``; the revision being prepared adds "draft"
    (``Q2026-0001 rev 3 draft – …``). An estimate without a quote number (a scenario, a quote
    never sent) is named by the estimate instead: ``Vantage @ MedTech Expo – Half booth – quote
    draft.xlsx``. ``what`` names anything but the quote: ``… – cost sheet.xlsx``.
    """
    number = _short(quote_number, 24)
    if number:
        head = number + (f" rev {revision}" if revision is not None else "") + (" draft" if draft else "")
        parts = [head, _who(client, project), what]
        flexible = [1]
    else:
        parts = [_who(client, project), _short(estimate, 40), what or "quote draft"]
        flexible = [0, 1]
    return safe_file_name(_fitted(parts, flexible), suffix)


def _fitted(parts: list[str], flexible: list[int]) -> str:
    """The parts joined, the longest of the ``flexible`` ones shortened until it all fits MAX_STEM."""
    parts = [" ".join(p.split()) for p in parts]
    for _ in range(len(flexible)):
        over = len(SEPARATOR.join(p for p in parts if p)) - MAX_STEM
        if over <= 0:
            break
        longest = max(flexible, key=lambda i: len(parts[i]))
        parts[longest] = _short(parts[longest], max(1, len(parts[longest]) - over))
    return SEPARATOR.join(p for p in parts if p)


def estimate_file_name(db: Database, doc: EstimateDocument, what: str = "", suffix: str = ".xlsx") -> str:
    """:func:`export_file_name` of the open estimate, at the revision it stands at now."""
    h = doc.header
    now = quote_standing(db, doc)
    return export_file_name(
        quote_number=now.quote_number,
        revision=now.revision,
        draft=now.draft,
        client=h.client_name,
        project=h.project_name,
        estimate=h.name,
        what=what,
        suffix=suffix,
    )


def comparison_file_name(client: str, project: str, suffix: str = ".xlsx") -> str:
    """``Vantage @ MedTech Expo – options compared.xlsx``."""
    return safe_file_name(SEPARATOR.join(p for p in (_who(client, project), "options compared") if p), suffix)
