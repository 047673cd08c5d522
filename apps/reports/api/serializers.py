"""Serializers of the reports API: figures as shown (hidden counts are null, with the mark shown)."""
from __future__ import annotations

from rest_framework import serializers

from ..models import ReportRun


class CellSerializer(serializers.Serializer):
    period = serializers.CharField()
    value = serializers.IntegerField(allow_null=True, help_text="null when hidden")
    shown = serializers.CharField(help_text='The count, "< 5" (fewer than 5) or "c" (hidden so that no figure '
                                            'under 5 can be worked out)')


class RowSerializer(serializers.Serializer):
    category = serializers.CharField(allow_blank=True, help_text="empty: the total")
    label = serializers.CharField()
    cells = CellSerializer(many=True)


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    rows = RowSerializer(many=True)


class FiguresSerializer(serializers.Serializer):
    municipality = serializers.IntegerField(allow_null=True)
    institution = serializers.IntegerField(allow_null=True)
    year = serializers.IntegerField()
    suppressed = serializers.BooleanField()
    figures = FigureSerializer(many=True)


class ReportRunSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = ["id", "municipality", "kind", "period", "status", "error", "queued_at", "finished_at", "download"]
        read_only_fields = fields

    def get_download(self, run) -> str | None:
        if run.status != "done":
            return None
        return f"/reports/runs/{run.pk}/pdf/"


def figures_data(tables) -> list[dict]:
    """The tables as the API shows them (the same cells as the page)."""
    return [{
        "key": t.key, "title": str(t.figure.title), "description": str(t.figure.description),
        "rows": [{"category": r.key, "label": r.label,
                  "cells": [{"period": p, "value": c.value, "shown": c.shown} for p, c in r.cells.items()]}
                 for r in t.rows],
    } for t in tables]
