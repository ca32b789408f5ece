"""Canonical tables and columns: type, required, accepted range, and the FR/EN header aliases that map a
source header onto them.

A header is compared after `normalise_header` (lower case, accents folded, punctuation to `_`), so the
aliases below are written in that normal form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

KINDS = ("events", "customers", "orders", "tickets", "responses")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text | id | timestamp | date | number | integer | bool | score
    required: bool = False
    low: float | None = None
    high: float | None = None
    aliases: tuple[str, ...] = ()
    personal: bool = False  # pseudonymised on load
    # a required column an export may lack altogether (Freshdesk's tickets export has no channel): the user
    # gives the whole file one of these values instead (`import_file(constants=…)`, `--constant`)
    fixed_choices: tuple[str, ...] = ()
    # a duration in minutes from the row's `created_at` that fills the timestamp column it names when the file has
    # none of its own (Zendesk's "First reply time in minutes" → first_response_at): read, never stored itself
    minutes_into: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    keeps_properties: bool = False  # unmapped source columns kept as JSON `properties`
    # at least one of these must be present (responses: a score or a comment)
    one_of: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def stored(self) -> list[str]:
        """The columns of the table in the workspace (`names` without those that only fill another one)."""
        return [c.name for c in self.columns if not c.minutes_into]


def _c(
    name, type_, required=False, aliases=(), low=None, high=None, personal=False, fixed_choices=(), minutes_into=""
) -> Column:
    return Column(name, type_, required, low, high, tuple(aliases), personal, tuple(fixed_choices), minutes_into)


# the support channels whose expected first-reply time is known (cx/support.py EXPECTED_RESPONSE)
TICKET_CHANNELS = ("email", "chat", "phone", "social")


_CUSTOMER_ID = (
    "customer_id",
    "client_id",
    "id_client",
    "customerid",
    "user_id",
    "userid",
    "numero_client",
    "n_client",
    "no_client",
    "code_client",
    "contact_id",
    "record_id",
    "customer",
    "client",
    "customer_email",
    "email_client",
    "id_contact",
    "identifiant",
    "identifiant_client",
    "associated_contact_ids",
    "associated_contact_id",
    "requester_id",
    "user",
    "member_id",
    "contact",
    # an e-mail naming the customer, as French and English exports write it (after `mapping.spelled`:
    # "E-mail client", "Adresse e-mail de facturation", "Courriel du contact")
    "client_email",
    "email_acheteur",
    "email_facturation",
    "billing_email",
    "email_contact",
    "contact_email",
    "email_demandeur",
    "email_repondant",
    "email_utilisateur",
    "user_email",
    "buyer_email",
    "purchaser_email",
)

# free-text columns: the e-mail addresses and phone numbers written in them are masked at import when
# personal data is pseudonymised (cx/privacy.py)
FREE_TEXT = {("tickets", "text"), ("responses", "comment"), ("orders", "return_reason")}

TABLES: dict[str, Table] = {
    "events": Table(
        "events",
        (
            _c(
                "event_time",
                "timestamp",
                True,
                (
                    "event_time",
                    "timestamp",
                    "event_timestamp",
                    "date_time",
                    "datetime",
                    "time",
                    "horodatage",
                    "date_heure",
                    "date",
                    "heure",
                    "server_time",
                    "servertimepretty",
                    "server_time_pretty",
                    "event_date_time",
                    "occurred_at",
                    "created_at",
                    "action_timestamp",
                ),
            ),
            _c(
                "visitor_id",
                "id",
                False,
                (
                    "visitor_id",
                    "user_pseudo_id",
                    "anonymous_id",
                    "distinct_id",
                    "idvisitor",
                    "visitorid",
                    "client_id",
                    "cookie_id",
                    "device_id",
                    "id_visiteur",
                    "visiteur",
                    "visitor",
                    "user_pseudo",
                    "fingerprint",
                    "visitor_fingerprint",
                ),
            ),
            _c(
                "event_name",
                "text",
                True,
                (
                    "event_name",
                    "event",
                    "event_type",
                    "action",
                    "evenement",
                    "nom_evenement",
                    "type_evenement",
                    "event_action",
                    "actiontype",
                    "action_type",
                ),
            ),
            _c(
                "session_id",
                "id",
                aliases=("session_id", "ga_session_id", "idvisit", "visit_id", "id_session", "session", "sessionid"),
            ),
            _c(
                "customer_id",
                "id",
                aliases=("customer_id", "user_id", "userid", "id_client", "client_id_crm", "crm_id", "customerid"),
            ),
            _c(
                "page",
                "text",
                aliases=(
                    "page",
                    "page_location",
                    "page_path",
                    "page_url",
                    "url",
                    "page_title",
                    "current_url",
                    "pagepath",
                    "chemin",
                    "page_vue",
                    "screen_name",
                    "pagetitle",
                ),
            ),
            _c(
                "channel",
                "text",
                aliases=(
                    "channel",
                    "source_medium",
                    "traffic_source",
                    "canal",
                    "source",
                    "session_default_channel_group",
                    "default_channel_group",
                    "medium",
                    "referrer_type",
                    "referrertype",
                    "canal_acquisition",
                ),
            ),
            _c(
                "device",
                "text",
                aliases=(
                    "device",
                    "device_category",
                    "devicetype",
                    "device_type",
                    "appareil",
                    "type_appareil",
                    "plateforme",
                    "platform",
                ),
            ),
            _c("country", "text", aliases=("country", "geo_country", "pays", "countrycode", "country_code")),
            _c(
                "load_time_ms",
                "number",
                aliases=(
                    "load_time_ms",
                    "page_load_time_ms",
                    "load_time",
                    "temps_chargement_ms",
                    "temps_de_chargement_ms",
                    "page_load_ms",
                    "pageloadtime",
                ),
                low=0,
                high=3_600_000,
            ),
            _c(
                "revenue",
                "number",
                aliases=("revenue", "value", "event_value", "purchase_revenue", "revenu", "valeur", "montant"),
            ),
            _c("currency", "text", aliases=("currency", "devise", "currency_code", "monnaie")),
        ),
        keeps_properties=True,
        one_of=("visitor_id", "customer_id"),
    ),
    "customers": Table(
        "customers",
        (
            _c("customer_id", "id", True, _CUSTOMER_ID),
            _c(
                "email",
                "text",
                aliases=("email", "e_mail", "mail", "adresse_email", "adresse_e_mail", "courriel", "email_address"),
                personal=True,
            ),
            _c(
                "name",
                "text",
                aliases=("name", "full_name", "nom_complet", "nom_prenom", "customer_name", "nom_du_client"),
                personal=True,
            ),
            _c("first_name", "text", aliases=("first_name", "firstname", "prenom", "given_name"), personal=True),
            _c(
                "last_name",
                "text",
                aliases=("last_name", "lastname", "nom", "surname", "family_name", "nom_de_famille"),
                personal=True,
            ),
            _c(
                "signup_date",
                "date",
                aliases=(
                    "signup_date",
                    "created_at",
                    "create_date",
                    "date_inscription",
                    "date_de_creation",
                    "optin_time",
                    "subscribed_at",
                    "date_ajout",
                    "date_d_inscription",
                    "date_creation",
                    "registration_date",
                    "customer_since",
                    "client_depuis",
                    "first_seen",
                    "date_registered",
                    "registered",
                    "user_registered",
                    "inscription",  # PrestaShop's customers ("Inscription", "Date d'inscription")
                    "date_added",  # Klaviyo's profiles ("Date Added", "Created")
                    "created",
                ),
            ),
            _c(
                "birth_year",
                "integer",
                aliases=("birth_year", "annee_naissance", "annee_de_naissance", "year_of_birth"),
                low=1900,
                high=2030,
            ),
            _c("age", "integer", aliases=("age", "age_ans"), low=0, high=120),
            _c("gender", "text", aliases=("gender", "sex", "sexe", "genre", "civilite")),
            _c("city", "text", aliases=("city", "ville", "commune")),
            _c("region", "text", aliases=("region", "state", "province", "departement", "state_region")),
            _c("country", "text", aliases=("country", "pays", "country_code", "country_region", "pays_region")),
            _c(
                "segment",
                "text",
                aliases=(
                    "segment",
                    "customer_segment",
                    "segment_client",
                    "tier",
                    "niveau",
                    "lifecycle_stage",
                    "categorie_client",
                ),
            ),
            _c(
                "acquisition_channel",
                "text",
                aliases=(
                    "acquisition_channel",
                    "canal_acquisition",
                    "canal_d_acquisition",
                    "original_source",
                    "source",
                    "acquisition_source",
                ),
            ),
            _c(
                "loyalty_member",
                "bool",
                aliases=("loyalty_member", "membre_fidelite", "programme_fidelite", "fidelite", "loyalty"),
            ),
            _c(
                "consent",
                "bool",
                aliases=(
                    "consent",
                    "consentement",
                    "optin",
                    "opt_in",
                    "newsletter",
                    "marketing_consent",
                    "accepte_marketing",
                    "accepts_marketing",  # Shopify, Klaviyo: consent to marketing e-mails, not a loyalty programme
                    "accepts_email_marketing",
                ),
            ),
            _c(
                "lifetime_value",
                "number",
                aliases=(
                    "lifetime_value",
                    "total_spent",
                    "ca_total",
                    "ca_cumule",
                    "total_depense",
                    "montant_cumule",
                    "amount_spent",
                    "ltv",
                    "chiffre_d_affaires",
                    "montant_total",
                    "valeur_client",
                    "total_spend",
                ),
            ),
        ),
    ),
    "orders": Table(
        "orders",
        (
            _c("customer_id", "id", False, _CUSTOMER_ID + ("email",)),  # guest orders have none
            _c(
                "order_time",
                "timestamp",
                True,
                (
                    "order_time",
                    "order_date",
                    "created_at",
                    "date_commande",
                    "created_date",
                    "created",
                    "date_created",
                    "creation_date",
                    "close_date",
                    "closed_at",
                    "transaction_date",
                    "payment_date",
                    "date_de_commande",
                    "date",
                    "paid_at",
                    "processed_at",
                    "order_created_at",
                    "horodatage",
                    "purchase_date",
                    "date_achat",
                ),
            ),
            _c(
                "amount",
                "number",
                True,
                (
                    "amount",
                    "total",
                    "order_total",
                    "montant",
                    "montant_ttc",
                    "total_ttc",
                    "total_price",
                    "revenue",
                    "prix_total",
                    "chiffre_affaires",
                    "subtotal",
                    "montant_commande",
                    "value",
                    "total_commande",
                    "montant_total",
                    "total_paye",
                    "montant_paye",
                    "prix_ttc",
                ),
            ),
            _c(
                "order_id",
                "id",
                aliases=(
                    "order_id",
                    "order_number",
                    "id_commande",
                    "numero_commande",
                    "invoice_id",
                    "payment_id",
                    "charge_id",
                    "deal_id",
                    "record_id",
                    "id",
                    "n_commande",
                    "commande",
                    "name",
                    "order",
                    "reference",
                    "transaction_id",
                ),
            ),
            _c(
                "status",
                "text",
                aliases=(
                    "status",
                    "order_status",
                    "statut",
                    "etat",
                    "financial_status",
                    "fulfillment_status",
                    "statut_commande",
                    "etat_commande",
                    "deal_stage",
                    "dealstage",
                    "phase_de_la_transaction",
                ),
            ),
            _c("channel", "text", aliases=("channel", "canal", "sales_channel", "source_name", "canal_de_vente")),
            _c(
                "items",
                "integer",
                aliases=(
                    "items",
                    "quantity",
                    "lineitem_quantity",
                    "nb_articles",
                    "quantite",
                    "nombre_articles",
                    "qty",
                    "articles",
                    "nb_produits",
                    "nombre_produits",
                    "quantite_totale",
                    "qte",
                    "total_quantity",
                    "item_count",
                ),
                low=0,
                high=100_000,
            ),
            _c(
                "payment_method",
                "text",
                aliases=(
                    "payment_method",
                    "moyen_de_paiement",
                    "mode_de_paiement",
                    "payment_gateway",
                    "paiement",
                    "gateway",
                ),
            ),
            _c("discount", "number", aliases=("discount", "discount_amount", "remise", "reduction")),
            _c(
                "promised_date",
                "date",
                aliases=(
                    "promised_date",
                    "promised_delivery",
                    "date_livraison_prevue",
                    "livraison_prevue",
                    "expected_delivery",
                    "date_promise",
                ),
            ),
            _c(
                "delivered_date",
                "date",
                aliases=(
                    "delivered_date",
                    "delivered_at",
                    "date_livraison",
                    "delivery_date",
                    "delivered_on",
                    "order_delivered_customer_date",
                    "livraison_effective",
                    "date_de_livraison",
                    "fulfilled_at",
                ),
            ),
            _c("return_reason", "text", aliases=("return_reason", "motif_retour", "raison_retour", "motif_de_retour")),
            # the money given back on the order (stored positive): WooCommerce's "refunded_total" / "Refund amount" /
            # "Order Refund", Shopify's "Refunded Amount", Stripe's "Amount Refunded"
            _c(
                "refunded",
                "number",
                aliases=(
                    "refunded",
                    "refunded_total",
                    "refunded_amount",
                    "refund_amount",
                    "amount_refunded",
                    "total_refunded",
                    "refund_total",
                    "order_refund",
                    "refund",
                    "montant_rembourse",
                    "total_rembourse",
                    "rembourse",
                ),
            ),
            _c(
                "currency",
                "text",
                aliases=("currency", "devise", "currency_code", "order_currency", "monnaie", "presentment_currency"),
            ),
        ),
    ),
    "tickets": Table(
        "tickets",
        (
            _c(
                "ticket_id",
                "id",
                True,
                ("ticket_id", "id_ticket", "ticket", "numero_ticket", "case_id", "ticket_number", "n_ticket", "id"),
            ),
            _c(
                "channel",
                "text",
                True,
                (
                    "channel",
                    "canal",
                    "via",
                    "source",
                    "contact_channel",
                    "source_type",
                    "source_delivered_as",
                    "delivered_as",
                    "via_channel",
                    "canal_de_contact",
                ),
                fixed_choices=TICKET_CHANNELS,
            ),
            _c(
                "created_at",
                "timestamp",
                True,
                (
                    "created_at",
                    "created",
                    "created_time",
                    "date_creation",
                    "opened_at",
                    "date_ouverture",
                    "date",
                    "date_de_creation",
                    "cree_le",
                    "heure_creation",
                    "ouvert_le",
                    "date_ouverture_ticket",
                ),
            ),
            _c("customer_id", "id", aliases=_CUSTOMER_ID + ("requester", "requester_email", "demandeur", "email")),
            _c(
                "first_response_at",
                "timestamp",
                aliases=(
                    "first_response_at",
                    "first_reply_at",
                    "initial_response_time",
                    "first_response_time",
                    "first_responded_at",
                    "first_admin_reply_at",
                    "premiere_reponse",
                    "date_premiere_reponse",
                    "first_response",
                    "heure_premiere_reponse",
                    "premiere_reponse_le",
                    "first_agent_response_datetime",  # Gorgias
                    "first_response_datetime",
                ),
            ),
            _c(
                "resolved_at",
                "timestamp",
                aliases=(
                    "resolved_at",
                    "solved_at",
                    "closed_at",
                    "date_resolution",
                    "last_close_at",
                    "resolved_time",
                    "closed_time",
                    "resolu_le",
                    "date_cloture",
                    "resolved",
                    "heure_resolution",
                    "heure_cloture",
                    "heure_fermeture",  # Zoho Desk (French), "Closed Time" in English
                    "date_fermeture",
                    "resolu",
                    "ferme_le",
                    "cloture_le",
                    "solved",
                    "closed_datetime",  # Gorgias
                    "resolved_datetime",
                ),
            ),
            # Zendesk's CSV writes the first reply and the (full) resolution as minutes after the ticket's creation
            # ("First reply time in minutes"; its JSON "metric_set.reply_time_in_minutes.calendar"); the calendar
            # minutes, not those "within business hours", which skip nights and week-ends (a duration is matched by its whole
            # name: `mapping.header_score`)
            _c(
                "first_reply_minutes",
                "number",
                aliases=(
                    "first_reply_time_in_minutes",
                    "reply_time_in_minutes_calendar",
                    "first_reply_time_minutes",
                    "first_reply_minutes",
                    "first_response_time_in_minutes",
                    "first_response_minutes",
                    "delai_premiere_reponse_en_minutes",
                    "delai_premiere_reponse_minutes",
                ),
                low=0,
                high=60 * 24 * 3650,
                minutes_into="first_response_at",
            ),
            _c(
                "resolution_minutes",
                "number",
                aliases=(
                    "full_resolution_time_in_minutes",
                    "full_resolution_time_in_minutes_calendar",
                    "resolution_time_in_minutes",
                    "resolution_minutes",
                    "delai_resolution_en_minutes",
                    "delai_resolution_minutes",
                ),
                low=0,
                high=60 * 24 * 3650,
                minutes_into="resolved_at",
            ),
            _c("category", "text", aliases=("category", "categorie", "type", "motif", "topic", "sujet")),
            _c("severity", "text", aliases=("severity", "priority", "gravite", "priorite", "severite")),
            _c("is_complaint", "bool", aliases=("is_complaint", "complaint", "reclamation", "plainte")),
            _c(
                "csat",
                "score",
                aliases=(
                    "csat",
                    "satisfaction",
                    "satisfaction_rating",
                    "note_satisfaction",
                    "note",
                    "rating",
                    "satisfaction_score",
                    "evaluation_satisfaction",
                    "satisfaction_client",
                    "satisfaction_survey",
                    "satisfaction_rating_score",
                    "survey_result",
                    "customer_satisfaction",
                    "happiness_rating",  # Zoho Desk
                ),
                low=1,
                high=5,
            ),
            _c(
                "text",
                "text",
                aliases=(
                    "text",
                    "description",
                    "message",
                    "body",
                    "comment",
                    "texte",
                    "commentaire",
                    "subject",
                    "contenu",
                    "message_client",
                    "objet",
                ),
            ),
        ),
    ),
    "responses": Table(
        "responses",
        (
            _c(
                "responded_at",
                "timestamp",
                True,
                (
                    "responded_at",
                    "submitted_at",
                    "timestamp",
                    "horodateur",
                    "date_reponse",
                    "date",
                    "end_date",
                    "response_date",
                    "date_de_reponse",
                    "submit_date_utc",
                    "completed_at",
                    "start_date",
                    "submitted",
                    "review_date",
                    "review_creation_date",
                    "creation_date",
                    "date_of_experience",
                    "review_created_at",
                    "published_at",
                    "date_avis",
                    "recorded_date",
                    "review_created",
                    "created",
                    "date_soumission",
                    "soumis_le",
                    "date_envoi",
                    "date_enquete",
                ),
            ),
            _c(
                "response_id",
                "id",
                aliases=(
                    "response_id",
                    "respondent_id",
                    "id_reponse",
                    "token",
                    "network_id",
                    "id",
                    "review_id",
                    "id_avis",
                    "responseid",
                    "submission_id",
                    "",
                ),
            ),  # "" is Typeform's "#" column
            _c("customer_id", "id", aliases=_CUSTOMER_ID + ("email", "adresse_e_mail", "email_address")),
            _c(
                "nps",
                "score",
                aliases=(
                    "nps",
                    "nps_score",
                    "score_nps",
                    "recommend",
                    "recommandation",
                    "likelihood_to_recommend",
                    "note_recommandation",
                ),
                low=0,
                high=10,
            ),
            _c(
                "csat",
                "score",
                aliases=(
                    "csat",
                    "satisfaction",
                    "csat_score",
                    "note_satisfaction",
                    "score_satisfaction",
                    "review_score",
                    "rating",
                    "stars",
                    "star_rating",
                    "review_rating",
                    "review_stars",
                    "etoiles",
                    "note_avis",
                    "score",
                ),
                low=1,
                high=5,
            ),
            _c(
                "ces",
                "score",
                aliases=("ces", "effort", "customer_effort", "ces_score", "score_effort", "facilite", "ease"),
                low=1,
                high=7,
            ),
            _c(
                "comment",
                "text",
                aliases=(
                    "comment",
                    "comments",
                    "commentaire",
                    "commentaires",
                    "verbatim",
                    "feedback",
                    "remarque",
                    "remarques",
                    "why",
                    "pourquoi",
                    "open_answer",
                    "reponse_libre",
                    "review_comment_message",
                    "review_text",
                    "review_content",
                    "review_body",
                    "review",
                    "message",
                    "content",
                    "body",
                    "avis",
                    "texte_avis",
                    "text",
                ),
            ),
            _c(
                "touchpoint",
                "text",
                aliases=(
                    "touchpoint",
                    "point_de_contact",
                    "survey",
                    "questionnaire",
                    "enquete",
                    "trigger",
                    "declencheur",
                ),
            ),
            _c("stage", "text", aliases=("stage", "etape", "journey_stage", "etape_parcours")),
            _c("channel", "text", aliases=("channel", "canal", "collector", "collecteur")),
            _c("language", "text", aliases=("language", "langue", "lang", "locale")),
        ),
        one_of=("nps", "csat", "ces", "comment"),
    ),
}

# Survey tools put the question text in the header; these patterns recognise the usual wordings.
QUESTION_PATTERNS: dict[str, str] = {
    "nps": r"recommand|recommend|\bnps\b|empfehl|recomend|raccomand",
    "csat": r"satisf|zufrieden|\bevalu|\brate\b|\brating\b|\bnotez\b|quelle note",
    # a question about ease is the CES, even when it asks to rate ("Comment évaluez-vous la facilité…"): see
    # cx.ingest.mapping.pair_scores; whole words, so that "please" is no "ease"
    "ces": r"\beffort|facil|\beas(e|y|ier|ily)\b|\bsimple a\b",
    "comment": r"pourquoi|why|comment|commentaire|suggest|amelior|improve|raison|reason|dites.nous|tell us"
    r"|free.?text|texte libre|open.?ended|freitext|kommentar",
}

# Presets: the column names a known export carries, mapped to canonical ones. A preset wins over aliases
# when enough of its signature headers are present.
PRESETS: dict[str, dict] = {
    "GA4": {
        "kind": "events",
        "signature": ("event_timestamp", "user_pseudo_id", "event_name"),
        "mapping": {
            "event_timestamp": "event_time",
            "user_pseudo_id": "visitor_id",
            "event_name": "event_name",
            "ga_session_id": "session_id",
            "user_id": "customer_id",
            "page_location": "page",
            "device_category": "device",
            "session_source_medium": "channel",
            "geo_country": "country",
            "purchase_revenue": "revenue",
        },
    },
    "Matomo": {
        "kind": "events",
        "signature": ("idvisit", "idvisitor", "servertimepretty"),
        "mapping": {
            "servertimepretty": "event_time",
            "idvisitor": "visitor_id",
            "idvisit": "session_id",
            "actiontype": "event_name",
            "url": "page",
            "devicetype": "device",
            "referrertype": "channel",
            "countrycode": "country",
            "userid": "customer_id",
            "pageloadtime": "load_time_ms",
        },
    },
    "Shopify orders": {
        "kind": "orders",
        "signature": ("name", "email", "financial_status", "total"),
        "mapping": {
            "name": "order_id",
            "email": "customer_id",
            "created_at": "order_time",
            "total": "amount",
            "financial_status": "status",
            "lineitem_quantity": "items",
            "payment_method": "payment_method",
            "discount_amount": "discount",
            "source": "channel",
        },
    },
    # WooCommerce Analytics → Orders → Download (the report's own CSV): "Customer" is the customer's name, no id (a
    # name is personal and names two people alike), so it is left out (None: not read) and the orders load as guest
    # orders; "Attribution" is the order's marketing origin ("Direct", "Organic: Google"), not its sales channel; the
    # amount is the net sales (refunds and coupons taken off, as WooCommerce Analytics counts them)
    "WooCommerce Analytics orders": {
        "kind": "orders",
        "signature": ("order", "customer_type", "net_sales", "items_sold"),
        "mapping": {
            "date": "order_time",
            "order": "order_id",
            "status": "status",
            "customer": None,
            "attribution": None,
            "items_sold": "items",
            "net_sales": "amount",
        },
    },
    "WooCommerce Analytics orders (FR)": {
        "kind": "orders",
        "signature": ("commande_n", "type_de_client", "ventes_nettes", "articles_vendus"),
        "mapping": {
            "date": "order_time",
            "commande_n": "order_id",
            "etat": "status",
            "client": None,
            "attribution": None,
            "articles_vendus": "items",
            "ventes_nettes": "amount",
        },
    },
    # Stripe Payments > Export (unified_payments.csv): one row per charge; dozens of card, dispute, checkout
    # and UTM columns dilute the scores, so its own column names decide
    "Stripe payments": {
        "kind": "orders",
        "signature": ("created_date_utc", "amount_refunded", "converted_amount", "seller_message"),
        "mapping": {
            "id": "order_id",
            "created_date_utc": "order_time",
            "amount": "amount",
            "currency": "currency",
            "customer_id": "customer_id",
            "status": "status",
            "payment_source_type": "payment_method",
            "utm_source": "channel",
        },
    },
    "HubSpot contacts": {
        "kind": "customers",
        "signature": ("record_id", "email", "create_date"),
        "mapping": {
            "record_id": "customer_id",
            "email": "email",
            "first_name": "first_name",
            "last_name": "last_name",
            "create_date": "signup_date",
            "lifecycle_stage": "segment",
            "original_source": "acquisition_channel",
            "city": "city",
            "country_region": "country",
        },
    },
    "HubSpot deals": {
        "kind": "orders",
        "signature": ("record_id", "deal_name", "deal_stage"),
        "mapping": {
            "record_id": "order_id",
            "close_date": "order_time",
            "amount": "amount",
            "deal_stage": "status",
            "associated_contact_ids": "customer_id",
        },
    },
    # the same exports from HubSpot in French: "ID de fiche d'informations" is the Record ID
    "HubSpot contacts (FR)": {
        "kind": "customers",
        "signature": ("id_de_fiche_d_informations", "e_mail", "date_de_creation"),
        "mapping": {
            "id_de_fiche_d_informations": "customer_id",
            "e_mail": "email",
            "prenom": "first_name",
            "nom": "last_name",
            "date_de_creation": "signup_date",
            "phase_du_cycle_de_vie": "segment",
            "source_d_origine": "acquisition_channel",
            "ville": "city",
            "pays_region": "country",
        },
    },
    "HubSpot deals (FR)": {
        "kind": "orders",
        "signature": ("id_de_fiche_d_informations", "nom_de_la_transaction", "phase_de_la_transaction"),
        "mapping": {
            "id_de_fiche_d_informations": "order_id",
            "date_de_fermeture": "order_time",
            "montant": "amount",
            "phase_de_la_transaction": "status",
            "id_de_contacts_associes": "customer_id",
        },
    },
    "Typeform": {
        "kind": "responses",
        "signature": ("submit_date_utc", "network_id"),
        "mapping": {"submit_date_utc": "responded_at", "": "response_id", "token": "response_id"},
    },
    "Google Forms": {
        "kind": "responses",
        "signature": ("horodateur",),
        "mapping": {"horodateur": "responded_at", "adresse_e_mail": "customer_id"},
    },
    "Google Forms (EN)": {
        "kind": "responses",
        "signature": ("timestamp", "email_address"),
        "mapping": {"timestamp": "responded_at", "email_address": "customer_id"},
    },
    # Qualtrics CSV: its metadata columns keep their field names whatever the survey's language
    "Qualtrics": {
        "kind": "responses",
        "signature": ("startdate", "enddate", "recordeddate", "responseid"),
        "mapping": {
            "recordeddate": "responded_at",
            "responseid": "response_id",
            "recipientemail": "customer_id",
            "distributionchannel": "channel",
            "userlanguage": "language",
        },
    },
    "Qualtrics (legacy)": {
        "kind": "responses",
        "signature": ("responseid", "responseset", "enddate"),
        "mapping": {"enddate": "responded_at", "responseid": "response_id", "emailaddress": "customer_id"},
    },
    "SurveyMonkey": {
        "kind": "responses",
        "signature": ("respondent_id", "collector_id", "start_date"),
        # its "Collector ID" is an id of the link or e-mail that collected the answer, no channel: kept as extra data
        "mapping": {"respondent_id": "response_id", "end_date": "responded_at"},
    },
}


def normalise_header(header: object) -> str:
    """Lower case, accents folded, every run of non-alphanumerics turned into one `_`."""
    text = unicodedata.normalize("NFKD", str(header or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def table(kind: str) -> Table:
    return TABLES[kind]


def fixable_columns(kind: str) -> list[Column]:
    """The required columns of `kind` that a file may lack and the user give one value for the whole file."""
    return [c for c in TABLES[kind].columns if c.required and c.fixed_choices]
