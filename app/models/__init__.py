"""SQLModel tables: Tandem's data and its invariants. No Qt, no I/O beyond the ORM."""

from sqlmodel import SQLModel

from app.models.base import Record
from app.models.catalog import CatalogCategory, CatalogItem, LabourHoliday, LabourRuleSet, Role, Supplier
from app.models.crew import CrewAssignment, CrewMember, CrewRole, CrewUnavailability
from app.models.directory import Client, Company, Contact, LostReason, Project
from app.models.enums import AssignmentStatus, CallPhase, CrewKind, LineKind, PriceBasis, ProjectStatus
from app.models.equipment import EquipmentItem, KitComponent, SubRentalRate
from app.models.estimate import Estimate, EstimateParameter, LineItem, QuoteRevision, Section
from app.models.meta import ChangeCounter, Presence

metadata = SQLModel.metadata

__all__ = [
    "AssignmentStatus",
    "CallPhase",
    "CatalogCategory",
    "CatalogItem",
    "ChangeCounter",
    "Client",
    "Company",
    "Contact",
    "CrewAssignment",
    "CrewKind",
    "CrewMember",
    "CrewRole",
    "CrewUnavailability",
    "EquipmentItem",
    "Estimate",
    "EstimateParameter",
    "KitComponent",
    "LabourHoliday",
    "LabourRuleSet",
    "LineItem",
    "LineKind",
    "LostReason",
    "Presence",
    "PriceBasis",
    "Project",
    "ProjectStatus",
    "QuoteRevision",
    "Record",
    "Role",
    "Section",
    "SubRentalRate",
    "Supplier",
    "metadata",
]
