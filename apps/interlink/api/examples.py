"""Example messages of the API documentation (fictional people and numbers)."""

POLICE_REPORT = {
    "external_id": "PU-LAZ-2026-000123",
    "version": 1,
    "incident": {
        "occurred_at": "2026-12-05T21:40:00+01:00",
        "reported_at": "2026-12-05T22:05:00+01:00",
        "place_type": "shared_home",
        "police_event_number": "KU-1234/26",
        "forms": ["physical", "psychological"],
        "injuries": True,
        "weapon_involved": False,
        "children_present": True,
        "description": "Primer opisa događaja (izmišljen).",
    },
    "persons": [
        {"role": "victim", "first_name": "Milica", "last_name": "Primerović", "sex": "female",
         "birth_date": "1988-04-12", "address": "Primer ulica 1, Lazarevac"},
        {"role": "perpetrator", "first_name": "Petar", "last_name": "Primerović", "sex": "male",
         "birth_date": "1985-09-30", "relationship_to_victim": "spouse"},
    ],
    "risk": {"immediate_danger": True, "items": {"strangling": "yes", "prior_violence": "yes", "weapon_owned": "no"}},
    "emergency_measure": {"kind": "removal", "order_number": "HM-77/26", "delivered_at": "2026-12-05T23:30:00+01:00"},
}

EMERGENCY_ORDER = {
    "external_id": "HM-LAZ-2026-000077",
    "version": 1,
    "report_external_id": "PU-LAZ-2026-000123",
    "kind": "contact_ban",
    "order_number": "HM-78/26",
    "delivered_at": "2026-12-05T23:45:00+01:00",
}

COURT_DECISION = {
    "external_id": "OS-LAZ-2026-P-501",
    "version": 1,
    "decision_type": "extension",
    "court": "Osnovni sud u Lazarevcu (primer)",
    "decision_number": "R1-501/26",
    "order_number": "HM-77/26",
    "proposed_at": "2026-12-06T10:00:00+01:00",
    "decided_at": "2026-12-06T16:00:00+01:00",
    "extended": True,
    "persons": [
        {"role": "victim", "first_name": "Milica", "last_name": "Primerović", "birth_date": "1988-04-12"},
        {"role": "perpetrator", "first_name": "Petar", "last_name": "Primerović", "birth_date": "1985-09-30"},
    ],
}
