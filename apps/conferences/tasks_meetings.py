"""Tasks for invitations and calendar updates."""
