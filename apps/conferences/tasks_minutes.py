"""Tasks for agenda preparation and action-item reminders."""
