"""API routes of the action_plans app (ROUTES: viewsets; PATHS: plain views)."""
from . import views

ROUTES: list = [
    ("action-plans", views.PlanViewSet, "action-plan"),
    ("action-plan-goals", views.GoalViewSet, "action-plan-goal"),
    ("action-plan-measures", views.MeasureViewSet, "action-plan-measure"),
    ("action-plan-activities", views.ActivityViewSet, "action-plan-activity"),
    ("action-plan-indicators", views.IndicatorViewSet, "action-plan-indicator"),
    ("budget-lines", views.BudgetLineViewSet, "budget-line"),
    ("budget-executions", views.ExecutionViewSet, "budget-execution"),
]
PATHS: list = []
