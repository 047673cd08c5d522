"""API serializers of the surveys app."""
from rest_framework import serializers

from ..models import Collection, Question, Questionnaire


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "key", "kind", "required", "text", "low_label", "high_label", "options", "min_value",
                  "max_value", "show_if", "show_if_value", "scale"]


class QuestionnaireSerializer(serializers.ModelSerializer):
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Questionnaire
        fields = ["id", "municipality", "institution", "kind", "title", "template_key", "versions"]

    def get_versions(self, obj) -> list[dict]:
        return [
            {"id": v.pk, "number": v.number, "status": v.status,
             "questions": QuestionSerializer(v.questions.order_by("position", "id"), many=True).data}
            for v in obj.versions.order_by("number")
        ]


class CollectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Collection
        fields = ["id", "municipality", "institution", "questionnaire_version", "title", "opens_on", "closes_on",
                  "wave", "phase", "answer_count"]
