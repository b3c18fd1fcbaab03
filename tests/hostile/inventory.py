"""Every form and upload the suite attacks, field by field, with the kind of each field.

The tests build their forms from this list (``harness.Form(key=...)`` takes its fields from here), so
the count of generated inputs in ``test_corpus`` is the count the tests send. The benign value next
to each kind is the sample the identifier cases are made from (a tracking code written in Bengali
digits, say); the tests send the real ones of their fixtures.

Kinds: "identifier" (digits that name something: national ID, mobile, codes, plates typed as text),
"text" (free text), "search" (a search box), "number", "money", "date", "choice" (select, radio,
checkbox, ids), "hidden" (a field nobody types: refused without a message is fine).
"""

from __future__ import annotations

from .corpus import FIVE_THOUSAND_DIGITS, THIRTY_DIGITS, cases_for

NATIONAL_ID = "0013542419"
MOBILE = "09141234567"
TRACKING_CODE = "ABC2DE3FG"
VERIFICATION_CODE = "ABCD2345EF"

FORMS: dict[str, dict[str, tuple[str, str]]] = {
    # --- anyone --------------------------------------------------------------------------------
    "citizen-signin": {
        "national_id": ("identifier", NATIONAL_ID),
        "mobile": ("identifier", MOBILE),
    },
    "citizen-code": {"code": ("identifier", "123456")},
    # ?next= on the sign-in page: where the citizen lands after the code step.
    "citizen-signin-next": {"next": ("text", "")},
    "staff-login": {"username": ("text", ""), "password": ("text", "")},
    "track": {
        "tracking_code": ("identifier", TRACKING_CODE),
        "national_id": ("identifier", NATIONAL_ID),
    },
    "verify-code": {"code": ("identifier", VERIFICATION_CODE)},
    "verify-path": {"code": ("identifier", VERIFICATION_CODE)},
    "set-language": {"language": ("choice", ""), "next": ("text", "")},
    # --- a citizen -----------------------------------------------------------------------------
    "citizen-new": {"kind": ("choice", "")},
    "citizen-property": {
        "renovation_code": ("identifier", "1-3-45-12-0-0-0"),
        "plate_main": ("number", ""),
        "plate_sub": ("number", ""),
        "registration_section": ("number", ""),
        "address": ("text", ""),
        "area_m2": ("number", ""),
        "land_use": ("choice", ""),
        "building_status": ("choice", ""),
    },
    "citizen-applicant": {
        "first_name": ("text", ""),
        "last_name": ("text", ""),
        "relation": ("choice", ""),
        "owner_national_id": ("identifier", NATIONAL_ID),
        "owner_name": ("text", ""),
    },
    "citizen-details-transfer": {
        "transaction_type": ("choice", ""),
        "seller_national_id": ("identifier", NATIONAL_ID),
        "seller_name": ("text", ""),
        "buyer_national_id": ("identifier", NATIONAL_ID),
        "buyer_name": ("text", ""),
        "notary_office_number": ("number", ""),
        "letter_number": ("identifier", "12/3456"),
        "letter_date": ("date", ""),
        "notes": ("text", ""),
    },
    "citizen-details-bank": {
        "bank": ("choice", ""),
        "branch_name": ("text", ""),
        "branch_code": ("identifier", "1234"),
        "facility_type": ("choice", ""),
        "letter_number": ("identifier", "45/1234"),
        "letter_date": ("date", ""),
        "notes": ("text", ""),
    },
    "citizen-details-agency": {
        "agency_type": ("choice", ""),
        "agency_name": ("text", ""),
        "letter_number": ("identifier", "9901/22"),
        "letter_date": ("date", ""),
        "subject": ("text", ""),
    },
    "citizen-documents": {"kind": ("choice", "")},
    "citizen-respond": {"note": ("text", ""), "kind": ("choice", ""), "kind_2": ("choice", "")},
    "citizen-withdraw": {"note": ("text", "")},
    "citizen-inquiry-path": {"code": ("identifier", TRACKING_CODE)},
    "staff-inquiry-path": {"code": ("identifier", TRACKING_CODE)},
    # --- district staff ------------------------------------------------------------------------
    "staff-queue": {
        "q": ("search", ""),
        "district": ("choice", ""),
        "kind": ("choice", ""),
        "status": ("choice", ""),
        "channel": ("choice", ""),
        "assigned": ("choice", ""),
        "overdue": ("choice", ""),
        "page": ("number", ""),
    },
    # The list the search redirects to: filters and a session token in the address, never the term.
    "staff-queue-address": {
        "s": ("search", ""),
        "page": ("number", ""),
        "status": ("choice", ""),
        "kind": ("choice", ""),
    },
    "staff-take": {"version": ("hidden", "")},
    "staff-password": {
        "old_password": ("text", ""),
        "new_password1": ("text", ""),
        "new_password2": ("text", ""),
        "next": ("hidden", ""),
    },
    "staff-assign": {"assignee": ("choice", ""), "version": ("hidden", "")},
    "staff-request-info": {
        "reasons": ("choice", ""),
        "note": ("text", ""),
        "version": ("hidden", ""),
    },
    "staff-answer": {
        "decision": ("choice", ""),
        "building_status": ("choice", ""),
        "certificate_type": ("choice", ""),
        "certificate_number": ("identifier", "1401/555"),
        "certificate_date": ("date", ""),
        "land_use_plan": ("choice", ""),
        "road_widening": ("choice", ""),
        "road_widening_note": ("text", ""),
        "conditions": ("text", ""),
        "dues-0-title": ("text", ""),
        "dues-0-amount_rials": ("money", ""),  # lines adding up too high: test_regressions_answers
        "dues-TOTAL_FORMS": ("number", ""),
        "version": ("hidden", ""),
    },
    "staff-answer-cannot": {"reason": ("text", "")},
    "staff-sign": {"confirm": ("choice", ""), "version": ("hidden", "")},
    "staff-revoke": {"reason": ("text", ""), "version": ("hidden", "")},
    "staff-correct": {
        "conditions": ("text", ""),
        "certificate_date": ("date", ""),
        "dues-0-amount_rials": ("money", ""),
    },
    # --- the help kiosk ------------------------------------------------------------------------
    "kiosk-lookup": {"tracking_code": ("identifier", TRACKING_CODE)},
    "kiosk-help": {"topic": ("choice", ""), "resolution": ("text", ""), "minutes": ("number", "")},
    "kiosk-mobile": {
        "national_id": ("identifier", NATIONAL_ID),
        "mobile": ("identifier", MOBILE),
        "first_name": ("text", ""),
        "last_name": ("text", ""),
        "id_card_seen": ("choice", ""),
    },
    "kiosk-file": {"kind": ("choice", "")},
    "kiosk-applicant": {
        "national_id": ("identifier", NATIONAL_ID),
        "mobile": ("identifier", MOBILE),
        "first_name": ("text", ""),
        "last_name": ("text", ""),
    },
    # --- counter and notary offices ------------------------------------------------------------
    "office-queue": {
        "q": ("search", ""),
        "status": ("choice", ""),
        "operator": ("choice", ""),
        "page": ("number", ""),
    },
    "office-queue-address": {
        "s": ("search", ""),
        "page": ("number", ""),
        "operator": ("choice", ""),
    },
    "office-file": {"kind": ("choice", "")},
    "office-applicant": {
        "national_id": ("identifier", NATIONAL_ID),
        "mobile": ("identifier", MOBILE),
        "owner_national_id": ("identifier", NATIONAL_ID),
    },
    "notary-details": {
        "seller_national_id": ("identifier", NATIONAL_ID),
        "notary_office_number": ("number", ""),
        "seller_name": ("text", ""),
        "letter_number": ("identifier", "12/3456"),
        "letter_date": ("date", ""),
    },
    "office-operators": {
        "username": ("text", ""),
        "first_name": ("text", ""),
        "last_name": ("text", ""),
        "password": ("text", ""),
    },
    "office-operator-active": {"active": ("choice", "")},
    # --- the ICT organisation ------------------------------------------------------------------
    "registry": {
        "q": ("search", ""),
        "kind": ("choice", ""),
        "district": ("choice", ""),
        "active": ("choice", ""),
        "page": ("number", ""),
    },
    "training": {
        "date": ("date", ""),
        "trainer": ("text", ""),
        "topic": ("text", ""),
        "notes": ("text", ""),
        "offices-0-office": ("choice", ""),
        "offices-0-people": ("number", ""),
        "offices-TOTAL_FORMS": ("number", ""),
    },
    "training-list": {"district": ("choice", ""), "kind": ("choice", "")},
    "visit": {
        "date": ("date", ""),
        "notes": ("text", ""),
        "findings-0-category": ("choice", ""),
        "findings-0-description": ("text", ""),
        "findings-TOTAL_FORMS": ("number", ""),
    },
    "findings": {"district": ("choice", ""), "state": ("choice", "")},
    "finding-update": {"state": ("choice", ""), "note": ("text", ""), "next": ("hidden", "")},
    "scorecards": {"district": ("choice", ""), "kind": ("choice", ""), "sort": ("choice", "")},
    "reports": {"date_from": ("date", ""), "date_to": ("date", "")},
    "reports-csv": {"date_from": ("date", ""), "date_to": ("date", "")},
    "admin-user-search": {"q": ("search", "")},
    "admin-office-search": {"q": ("search", "")},
}


# Addresses that carry a database id (``<int:...>`` takes any run of ASCII digits): each of these
# ids goes into each address, as the persona who may open its kind of page. {draft}, {code} and
# {office} are the persona's own draft, inquiry and office.
ID_VALUES = (
    THIRTY_DIGITS,
    "9223372036854775808",  # one past the largest bigint
    "9223372036854775807",
    "2147483648",  # one past the largest integer column
    "0",
    "000000000000000000000000000001",
    FIVE_THOUSAND_DIGITS,
)
ID_PATHS: dict[str, tuple[str, str, str]] = {
    "a citizen's document": ("citizen", "get", "/inquiries/documents/{id}/"),
    "an answer's PDF": ("citizen", "get", "/inquiries/answers/{id}/pdf/"),
    "an answer's PDF status": ("citizen", "get", "/inquiries/answers/{id}/pdf/status/"),
    "deleting a draft's document": (
        "citizen",
        "post",
        "/inquiries/drafts/{draft}/documents/{id}/delete/",
    ),
    "signing an answer": ("manager", "get", "/staff/inquiries/{code}/answers/{id}/sign/"),
    "revoking an answer": ("manager", "post", "/staff/inquiries/{code}/answers/{id}/revoke/"),
    "an office's queue": ("operator", "get", "/office/{id}/"),
    "an office's filing": ("operator", "get", "/office/{id}/file/"),
    "an office's operators": ("operator", "get", "/office/{id}/operators/"),
    "switching an operator off": ("operator", "post", "/office/{office}/operators/{id}/active/"),
    "the registry's office page": ("ict", "get", "/offices/{id}/"),
    "a new visit": ("ict", "get", "/offices/{id}/visits/new/"),
    "a finding": ("ict", "get", "/offices/findings/{id}/"),
}


def kinds(key: str) -> dict[str, str]:
    """The kind of each field of a form ({} for the id addresses, which have no form)."""
    return {name: kind for name, (kind, _benign) in FORMS.get(key, {}).items()}


def field_cases(key: str, name: str):
    kind, benign = FORMS[key][name]
    return cases_for(f"{key}:{name}", kind, benign)


def count_field_inputs() -> dict[str, int]:
    """How many hostile values each form gets, all fields together."""
    return {
        key: sum(len(field_cases(key, name)) for name in fields) for key, fields in FORMS.items()
    }
