"""Models of the registry (建档立卡): areas, households, members, income, measures, events,
and the ledger's household profile and help plans."""

from households.models.areas import County, Township, Village
from households.models.household import BasicNeedsAssessment, Household
from households.models.imports import (
    BatchHousehold,
    ImportBatch,
    ImportFile,
    JobStatus,
    RegistryExport,
    WritePolicy,
)
from households.models.income import PovertyLine, YearlyIncome
from households.models.measures import HelpMeasure, HelpPlan, MeasureFunding
from households.models.member import Member
from households.models.profile import HouseholdProfile
from households.models.status import StatusChange

__all__ = [
    "BatchHousehold",
    "ImportBatch",
    "ImportFile",
    "JobStatus",
    "RegistryExport",
    "WritePolicy",
    "BasicNeedsAssessment",
    "County",
    "HelpMeasure",
    "HelpPlan",
    "Household",
    "HouseholdProfile",
    "MeasureFunding",
    "Member",
    "PovertyLine",
    "StatusChange",
    "Township",
    "Village",
    "YearlyIncome",
]
