"""Models of the action plans: plans, their structure, indicators, the programme budget."""
from .budget import BudgetCode, BudgetLine, Execution
from .plans import Alert, Plan, PlanVersion, StrategicDocument
from .structure import (
    Activity,
    ActivityPartner,
    Goal,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    ProgressReport,
)

__all__ = [
    "Activity", "ActivityPartner", "Alert", "BudgetCode", "BudgetLine", "Execution", "Goal", "Indicator",
    "IndicatorTarget", "IndicatorValue", "Measure", "Plan", "PlanVersion", "ProgressReport", "StrategicDocument",
]
