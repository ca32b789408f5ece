"""Kind and column detection from real-world export headers."""

import pytest

from cx.errors import MappingError
from cx.ingest import mapping


@pytest.mark.parametrize(
    "headers, kind, expected",
    [
        (
            [
                "event_date",
                "event_timestamp",
                "event_name",
                "user_pseudo_id",
                "user_id",
                "ga_session_id",
                "page_location",
                "device_category",
            ],
            "events",
            {
                "event_timestamp": "event_time",
                "event_name": "event_name",
                "user_pseudo_id": "visitor_id",
                "user_id": "customer_id",
                "ga_session_id": "session_id",
                "page_location": "page",
                "device_category": "device",
            },
        ),
        (
            ["idVisit", "idVisitor", "serverTimePretty", "actionType", "url", "deviceType"],
            "events",
            {
                "idVisit": "session_id",
                "idVisitor": "visitor_id",
                "serverTimePretty": "event_time",
                "actionType": "event_name",
                "url": "page",
                "deviceType": "device",
            },
        ),
        (
            ["N° client", "Civilité", "Prénom", "Nom", "E-mail", "Date d'inscription", "Ville", "CA total"],
            "customers",
            {
                "N° client": "customer_id",
                "Civilité": "gender",
                "Prénom": "first_name",
                "Nom": "last_name",
                "E-mail": "email",
                "Date d'inscription": "signup_date",
                "Ville": "city",
                "CA total": "lifetime_value",
            },
        ),
        (
            ["Name", "Email", "Financial Status", "Created at", "Total", "Lineitem quantity"],
            "orders",
            {
                "Name": "order_id",
                "Email": "customer_id",
                "Financial Status": "status",
                "Created at": "order_time",
                "Total": "amount",
                "Lineitem quantity": "items",
            },
        ),
        (
            ["Record ID", "First Name", "Last Name", "Email", "Create Date", "Lifecycle Stage"],
            "customers",
            {
                "Record ID": "customer_id",
                "First Name": "first_name",
                "Last Name": "last_name",
                "Email": "email",
                "Create Date": "signup_date",
                "Lifecycle Stage": "segment",
            },
        ),
        (
            [
                "Horodateur",
                "Quelle est la probabilité que vous recommandiez Lumen à un proche ? (0-10)",
                "Êtes-vous satisfait(e) de votre commande ? (1-5)",
                "Pourquoi cette note ?",
            ],
            "responses",
            {
                "Horodateur": "responded_at",
                "Quelle est la probabilité que vous recommandiez Lumen à un proche ? (0-10)": "nps",
                "Êtes-vous satisfait(e) de votre commande ? (1-5)": "csat",
                "Pourquoi cette note ?": "comment",
            },
        ),
        (
            ["Ticket ID", "Channel", "Created at", "Solved at", "Priority", "Description"],
            "tickets",
            {
                "Ticket ID": "ticket_id",
                "Channel": "channel",
                "Created at": "created_at",
                "Solved at": "resolved_at",
                "Priority": "severity",
                "Description": "text",
            },
        ),
    ],
)
def test_guess_kind_and_mapping(headers, kind, expected):
    guessed, _scores = mapping.guess_kind(headers)
    assert guessed == kind
    assert mapping.map_headers(headers, kind, mapping.find_preset(headers)) == expected


def test_unrecognisable_headers_give_no_kind():
    assert mapping.guess_kind(["foo", "bar", "baz"])[0] is None


def test_signature_ignores_order_case_and_accents():
    assert mapping.header_signature(["Prénom", "E-mail"]) == mapping.header_signature(["e_mail", "PRENOM"])


def test_check_mapping_lists_every_problem():
    with pytest.raises(MappingError) as e:
        mapping.check_mapping({"a": "event_time", "b": "event_time", "c": "nope"}, "events", ["a", "b", "c"], "f.csv")
    text = str(e.value)
    assert "fed by several columns" in text and "'nope' is not a column" in text
    assert "visitor_id" in text and "event_name" in text and "f.csv" in text


def test_a_record_export_with_associations_is_still_its_known_export():
    """HubSpot names the record's id after its object when associated records come along (`Record ID - Contact`
    then `Record ID - Company`) and repeats the company's columns: the preset applies, and the first (the
    contact's own) columns are the ones mapped."""
    headers = [
        "Record ID - Contact",
        "First Name",
        "Email",
        "Create Date",
        "Country/Region",
        "State/Region",
        "Record ID - Company",
        "Create Date (2)",
        "Country/Region (2)",
    ]
    result = mapping.infer(headers)
    assert (result.kind, result.preset) == ("customers", "HubSpot contacts")
    assert result.mapping["Record ID - Contact"] == "customer_id"
    assert result.mapping["Country/Region"] == "country" and "Country/Region (2)" not in result.mapping
    assert "Record ID - Company" not in result.mapping


def test_a_signature_followed_by_a_number_is_not_that_column():
    # `record_id_2` is not a record id named after an object: no preset from it
    assert mapping.find_preset(["Record ID 2", "Email", "Create Date"]) is None


COMPANIES = ["Record ID", "Company name", "Create Date", "City", "Country/Region", "State/Region", "Industry"]


def test_a_list_of_companies_is_asked_about_not_loaded_as_customers():
    # HubSpot's companies export: "Company name" and "Industry", no e-mail nor name of a person → asked
    assert mapping.is_company_list(COMPANIES)
    result = mapping.infer(COMPANIES)
    assert result.kind is None and result.likeliest[0] == "customers"
    # the contacts export names its people: guessed as customers, the company columns notwithstanding
    contacts = [*COMPANIES, "Email", "First Name"]
    assert not mapping.is_company_list(contacts) and mapping.infer(contacts).kind == "customers"
    assert not mapping.is_company_list(["Ticket ID", "Company Name", "Subject"])  # one company column: a detail


def test_country_region_is_the_country_and_state_region_the_region():
    assert {s: t for s, t in mapping.map_headers(COMPANIES, "customers").items() if "Region" in s} == {
        "Country/Region": "country",
        "State/Region": "region",
    }


def test_a_header_naming_a_date_is_no_text_column_by_a_part_of_it():
    # a tester's Typeform export: "Stage Date (UTC)" (empty for most answers) was proposed as the journey stage
    headers = ["#", "How likely are you to recommend us?", "Stage Date (UTC)", "Submit Date (UTC)", "Network ID"]
    assert "Stage Date (UTC)" not in mapping.map_headers(headers, "responses")
    assert mapping.map_headers(["Stage", "Submitted at", "Score"], "responses").get("Stage") == "stage"


@pytest.mark.parametrize(
    "kind, header, column",
    [
        ("orders", "Stripe Customer ID", "customer_id"),
        ("orders", "Shopify Customer ID", "customer_id"),
        ("orders", "Parent Order ID", "order_id"),
        ("tickets", "Helpdesk Ticket ID", "ticket_id"),
        ("tickets", "Requester external id", "customer_id"),
        ("responses", "Typeform Response ID", "response_id"),
        ("events", "Matomo Visitor ID", "visitor_id"),
    ],
)
def test_a_header_ending_in_id_is_still_an_id_column_by_a_part_of_it(kind, header, column):
    # "Collector ID" is no channel (a text column), but a header ending in "ID" names an id column by a part of it
    assert mapping.map_headers([header], kind).get(header) == column


def test_a_rating_question_is_a_satisfaction_score_even_when_it_starts_with_comment():
    # a tester's Typeform XLSX: "Comment évaluez-vous…" (French "how") 1–5 was taken for a comment, so 13 answers with
    # a rating and no comment were rejected as "neither score nor comment"
    from cx.ingest.profile import blank

    headers = ["Comment évaluez-vous votre dernière livraison ?", "Qu'est-ce qui vous a plu ?", "Submit Date (UTC)"]
    rated = blank(headers[0])
    rated = type(rated)(
        **{
            **rated.__dict__,
            "rows": 5,
            "filled": 5,
            "distinct": 5,
            "number": 1.0,
            "whole": 1.0,
            "low": 1.0,
            "high": 5.0,
            "in_0_10": 1.0,
            "in_1_5": 1.0,
            "in_1_7": 1.0,
            "mean_length": 1.0,
        }
    )
    profiles = [rated, blank(headers[1]), blank(headers[2])]
    assert mapping.map_headers(headers, "responses", profiles=profiles).get(headers[0]) == "csat"
    assert (
        mapping.map_headers(["How would you rate our delivery?", "Why?"], "responses").get(
            "How would you rate our delivery?"
        )
        == "csat"
    )


@pytest.mark.parametrize(
    ("headers", "totals"),
    [
        (["date", "visitors", "pageviews", "bounce_rate", "visit_duration", "visits"], True),  # Plausible
        (["Date", "Sessions", "Users"], True),
        (["visitor_id", "event_time", "event_name", "pageviews", "sessions"], False),  # rows: an id names each
        (["Email", "Opens", "Clicks"], False),
        (["order_id", "order_date", "total_price", "items_count"], False),
        (["event_time", "visitor", "event_name", "page", "sessions"], False),  # 1 of 5
    ],
)
def test_a_report_of_totals_is_told_by_half_its_headers_and_no_row_id(headers, totals):
    assert mapping.is_totals_report(headers) is totals
