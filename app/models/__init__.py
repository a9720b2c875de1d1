"""SQLModel tables: Tandem's data and its invariants. No Qt, no I/O beyond the ORM."""

from sqlmodel import SQLModel

from app.models.base import Record
from app.models.catalog import CatalogItem, LabourRuleSet, Role, Supplier
from app.models.directory import Client, Company, Contact, Project
from app.models.enums import LineKind, PriceBasis, ProjectStatus
from app.models.estimate import Estimate, LineItem, Section
from app.models.meta import ChangeCounter, Presence

metadata = SQLModel.metadata

__all__ = [
    "CatalogItem",
    "ChangeCounter",
    "Client",
    "Company",
    "Contact",
    "Estimate",
    "LabourRuleSet",
    "LineItem",
    "LineKind",
    "Presence",
    "PriceBasis",
    "Project",
    "ProjectStatus",
    "Record",
    "Role",
    "Section",
    "Supplier",
    "metadata",
]
