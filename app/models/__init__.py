"""SQLModel tables: Tandem's data and its invariants. No Qt, no I/O beyond the ORM."""

from sqlmodel import SQLModel

from app.models.account import PIPELINE_DEFAULTS, Activity, PipelineStage, stage_id
from app.models.base import Record
from app.models.catalog import CatalogCategory, CatalogItem, LabourHoliday, LabourRuleSet, Role, Supplier
from app.models.crew import CrewAssignment, CrewMember, CrewRole, CrewUnavailability
from app.models.directory import Client, Company, Contact, LostReason, Project
from app.models.enums import (
    ActivityKind,
    AssignmentStatus,
    CallPhase,
    CrewKind,
    DateAnchor,
    LineKind,
    MilestoneKind,
    MilestoneOwner,
    OrderKind,
    OrderStatus,
    PriceBasis,
    ProjectStatus,
)
from app.models.equipment import EquipmentItem, KitComponent, SubRentalRate
from app.models.estimate import Estimate, EstimateParameter, LineItem, QuoteRevision, Section
from app.models.meta import ChangeCounter, Presence
from app.models.schedule import Milestone, MilestoneTemplate, ProjectType
from app.models.supply import (
    LineQuoteCandidate,
    SupplierOrder,
    SupplierOrderLine,
    SupplierQuote,
    SupplierQuoteBreak,
    SupplierQuoteItem,
)

metadata = SQLModel.metadata

__all__ = [
    "PIPELINE_DEFAULTS",
    "Activity",
    "ActivityKind",
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
    "DateAnchor",
    "EquipmentItem",
    "Estimate",
    "EstimateParameter",
    "KitComponent",
    "LabourHoliday",
    "LabourRuleSet",
    "LineItem",
    "LineKind",
    "LineQuoteCandidate",
    "LostReason",
    "Milestone",
    "MilestoneKind",
    "MilestoneOwner",
    "MilestoneTemplate",
    "OrderKind",
    "OrderStatus",
    "PipelineStage",
    "Presence",
    "PriceBasis",
    "Project",
    "ProjectStatus",
    "ProjectType",
    "QuoteRevision",
    "Record",
    "Role",
    "Section",
    "SubRentalRate",
    "Supplier",
    "SupplierOrder",
    "SupplierOrderLine",
    "SupplierQuote",
    "SupplierQuoteBreak",
    "SupplierQuoteItem",
    "metadata",
    "stage_id",
]
