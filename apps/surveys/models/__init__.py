"""Models of the surveys app: questionnaires and their versions (the builder), collections (the
distribution), and the anonymous answers."""
from .answers import Answer, Submission, TextAnswer
from .collections import Collection, Wave
from .national import NationalTemplate
from .questionnaires import Question, Questionnaire, QuestionnaireVersion, Section

__all__ = [
    "Answer", "Collection", "NationalTemplate", "Question", "Questionnaire", "QuestionnaireVersion", "Section", "Submission",
    "TextAnswer", "Wave",
]
