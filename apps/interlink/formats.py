"""The documented record formats: one checker for the JSON of the API and the rows of a CSV/XLSX file.

``check(kind, data)`` returns the normalised record, or raises ``RecordErrors`` naming every wrong field
by its path (``persons[1].birth_date``, ``incident.forms``); a file names the row as well. Messages
never repeat the values sent (they may be personal data).
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from apps.cases.choices import (
    RISK_ITEM_CODES,
    EmergencyMeasureKind,
    PersonRole,
    PlaceType,
    ProtectiveMeasureKind,
    Relationship,
    Sex,
    ViolenceForm,
)
from apps.cases.validators import validate_jmbg

from .choices import CourtDecisionType, RecordKind

MAX_ID = 80
MAX_TEXT = 2000
LIST_SEPARATOR = "|"


class RecordErrors(Exception):
    """Every problem of one record: {field path: [message, ...]}."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid record")
        self.errors = errors


class _Checker:
    def __init__(self, data):
        self.data = data if isinstance(data, dict) else {}
        self.errors: dict[str, list[str]] = {}
        if not isinstance(data, dict):
            self.fail("", _("The record must be an object."))

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path or "record", []).append(str(message))

    def get(self, obj, key, path):
        return obj.get(key) if isinstance(obj, dict) else None

    def text(self, obj, key, path, *, required=False, max_length=200) -> str:
        value = self.get(obj, key, path)
        if value is None or value == "":
            if required:
                self.fail(path, _("This field is required."))
            return ""
        if not isinstance(value, str | int):
            self.fail(path, _("Enter text."))
            return ""
        value = str(value).strip()
        if len(value) > max_length:
            self.fail(path, _("At most %(max)d characters.") % {"max": max_length})
        if required and not value:
            self.fail(path, _("This field is required."))
        return value

    def choice(self, obj, key, path, choices, *, required=True, default="") -> str:
        value = self.get(obj, key, path)
        if value in (None, ""):
            if required:
                self.fail(path, _("This field is required."))
            return default
        if value not in choices.values:
            self.fail(path, _("Choose one of: %(values)s.") % {"values": ", ".join(choices.values)})
            return default
        return value

    def boolean(self, obj, key, path) -> bool:
        value = self.get(obj, key, path)
        if value in (None, ""):
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "da"):
            return True
        if isinstance(value, str) and value.strip().lower() in ("false", "0", "no", "ne"):
            return False
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        self.fail(path, _("Enter true or false."))
        return False

    def moment(self, obj, key, path, *, required=True) -> datetime | None:
        value = self.get(obj, key, path)
        if value in (None, ""):
            if required:
                self.fail(path, _("This field is required."))
            return None
        parsed = value if isinstance(value, datetime) else (parse_datetime(value) if isinstance(value, str) else None)
        if parsed is None:
            self.fail(path, _("Enter a date and time as 2026-12-07T21:30:00+01:00."))
            return None
        if timezone.is_naive(parsed):
            self.fail(path, _("Give the time zone (e.g. +01:00)."))
            return None
        if parsed > timezone.now():
            self.fail(path, _("This cannot be in the future."))
        return parsed

    def day(self, obj, key, path, *, required=False) -> date | None:
        value = self.get(obj, key, path)
        if value in (None, ""):
            if required:
                self.fail(path, _("This field is required."))
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        parsed = parse_date(value) if isinstance(value, str) else None
        if parsed is None or parsed.year < 1900:
            self.fail(path, _("Enter a date as 2026-12-07."))
            return None
        return parsed

    def number(self, obj, key, path, *, required=True, minimum=1) -> int | None:
        value = self.get(obj, key, path)
        if value in (None, ""):
            if required:
                self.fail(path, _("This field is required."))
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            self.fail(path, _("Enter a whole number."))
            return None
        if number < minimum:
            self.fail(path, _("Enter a number of at least %(min)d.") % {"min": minimum})
            return None
        return number

    def person(self, obj, path) -> dict:
        if not isinstance(obj, dict):
            self.fail(path, _("A person must be an object."))
            return {}
        person = {
            "role": self.choice(obj, "role", f"{path}.role", PersonRole),
            "first_name": self.text(obj, "first_name", f"{path}.first_name", required=True, max_length=100),
            "last_name": self.text(obj, "last_name", f"{path}.last_name", required=True, max_length=100),
            "sex": self.choice(obj, "sex", f"{path}.sex", Sex, required=False, default=Sex.UNKNOWN),
            "birth_date": self.day(obj, "birth_date", f"{path}.birth_date"),
            "jmbg": "".join(self.text(obj, "jmbg", f"{path}.jmbg", max_length=20).split()),
            "address": self.text(obj, "address", f"{path}.address", max_length=300),
            "relationship_to_victim": self.choice(
                obj, "relationship_to_victim", f"{path}.relationship_to_victim", Relationship, required=False
            ),
        }
        if person["jmbg"]:
            try:
                born = validate_jmbg(person["jmbg"], today=timezone.localdate())
            except ValidationError:
                self.fail(f"{path}.jmbg", _("The JMBG is not valid (13 digits, date of birth, check digit)."))
            else:
                if person["birth_date"] and person["birth_date"] != born:
                    self.fail(f"{path}.birth_date", _("The date of birth differs from the one in the JMBG."))
                person["birth_date"] = person["birth_date"] or born
        return person

    def persons(self, *, required: bool) -> list[dict]:
        raw = self.data.get("persons")
        if raw in (None, []):
            if required:
                self.fail("persons", _("Name at least the victim."))
            return []
        if not isinstance(raw, list):
            self.fail("persons", _("Persons must be a list."))
            return []
        persons = [self.person(p, f"persons[{i}]") for i, p in enumerate(raw)]
        if required and not any(p.get("role") == PersonRole.VICTIM for p in persons):
            self.fail("persons", _("Name at least the victim."))
        return persons

    def base(self) -> dict:
        return {
            "external_id": self.text(self.data, "external_id", "external_id", required=True, max_length=MAX_ID),
            "version": self.number(self.data, "version", "version"),
        }

    def measure(self, obj, path) -> dict | None:
        if obj in (None, {}, ""):
            return None
        if not isinstance(obj, dict):
            self.fail(path, _("The emergency measure must be an object."))
            return None
        prefix = f"{path}." if path else ""
        return {
            "kind": self.choice(obj, "kind", f"{prefix}kind", EmergencyMeasureKind),
            "order_number": self.text(obj, "order_number", f"{prefix}order_number", required=True, max_length=60),
            "delivered_at": self.moment(obj, "delivered_at", f"{prefix}delivered_at"),
        }


def _police_report(c: _Checker) -> dict:
    record = c.base()
    incident = c.data.get("incident")
    if not isinstance(incident, dict):
        c.fail("incident", _("Describe the incident."))
        incident = {}
    forms = incident.get("forms")
    if not isinstance(forms, list) or not forms:
        c.fail("incident.forms", _("Name at least one form of violence."))
        forms = []
    elif any(f not in ViolenceForm.values for f in forms):
        c.fail("incident.forms", _("Choose one of: %(values)s.") % {"values": ", ".join(ViolenceForm.values)})
    occurred = c.moment(incident, "occurred_at", "incident.occurred_at")
    reported = c.moment(incident, "reported_at", "incident.reported_at", required=False) or occurred
    if occurred and reported and occurred > reported:
        c.fail("incident.occurred_at", _("The incident cannot have happened after it was reported."))
    record["incident"] = {
        "occurred_at": occurred,
        "reported_at": reported,
        "place_type": c.choice(incident, "place_type", "incident.place_type", PlaceType, required=False, default=PlaceType.OTHER),
        "forms": list(dict.fromkeys(forms)),
        "police_event_number": c.text(incident, "police_event_number", "incident.police_event_number", max_length=60),
        "injuries": c.boolean(incident, "injuries", "incident.injuries"),
        "weapon_involved": c.boolean(incident, "weapon_involved", "incident.weapon_involved"),
        "children_present": c.boolean(incident, "children_present", "incident.children_present"),
        "description": c.text(incident, "description", "incident.description", max_length=MAX_TEXT),
    }
    record["persons"] = c.persons(required=True)
    risk = c.data.get("risk")
    if risk not in (None, {}):
        if not isinstance(risk, dict):
            c.fail("risk", _("The risk assessment must be an object."))
            risk = {}
        items = risk.get("items") or {}
        if not isinstance(items, dict) or any(k not in RISK_ITEM_CODES for k in items) or any(
            v not in ("yes", "no", "unknown") for v in items.values()
        ):
            c.fail("risk.items", _("Answer items of the checklist (%(codes)s) with yes, no or unknown.")
                   % {"codes": ", ".join(RISK_ITEM_CODES)})
            items = {}
        record["risk"] = {"immediate_danger": c.boolean(risk, "immediate_danger", "risk.immediate_danger"), "items": items}
    else:
        record["risk"] = None
    record["emergency_measure"] = c.measure(c.data.get("emergency_measure"), "emergency_measure")
    return record


def _emergency_order(c: _Checker) -> dict:
    record = c.base()
    record["report_external_id"] = c.text(c.data, "report_external_id", "report_external_id", max_length=MAX_ID)
    measure = c.measure(c.data, "") or {}
    record["emergency_measure"] = measure
    record["persons"] = c.persons(required=not record["report_external_id"])
    record["occurred_at"] = measure.get("delivered_at")
    return record


def _court_decision(c: _Checker) -> dict:
    record = c.base()
    record["decision_type"] = c.choice(c.data, "decision_type", "decision_type", CourtDecisionType)
    record["court"] = c.text(c.data, "court", "court", required=True, max_length=200)
    record["decision_number"] = c.text(c.data, "decision_number", "decision_number", max_length=60)
    record["persons"] = c.persons(required=True)
    if record["decision_type"] == CourtDecisionType.EXTENSION:
        record["order_number"] = c.text(c.data, "order_number", "order_number", required=True, max_length=60)
        record["proposed_at"] = c.moment(c.data, "proposed_at", "proposed_at")
        record["decided_at"] = c.moment(c.data, "decided_at", "decided_at")
        extended = c.boolean(c.data, "extended", "extended")
        record["extended"] = extended
        record["occurred_at"] = record["decided_at"]
    elif record["decision_type"] == CourtDecisionType.PROTECTIVE_MEASURE:
        record["kind"] = c.choice(c.data, "kind", "kind", ProtectiveMeasureKind)
        record["decision_date"] = c.day(c.data, "decision_date", "decision_date", required=True)
        record["valid_from"] = c.day(c.data, "valid_from", "valid_from", required=True)
        record["valid_until"] = c.day(c.data, "valid_until", "valid_until", required=True)
        record["distance_m"] = c.number(c.data, "distance_m", "distance_m", required=False)
        if record["decision_date"]:
            record["occurred_at"] = timezone.make_aware(datetime.combine(record["decision_date"], datetime.min.time()))
    return record


CHECKERS = {
    RecordKind.POLICE_REPORT: _police_report,
    RecordKind.EMERGENCY_ORDER: _emergency_order,
    RecordKind.COURT_DECISION: _court_decision,
}


def check(kind: str, data) -> dict:
    """The normalised record of ``kind``; RecordErrors naming every wrong field otherwise."""
    checker = _Checker(data)
    record = CHECKERS[kind](checker) if not checker.errors else {}
    if checker.errors:
        raise RecordErrors(checker.errors)
    return record


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def dumps(record: dict) -> str:
    """The record as stored (dates as ISO text), keys sorted: equal records, equal text."""
    return json.dumps(record, default=_plain, sort_keys=True, ensure_ascii=False)


def digest(record: dict) -> str:
    """Of the record without its version: the same content sent again is recognised."""
    body = {k: v for k, v in record.items() if k != "version"}
    return hashlib.sha256(dumps(body).encode()).hexdigest()


def loads(text: str) -> dict:
    """A stored record back with its dates (the checker reads them again)."""
    return json.loads(text)
