"""Pages of the action_plans app."""
app_name = "action_plans"

urlpatterns: list = []
