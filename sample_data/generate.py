#!/usr/bin/env python3
"""Deterministic sample data for Parcours: "Maison Lumen", a French home-decor e-shop.

    python sample_data/generate.py [--seed N] [--out DIR] [--start YYYY-MM-DD] [--days N]

Writes five source files with deliberate format quirks (see GROUND_TRUTH.md) plus `planted.json`, a
machine-readable description of the CX problems planted in the data and of the dirty rows:

    events_ga4.csv             GA4-like flat event export, UTF-8, comma, LF
    clients_crm.csv            French Excel CSV: cp1252, ';', CRLF, decimal comma, NBSP thousands, d/m/Y
    commandes.xlsx             sheets `Notes` (cover text) and `Commandes` (orders)
    tickets_support.csv        UTF-8 with BOM, quoted text with commas and embedded newlines
    enquete_satisfaction.xlsx  sheets `Réponses` (Google-Forms-like) and `Questions`
    en/                        the tickets and the survey again, their texts in English (the files above write them
                               in French): the same rows, each text's twin written with the same topics and tone

Each ticket and comment is composed in its customer's language and again in the other one (its twin); the
files are written once per language, so the demo speaks the workspace's language and shows the same figures.

Everything derives from the seed (only `random.Random`, never the clock), so one seed gives byte-identical
files. Seed 42 plants the documented default problems; another seed plants the same kinds of problems at
other dates / devices / steps / pages (see `planted_params`).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import io
import itertools
import json
import math
import pathlib
import random
import re
import statistics
import sys
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from openpyxl import Workbook

DEFAULT_SEED = 42
DEFAULT_START = "2025-08-04"
DEFAULT_DAYS = 120
SITE = "https://www.maisonlumen.fr"
N_CUSTOMERS = 3000
N_ANON_VISITORS = 5000
N_TICKETS = 1200
N_RESPONSES = 1500

FILES = {
    "events": "events_ga4.csv",
    "customers": "clients_crm.csv",
    "orders": "commandes.xlsx",
    "tickets": "tickets_support.csv",
    "responses": "enquete_satisfaction.xlsx",
    "planted": "planted.json",
}

EVENTS_HEADER = [
    "event_date",
    "event_timestamp",
    "event_name",
    "user_pseudo_id",
    "user_id",
    "ga_session_id",
    "page_location",
    "device_category",
    "session_source_medium",
    "geo_country",
    "load_time_ms",
    "purchase_revenue",
    "currency",  # GA4's event currency, on the purchases (the shop sells in euros)
]
CRM_HEADER = [
    "N° client",
    "Civilité",
    "Prénom",
    "Nom",
    "E-mail",
    "Date d'inscription",
    "Année de naissance",
    "Ville",
    "Pays",
    "Segment",
    "Canal d'acquisition",
    "Membre fidélité",
    "CA total",
]
ORDERS_HEADER = [
    "Order ID",
    "Customer ID",
    "Order date",
    "Status",
    "Total (€)",
    "Items",
    "Payment method",
    "Channel",
    "Promised delivery",
    "Delivered at",
    "Return reason",
]
TICKETS_HEADER = [
    "Ticket ID",
    "Customer ID",
    "Channel",
    "Created at",
    "First response at",
    "Solved at",
    "Category",
    "Priority",
    "Complaint",
    "Satisfaction",
    "Description",
]
SURVEY_HEADER = [
    "Horodateur",
    "N° client",
    "Quelle est la probabilité que vous recommandiez Maison Lumen à un proche ? (0-10)",
    "Dans l’ensemble, êtes-vous satisfait(e) de votre dernière commande ? (1-5)",
    "Maison Lumen m’a facilité la résolution de ma demande (1-7)",
    "Pourquoi cette note ?",
    "Point de contact",
    "Langue",
]

DAY = dt.timedelta(days=1)
EPOCH = dt.datetime(1970, 1, 1)

# --------------------------------------------------------------------------------------------- catalogue
# slug, category, price (€), French name, English name
PRODUCTS = [
    ("lampe-opale", "luminaires", 89.90, "la lampe Opale", "Opale lamp"),
    ("suspension-rotin", "luminaires", 129.00, "la suspension en rotin", "rattan pendant light"),
    ("applique-laiton", "luminaires", 74.50, "l’applique en laiton", "brass wall light"),
    ("lampadaire-arc", "luminaires", 249.00, "le lampadaire Arc", "Arc floor lamp"),
    ("lampe-champignon", "luminaires", 59.90, "la lampe Champignon", "mushroom lamp"),
    ("guirlande-guinguette", "luminaires", 39.90, "la guirlande guinguette", "festoon lights"),
    ("suspension-verre-fume", "luminaires", 159.00, "la suspension en verre fumé", "smoked glass pendant"),
    ("lampe-baladeuse", "luminaires", 34.90, "la baladeuse", "cage lamp"),
    ("liseuse-noire", "luminaires", 119.00, "la liseuse noire", "black reading lamp"),
    ("abat-jour-lin", "luminaires", 45.00, "l’abat-jour en lin", "linen lampshade"),
    ("lampe-ceramique-sable", "luminaires", 69.90, "la lampe en céramique sable", "sand ceramic lamp"),
    ("table-basse-chene", "mobilier", 349.00, "la table basse en chêne", "oak coffee table"),
    ("console-travertin", "mobilier", 590.00, "la console en travertin", "travertine console"),
    ("fauteuil-bouclette", "mobilier", 449.00, "le fauteuil bouclette", "boucle armchair"),
    ("chaise-cannage", "mobilier", 139.00, "la chaise cannée", "cane chair"),
    ("etagere-metal", "mobilier", 219.00, "l’étagère en métal", "metal shelf"),
    ("buffet-rotin", "mobilier", 890.00, "le buffet en rotin", "rattan sideboard"),
    ("tabouret-bar-noyer", "mobilier", 119.00, "le tabouret de bar en noyer", "walnut bar stool"),
    ("table-appoint-marbre", "mobilier", 189.00, "la table d’appoint en marbre", "marble side table"),
    ("banc-bout-de-lit", "mobilier", 259.00, "le banc bout de lit", "end-of-bed bench"),
    ("canape-lin-3-places", "mobilier", 1290.00, "le canapé en lin 3 places", "3-seater linen sofa"),
    ("miroir-soleil", "mobilier", 99.00, "le miroir soleil", "sunburst mirror"),
    ("plaid-laine-merinos", "textile", 79.90, "le plaid en laine mérinos", "merino wool throw"),
    ("coussin-velours", "textile", 29.90, "le coussin en velours", "velvet cushion"),
    ("tapis-berbere", "textile", 249.00, "le tapis berbère", "Berber rug"),
    ("rideau-lin-lave", "textile", 49.90, "le rideau en lin lavé", "washed linen curtain"),
    ("nappe-lin", "textile", 54.90, "la nappe en lin", "linen tablecloth"),
    ("housse-couette-gaze", "textile", 89.90, "la housse de couette en gaze de coton", "cotton gauze duvet cover"),
    ("jete-de-lit-matelasse", "textile", 79.90, "le jeté de lit matelassé", "quilted bedspread"),
    ("tapis-jute", "textile", 129.00, "le tapis en jute", "jute rug"),
    ("serviette-nid-abeille", "textile", 19.90, "la serviette nid d’abeille", "waffle towel"),
    ("coussin-lin-brode", "textile", 34.90, "le coussin en lin brodé", "embroidered linen cushion"),
]
CATEGORIES = ("luminaires", "mobilier", "textile")
CATEGORY_PAGES = tuple(f"/categorie/{c}" for c in CATEGORIES)
CATEGORY_LABELS = {
    "luminaires": ("luminaires", "lighting"),
    "mobilier": ("mobilier", "furniture"),
    "textile": ("textile", "textiles"),
}
BLOG_POSTS = (
    "idees-deco-salon-automne",
    "bien-choisir-sa-suspension",
    "entretenir-le-rotin",
    "tendances-deco-2026",
    "guide-tapis-berbere",
    "lumiere-chaude-ou-froide",
    "creer-un-coin-lecture",
)
SEARCHES = (
    "lampe laiton",
    "tapis berbère",
    "fauteuil bouclette",
    "table basse chêne",
    "plaid",
    "coussin velours",
    "suspension rotin",
    "miroir",
    "rideau lin",
    "lampadaire",
    "étagère",
    "canapé",
    "abat-jour",
    "guirlande",
    "nappe",
    "chaise cannée",
)

SOURCES = (
    "google / organic",
    "google / cpc",
    "(direct) / (none)",
    "newsletter / email",
    "instagram / social",
    "facebook / paid_social",
)
LANDING = {  # source -> (home, category, product, blog) weights
    "google / organic": (10, 30, 45, 15),
    "google / cpc": (10, 35, 55, 0),
    "(direct) / (none)": (75, 15, 10, 0),
    "newsletter / email": (0, 45, 35, 20),
    "instagram / social": (15, 0, 60, 25),
    "facebook / paid_social": (0, 30, 70, 0),
}
# next page type after a page type: home, category, product, search, blog, faq
NEXT = {
    "home": (0, 50, 15, 20, 7, 8),
    "category": (5, 15, 70, 10, 0, 0),
    "product": (5, 30, 45, 10, 5, 5),
    "search": (0, 10, 75, 15, 0, 0),
    "blog": (10, 20, 50, 0, 20, 0),
    "faq": (30, 30, 20, 0, 0, 20),
}
PAGE_TYPES = ("home", "category", "product", "search", "blog", "faq")
EXIT_PROB = {"home": 0.28, "category": 0.22, "product": 0.32, "search": 0.20, "blog": 0.55, "faq": 0.45}
SLOW_PAGE_EXIT_PROB = 0.60
FUNNEL_RATES = {
    "add_to_cart": 0.35,
    "begin_checkout": 0.45,
    "add_shipping_info": 0.70,
    "add_payment_info": 0.80,
    "purchase": 0.75,
}
FUNNEL = ("view_item", "add_to_cart", "begin_checkout", "add_shipping_info", "add_payment_info", "purchase")

INCIDENT_KINDS = {
    "payment": {
        "step_from": "add_payment_info",
        "step_to": "purchase",
        "error_event": "payment_error",
        "error_page": "/commande/paiement",
        "normal_rate": 0.75,
        "incident_rate": 0.25,
    },
    "shipping": {
        "step_from": "begin_checkout",
        "step_to": "add_shipping_info",
        "error_event": "form_error",
        "error_page": "/commande/livraison",
        "normal_rate": 0.70,
        "incident_rate": 0.25,
    },
}
SUPPORT_MEDIAN_MIN = {"chat": 1.0, "phone": 6.0, "social": 45.0, "email": 16 * 60.0}  # when not the slow channel
SUPPORT_EXPECTED_H = {"chat": 2 / 60, "phone": 10 / 60, "social": 1.0, "email": 24.0}

WEEKDAY_FACTOR = (1.10, 1.08, 1.10, 1.05, 0.95, 0.75, 0.85)
MONTH_FACTOR = {1: 1.0, 2: 0.8, 3: 0.85, 4: 0.9, 5: 0.9, 6: 0.9, 7: 0.85, 8: 0.72, 9: 1.0, 10: 1.05, 11: 1.15, 12: 1.3}
HOURS_WEEKDAY = (
    0.25,
    0.12,
    0.07,
    0.05,
    0.05,
    0.1,
    0.25,
    0.5,
    0.7,
    0.8,
    0.85,
    0.9,
    1.1,
    1.15,
    0.9,
    0.85,
    0.85,
    0.95,
    1.25,
    1.6,
    1.9,
    2.0,
    1.6,
    0.8,
)
HOURS_WEEKEND = (
    0.35,
    0.2,
    0.1,
    0.06,
    0.05,
    0.06,
    0.12,
    0.3,
    0.6,
    0.95,
    1.15,
    1.2,
    1.15,
    1.1,
    1.1,
    1.1,
    1.1,
    1.1,
    1.1,
    1.2,
    1.35,
    1.35,
    1.1,
    0.6,
)

# ------------------------------------------------------------------------------------------------ people
FIRST_F = (
    "Françoise",
    "Hélène",
    "Zoé",
    "Gaëlle",
    "Anaïs",
    "Clémence",
    "Cécile",
    "Chloé",
    "Léa",
    "Océane",
    "Maëlys",
    "Aurélie",
    "Thérèse",
    "Marie",
    "Camille",
    "Julie",
    "Sophie",
    "Nathalie",
    "Isabelle",
    "Élodie",
    "Manon",
    "Emma",
    "Inès",
    "Agnès",
    "Béatrice",
    "Noémie",
    "Laure",
    "Sandrine",
    "Valérie",
    "Margaux",
    "Juliette",
    "Mélanie",
    "Lucie",
    "Céline",
    "Émilie",
    "Pauline",
    "Solène",
    "Josiane",
)
FIRST_M = (
    "Jérôme",
    "Benoît",
    "Loïc",
    "Raphaël",
    "Joël",
    "Frédéric",
    "Stéphane",
    "Mathéo",
    "Noël",
    "Hervé",
    "François",
    "Thomas",
    "Nicolas",
    "Julien",
    "Pierre",
    "Antoine",
    "Maxime",
    "Hugo",
    "Lucas",
    "Éric",
    "Sébastien",
    "Grégoire",
    "Cédric",
    "Régis",
    "Gaël",
    "Damien",
    "Olivier",
    "Bruno",
    "Théo",
    "Célestin",
)
FIRST_F_EN = ("Emma", "Olivia", "Charlotte", "Amelia", "Sophie", "Grace", "Emily", "Hannah", "Chloe", "Sarah")
FIRST_M_EN = ("Oliver", "James", "William", "Harry", "Jack", "George", "Noah", "Daniel", "Matthew", "Ethan")
LAST = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Lecœur",
    "Cœurdevey",
    "Bœuf",
    "N’Diaye",
    "D’Almeida",
    "L’Hermite",
    "Gonçalves",
    "Françon",
    "Lefèbvre",
    "Chênevert",
    "Bézier",
    "Crémieux",
    "Pétrel",
    "Desprès",
    "Noël",
    "Benoît",
    "Hébert",
    "Aubé",
    "Meunier",
    "Lemaître",
    "Châtelain",
    "Prévost",
)
LAST_EN = ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "O’Brien", "Johnson", "Miller")
COUNTRIES = (  # CRM label, GA4 code, weight, cities
    (
        "France",
        "FR",
        74,
        (
            "Paris",
            "Lyon",
            "Marseille",
            "Toulouse",
            "Nantes",
            "Bordeaux",
            "Lille",
            "Rennes",
            "Strasbourg",
            "Montpellier",
            "Nice",
            "Saint-Étienne",
            "Besançon",
            "Orléans",
            "Nîmes",
            "Angoulême",
            "Alençon",
            "Évry-Courcouronnes",
            "L’Haÿ-les-Roses",
            "Aix-en-Provence",
            "Clermont-Ferrand",
            "Le Mans",
            "Reims",
            "Caen",
            "Nancy",
            "Metz",
            "Brest",
            "Annecy",
            "Valence",
            "Boulogne-Billancourt",
            "Sèvres",
            "Châteauroux",
            "Vénissieux",
            "Fréjus",
            "Saint-Maur-des-Fossés",
        ),
    ),
    ("Belgique", "BE", 8, ("Bruxelles", "Liège", "Namur", "Charleroi", "Mons")),
    ("Suisse", "CH", 6, ("Genève", "Lausanne", "Neuchâtel", "Fribourg", "Sion")),
    ("Canada", "CA", 5, ("Montréal", "Québec", "Trois-Rivières", "Gatineau", "Toronto")),
    ("Royaume-Uni", "GB", 4, ("London", "Manchester", "Edinburgh", "Bristol")),
    ("États-Unis", "US", 3, ("New York", "Boston", "San Francisco", "Chicago")),
)
EN_SHARE = {"FR": 0.22, "BE": 0.15, "CH": 0.15, "CA": 0.40, "GB": 1.0, "US": 1.0}
ACQUISITION = (
    "Google",
    "Instagram",
    "Facebook",
    "Newsletter",
    "Bouche-à-oreille",
    "Parrainage",
    "Magasin",
    "Pinterest",
    "Salon Maison&Objet",
)
EMAIL_DOMAINS = ("example.fr", "example.com", "example.org", "example.net")

RETURN_REASONS = (
    "Article endommagé à la livraison",
    "Ne correspond pas à la description",
    "Couleur différente de la photo",
    "Dimensions inadaptées",
    "Changement d’avis",
    "Défaut de fabrication",
    "Livré trop tard",
    "Article reçu en double",
)


# ============================================================================================ helpers
def _last_sunday(year: int, month: int) -> dt.date:
    d = (dt.date(year, month + 1, 1) if month < 12 else dt.date(year + 1, 1, 1)) - DAY
    return d - dt.timedelta(days=(d.weekday() - 6) % 7)


def paris_offset(utc: dt.datetime) -> dt.timedelta:
    """Europe/Paris UTC offset (EU rule: CEST from the last Sunday of March to that of October, 01:00 UTC)."""
    start = dt.datetime.combine(_last_sunday(utc.year, 3), dt.time(1))
    end = dt.datetime.combine(_last_sunday(utc.year, 10), dt.time(1))
    return dt.timedelta(hours=2 if start <= utc < end else 1)


def local_to_utc(local: dt.datetime) -> dt.datetime:
    guess = local - dt.timedelta(hours=2)
    return guess if paris_offset(guess) == dt.timedelta(hours=2) else local - dt.timedelta(hours=1)


def black_friday(year: int) -> dt.date:
    nov1 = dt.date(year, 11, 1)
    return nov1 + dt.timedelta(days=(3 - nov1.weekday()) % 7 + 22)


def day_weight(d: dt.date) -> float:
    w = WEEKDAY_FACTOR[d.weekday()] * MONTH_FACTOR[d.month]
    delta = (d - black_friday(d.year)).days
    if delta == 0:
        w *= 2.2
    elif -4 <= delta <= 3:
        w *= 1.5
    if d.month == 12 and d.day >= 25:
        w *= 0.5
    return w


class Picker:
    """Weighted choice with precomputed cumulative weights."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = []
        total = 0.0
        for w in weights:
            total += w
            self.cum.append(total)

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


def pick(rng: random.Random, items, weights):
    return rng.choices(items, weights=weights)[0]


def poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def ascii_fold(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("’", "").replace("'", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]+", "", text.lower())


def fr_amount(x: float) -> str:
    """1234.5 -> '1\u00a0234,50 €' (NBSP thousands separator, decimal comma, plain space before €)."""
    return f"{x:,.2f}".replace(",", "\u00a0").replace(".", ",") + " €"


def fr_date(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def iso_dt(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S")


def cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _save_xlsx(wb: Workbook, path: pathlib.Path, when: dt.datetime) -> None:
    """Save with fixed document properties and fixed zip entry times so the bytes depend on content only."""
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.creator = "Maison Lumen"
    wb.properties.lastModifiedBy = "Maison Lumen"
    buf = io.BytesIO()
    wb.save(buf)  # openpyxl stamps `modified` with the clock and the zip entries with local time: fixed below
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: m.group(1) + stamp + m.group(3),
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, data)
    path.write_bytes(out.getvalue())


# ===================================================================================== planted params
def planted_params(seed: int = DEFAULT_SEED, start: str = DEFAULT_START, days: int = DEFAULT_DAYS) -> dict:
    """The planted problems for a seed. Seed 42 gives the documented defaults; other seeds move them."""
    s = dt.date.fromisoformat(start)
    end = s + (days - 1) * DAY
    default = seed == DEFAULT_SEED
    r = random.Random(f"maison-lumen/planted/{seed}")
    length = 14 if default else r.randint(10, 16)
    default_off = 63  # 2025-10-06 with the default start
    if default:
        off = default_off
    else:
        off = r.randint(14, max(14, days - length - 7))
        if abs(off - default_off) < 7:  # keep clear of the default window
            off = off + 21 if off + 21 <= days - length - 3 else max(0, off - 28)
    length = max(1, min(length, days))
    off = max(0, min(off, days - length))
    kind = "payment" if default else r.choice(("payment", "shipping"))
    device = "mobile" if default else r.choice(("mobile", "desktop"))
    slow_cat = "mobilier" if default else r.choice(("luminaires", "textile"))
    slow_channel = "email" if default else r.choice(("email", "social"))
    slow_hours = 62.0 if default else round(r.uniform(55, 70), 1)
    late_share = 0.20 if default else r.choice((0.16, 0.18, 0.22, 0.25))
    inc = dict(INCIDENT_KINDS[kind])
    return {
        "seed": seed,
        "start": s.isoformat(),
        "end": end.isoformat(),
        "days": days,
        "timezone": "Europe/Paris (event_date, order/ticket/survey times are local; event_timestamp is UTC)",
        "checkout_incident": {
            "kind": kind,
            "device": device,
            "from": (s + off * DAY).isoformat(),
            "to": (s + (off + length - 1) * DAY).isoformat(),
            **inc,
        },
        "slow_page": {
            "page": f"/categorie/{slow_cat}",
            "url": f"{SITE}/categorie/{slow_cat}",
            "load_ms_median": 4900,
            "load_ms_range": [4000, 6000],
            "other_pages_load_ms_range": [800, 1800],
            "exit_prob": SLOW_PAGE_EXIT_PROB,
            "other_category_exit_prob": EXIT_PROB["category"],
        },
        "late_delivery": {
            "late_share_of_shipped_orders": late_share,
            "days_late_range": [1, 9],
            "nps_promoter_detractor_probs": {
                "late_regular": [0.12, 0.62],
                "late_loyal": [0.35, 0.35],
                "on_time_regular": [0.40, 0.25],
                "on_time_loyal": [0.78, 0.06],
                "no_order": [0.32, 0.30],
            },
        },
        "support": {
            "slow_channel": slow_channel,
            "slow_channel_median_hours": slow_hours,
            "expected_first_response_hours": SUPPORT_EXPECTED_H,
            "normal_first_response_median_minutes": {k: v for k, v in SUPPORT_MEDIAN_MIN.items() if k != slow_channel},
        },
        "loyal_group": {
            "share_of_customers": 0.08,
            "min_orders": 5,
            "non_loyal_max_orders": 4,
            "loyalty_member_share": 0.85,
            "vip_share": 0.55,
        },
        "funnel_step_rates": dict(FUNNEL_RATES),
    }


# ============================================================================================ model
@dataclass
class Customer:
    id: str
    civ: str
    first: str
    last: str
    email: str
    signup: dt.date
    birth_year: int
    city: str
    country: str
    geo: str
    segment: str
    acquisition: str
    member: bool
    loyal: bool
    lang: str
    target_orders: int
    device: str | None = None  # device of their web visitor, when they have one
    orders: list = field(default_factory=list)


@dataclass
class Order:
    customer: Customer
    when: dt.datetime  # Paris local, naive
    total: float
    items: int
    channel: str
    payment: str
    from_ga4: bool = False
    order_id: str = ""
    status: str = "completed"
    promised: dt.date | None = None
    delivered: dt.date | None = None
    return_reason: str | None = None
    dirty_total: object = None  # when set, written instead of the total
    dirty: bool = False

    @property
    def late(self) -> bool:
        return self.delivered is not None and self.promised is not None and self.delivered > self.promised


def basket(rng: random.Random, premium: bool) -> tuple[float, int]:
    n = pick(rng, (1, 2, 3, 4, 5), (32, 36, 20, 8, 4) if premium else (58, 29, 10, 3, 0))
    cat_w = (36, 25, 39) if premium else (40, 8, 52)
    total = 0.0
    for _ in range(n):
        cat = pick(rng, CATEGORIES, cat_w)
        total += _PRODUCT_PICKERS[cat](rng)[2]
    if total < 79:
        total += 5.90
    return round(total, 2), n


_PRODUCT_PICKERS = {
    c: Picker([p for p in PRODUCTS if p[1] == c], [p[2] ** -0.5 for p in PRODUCTS if p[1] == c]) for c in CATEGORIES
}


# ====================================================================================== customers
def build_customers(rng: random.Random, hist_start: dt.date, end: dt.date, loyal_share: float) -> list[Customer]:
    country_pick = Picker(COUNTRIES, [c[2] for c in COUNTRIES])
    loyal_ids = set(rng.sample(range(N_CUSTOMERS), round(loyal_share * N_CUSTOMERS)))
    emails: set[str] = set()
    out = []
    early = dt.date(2019, 1, 7)
    for i in range(N_CUSTOMERS):
        loyal = i in loyal_ids
        country, geo, _, cities = country_pick(rng)
        lang = "en" if rng.random() < EN_SHARE[geo] else "fr"
        female = rng.random() < 0.64
        english_name = geo in ("GB", "US") or (lang == "en" and rng.random() < 0.5)
        if english_name:
            first = rng.choice(FIRST_F_EN if female else FIRST_M_EN)
            last = rng.choice(LAST_EN if rng.random() < 0.8 else LAST)
        else:
            first = rng.choice(FIRST_F if female else FIRST_M)
            last = rng.choice(LAST)
        base = f"{ascii_fold(first)}.{ascii_fold(last)}"
        domain = rng.choice(EMAIL_DOMAINS)
        email, k = f"{base}@{domain}", 1
        while email in emails:
            k += 1
            email = f"{base}{k}@{domain}"
        emails.add(email)
        if loyal:
            signup = early + dt.timedelta(days=rng.randint(0, (hist_start - early).days - 30))
        elif rng.random() < 0.65:
            signup = early + dt.timedelta(days=rng.randint(0, (hist_start - early).days))
        else:
            signup = hist_start + dt.timedelta(days=rng.randint(0, (end - hist_start).days - 2))
        if loyal:
            segment = pick(rng, ("VIP", "Professionnel", "Particulier"), (55, 10, 35))
            member = rng.random() < 0.85
            target = min(14, 5 + poisson(rng, 2.5))
        else:
            segment = pick(rng, ("VIP", "Professionnel", "Particulier"), (2, 9, 89))
            member = rng.random() < 0.22
            target = pick(rng, (0, 1, 2, 3, 4), (27, 42, 18, 9, 4))
        out.append(
            Customer(
                id=f"C{i + 1:05d}",
                civ="Mme" if female else "M.",
                first=first,
                last=last,
                email=email,
                signup=signup,
                birth_year=round(rng.triangular(1945, 2005, 1982)),
                city=rng.choice(cities),
                country=country,
                geo=geo,
                segment=segment,
                acquisition=pick(rng, ACQUISITION, (30, 18, 10, 10, 12, 6, 8, 4, 2)),
                member=member,
                loyal=loyal,
                lang=lang,
                target_orders=target,
            )
        )
    return out


# ========================================================================================= events
@dataclass
class SessionResult:
    visitor: str
    session_id: int
    device: str
    source: str
    local_day: dt.date
    user_id: str
    geo: str
    rows: list  # (ts_us, event_name, path, load_ms, revenue)
    steps: set
    purchase: tuple | None = None  # (ts_us, revenue, items)
    in_incident: bool = False


def build_events(rng: random.Random, customers: list[Customer], p: dict) -> tuple[list[SessionResult], dict]:
    start = dt.date.fromisoformat(p["start"])
    end = dt.date.fromisoformat(p["end"])
    days = [start + i * DAY for i in range((end - start).days + 1)]
    day_pick = Picker(days, [day_weight(d) for d in days])
    hour_wd = Picker(range(24), HOURS_WEEKDAY)
    hour_we = Picker(range(24), HOURS_WEEKEND)
    inc = p["checkout_incident"]
    inc_from, inc_to = dt.date.fromisoformat(inc["from"]), dt.date.fromisoformat(inc["to"])
    slow_path = p["slow_page"]["page"]
    device_pick = Picker(("mobile", "desktop", "tablet"), (58, 36, 6))
    geo_pick = Picker(("FR", "BE", "CH", "CA", "GB", "US"), (80, 7, 5, 4, 2, 2))
    src_first = Picker(SOURCES, (34, 16, 20, 6, 14, 10))
    src_return = Picker(SOURCES, (26, 10, 36, 16, 8, 4))
    landing = {s: Picker(("home", "category", "product", "blog"), w) for s, w in LANDING.items()}
    next_pick = {k: Picker(PAGE_TYPES, w) for k, w in NEXT.items()}
    cat_pick = Picker(CATEGORIES, (40, 30, 30))
    prod_by_cat = {c: [pr for pr in PRODUCTS if pr[1] == c] for c in CATEGORIES}

    # ---- visitors: (customer or None, device, geo, n_sessions)
    visitors = []
    for c in customers:
        if c.signup > end - 7 * DAY:
            continue
        if rng.random() < (0.90 if c.loyal else 0.32):
            n = rng.randint(3, 9) if c.loyal else pick(rng, range(1, 9), (30, 26, 17, 11, 7, 5, 3, 1))
            c.device = device_pick(rng)
            visitors.append((c, c.device, c.geo, n))
    for _ in range(N_ANON_VISITORS):
        visitors.append((None, device_pick(rng), geo_pick(rng), pick(rng, (1, 2, 3, 4, 5), (78, 13, 5, 3, 1))))

    sessions: list[SessionResult] = []
    used_ids: set[str] = set()
    for cust, device, geo, n in visitors:
        lo = max(start, cust.signup) if cust else start
        sdays = []
        for _ in range(n):
            d = day_pick(rng)
            tries = 0
            while d < lo and tries < 20:
                d, tries = day_pick(rng), tries + 1
            sdays.append(max(d, lo))
        starts = []
        for d in sorted(sdays):
            hour = (hour_we if d.weekday() >= 5 else hour_wd)(rng)
            local = dt.datetime.combine(d, dt.time(hour, rng.randint(0, 59), rng.randint(0, 59)))
            starts.append(local)
        starts.sort()
        first_epoch = int((local_to_utc(starts[0]) - EPOCH).total_seconds())
        pid = f"{rng.randint(100_000_000, 2_147_483_647)}.{first_epoch}"
        while pid in used_ids:
            pid = f"{rng.randint(100_000_000, 2_147_483_647)}.{first_epoch}"
        used_ids.add(pid)
        last_end = None
        for k, local in enumerate(starts):
            utc = local_to_utc(local)
            if last_end is not None and utc <= last_end + dt.timedelta(minutes=31):
                utc = last_end + dt.timedelta(minutes=rng.randint(35, 300))  # sessions of one visitor never overlap
                local = utc + paris_offset(utc)
            source = (src_first if k == 0 else src_return)(rng)
            if cust and rng.random() < 0.12:
                source = "newsletter / email"
            in_inc = device == inc["device"] and inc_from <= local.date() <= inc_to
            res = _simulate_session(
                rng,
                utc,
                local,
                pid,
                device,
                geo,
                source,
                cust,
                in_inc,
                inc,
                slow_path,
                landing[source],
                next_pick,
                cat_pick,
                prod_by_cat,
            )
            session_end = EPOCH + dt.timedelta(microseconds=res.rows[-1][0])
            if (session_end + paris_offset(session_end)).date() > end:
                continue  # would run past the export period
            sessions.append(res)
            last_end = session_end
    return sessions, {"visitors": len(visitors), "known_visitors": sum(1 for v in visitors if v[0])}


def _simulate_session(
    rng, utc, local, pid, device, geo, source, cust, in_inc, inc, slow_path, land_pick, next_pick, cat_pick, prod_by_cat
) -> SessionResult:
    t0_us = int((utc - EPOCH).total_seconds()) * 1_000_000 + rng.randint(0, 999_999)
    rows: list = []
    clock = [0.0]
    steps: set = set()
    dev_factor = {"mobile": 1.3, "desktop": 1.05, "tablet": 1.25}[device]

    def emit(name, path, wait=0.0, load=None, revenue=None):
        clock[0] += max(wait, 0.001)
        rows.append([t0_us + int(clock[0] * 1_000_000), name, path, load, revenue])

    def load_ms(path):
        if path == slow_path:
            return int(min(6400, max(3800, rng.lognormvariate(math.log(4900), 0.1))))
        return int(min(2400, max(700, rng.lognormvariate(math.log(1000 * dev_factor), 0.17))))

    def page(path, wait):
        emit("page_view", path, wait, load=load_ms(path))

    def think():
        return min(600.0, max(3.0, rng.lognormvariate(math.log(35), 0.8)))

    state = {"cat": None, "product": None}

    def show(ptype, wait):
        if ptype == "home":
            page("/", wait)
        elif ptype == "category":
            cat = cat_pick(rng)
            state["cat"] = cat
            page(f"/categorie/{cat}", wait)
            emit("view_item_list", f"/categorie/{cat}", rng.uniform(0.2, 1.5))
        elif ptype == "product":
            cat = state["cat"] if state["cat"] and rng.random() < 0.85 else cat_pick(rng)
            prod = rng.choice(prod_by_cat[cat])
            state["product"] = prod
            path = f"/produit/{prod[0]}"
            page(path, wait)
            emit("view_item", path, rng.uniform(0.2, 1.5))
            steps.add("view_item")
        elif ptype == "search":
            path = f"/recherche?q={quote_plus(rng.choice(SEARCHES))}"
            page(path, wait)
            emit("search", path, rng.uniform(0.1, 0.8))
            if rng.random() < 0.9:
                emit("view_item_list", path, rng.uniform(0.2, 1.0))
        elif ptype == "blog":
            page(f"/blog/{rng.choice(BLOG_POSTS)}", wait)
        else:
            page("/aide/faq", wait)

    def exit_prob(ptype):
        if ptype == "category" and f"/categorie/{state['cat']}" == slow_path:
            return SLOW_PAGE_EXIT_PROB
        return EXIT_PROB[ptype]

    def browse(n_pages, ptype):  # a few more pages after an abandoned cart, never a second funnel
        for _ in range(n_pages):
            ptype = next_pick[ptype](rng)
            show(ptype, think())
            if rng.random() < exit_prob(ptype):
                return

    emit("session_start", "", 0.0)
    rows[-1][2] = None  # filled with the landing page below
    ptype = land_pick(rng)
    show(ptype, rng.uniform(0.001, 0.05))
    rows[0][2] = rows[1][2]
    purchase = None
    decided = False
    for _ in range(12):
        if ptype == "product" and not decided:
            decided = True
            if rng.random() < FUNNEL_RATES["add_to_cart"]:
                purchase = _funnel(rng, emit, page, think, show, steps, state, in_inc, inc, cust)
                if purchase is None and rng.random() < 0.3:
                    browse(rng.randint(1, 2), "product")
                break
        if rng.random() < exit_prob(ptype):
            break
        ptype = next_pick[ptype](rng)
        show(ptype, think())
    user_id = ""
    if cust and ("begin_checkout" in steps or rng.random() < 0.55):
        user_id = cust.id
    return SessionResult(
        pid,
        t0_us // 1_000_000,
        device,
        source,
        local.date(),
        user_id,
        geo,
        [tuple(r) for r in rows],
        steps,
        purchase,
        in_inc,
    )


def _funnel(rng, emit, page, think, show, steps, state, in_inc, inc, cust):
    prod_path = f"/produit/{state['product'][0]}"
    emit("add_to_cart", prod_path, rng.uniform(15, 150))
    steps.add("add_to_cart")
    if rng.random() < 0.25:  # keeps shopping a little
        for _ in range(rng.randint(1, 2)):
            show("product", think())
            if rng.random() < 0.3:
                emit("add_to_cart", f"/produit/{state['product'][0]}", rng.uniform(10, 90))
    page("/panier", rng.uniform(5, 40))

    def rate(step):
        if in_inc and inc["step_to"] == step:
            return inc["incident_rate"]
        return FUNNEL_RATES[step]

    if rng.random() >= rate("begin_checkout"):
        return None
    emit("begin_checkout", "/panier", rng.uniform(5, 60))
    steps.add("begin_checkout")
    page("/commande/livraison", rng.uniform(1, 4))
    shipping_incident = in_inc and inc["step_to"] == "add_shipping_info"
    if rng.random() < 0.07:
        emit("form_error", "/commande/livraison", rng.uniform(20, 90))
    if rng.random() >= rate("add_shipping_info"):
        if shipping_incident and rng.random() < 0.92:
            for _ in range(rng.randint(1, 3)):
                emit("form_error", "/commande/livraison", rng.uniform(8, 60))
        return None
    if shipping_incident and rng.random() < 0.4:
        emit("form_error", "/commande/livraison", rng.uniform(8, 60))
    emit("add_shipping_info", "/commande/livraison", rng.uniform(25, 150))
    steps.add("add_shipping_info")
    page("/commande/paiement", rng.uniform(1, 4))
    if rng.random() >= rate("add_payment_info"):
        return None
    emit("add_payment_info", "/commande/paiement", rng.uniform(20, 120))
    steps.add("add_payment_info")
    payment_incident = in_inc and inc["step_to"] == "purchase"
    if rng.random() >= rate("purchase"):
        if payment_incident:
            if rng.random() < 0.92:
                for _ in range(rng.randint(1, 3)):
                    emit("payment_error", "/commande/paiement", rng.uniform(4, 40))
        elif rng.random() < 0.3:
            emit("payment_error", "/commande/paiement", rng.uniform(4, 40))
        return None
    if rng.random() < (0.45 if payment_incident else 0.05):
        emit("payment_error", "/commande/paiement", rng.uniform(4, 30))
    page("/commande/confirmation", rng.uniform(3, 15))
    revenue, items = basket(rng, bool(cust and cust.loyal))
    emit("purchase", "/commande/confirmation", rng.uniform(0.2, 2), revenue=revenue)
    steps.add("purchase")
    return revenue, items


# ========================================================================================= orders
def build_orders(
    rng: random.Random, customers: list[Customer], sessions: list[SessionResult], p: dict, hist_start: dt.date
) -> list[Order]:
    end = dt.date.fromisoformat(p["end"])
    late_share = p["late_delivery"]["late_share_of_shipped_orders"]
    by_id = {c.id: c for c in customers}
    orders: list[Order] = []
    pay_pick = Picker(("card", "paypal", "apple_pay", "bank_transfer"), (62, 22, 12, 4))
    for s in sessions:
        if s.purchase and s.user_id:
            ts_us = next(r[0] for r in s.rows if r[1] == "purchase")
            utc = EPOCH + dt.timedelta(microseconds=ts_us)
            local = (utc + paris_offset(utc)).replace(microsecond=0)
            c = by_id[s.user_id]
            pay = pay_pick(rng)
            if pay == "apple_pay" and s.device == "desktop":
                pay = "card"
            o = Order(c, local, s.purchase[0], s.purchase[1], "web", pay, from_ga4=True)
            orders.append(o)
            c.orders.append(o)
    hist_days = [hist_start + i * DAY for i in range((end - hist_start).days + 1)]
    hist_w = [day_weight(d) * (0.8 + 0.4 * i / len(hist_days)) for i, d in enumerate(hist_days)]
    hour_pick = Picker(range(24), HOURS_WEEKDAY)
    for c in customers:
        remaining = c.target_orders - len(c.orders)
        if remaining <= 0:
            continue
        lo = max(c.signup, hist_start)
        i0 = (lo - hist_start).days
        pk = Picker(hist_days[i0:], hist_w[i0:])
        for _ in range(remaining):
            d = pk(rng)
            channel = pick(rng, ("web", "mobile_app", "store"), (55, 30, 15))
            hour = rng.randint(10, 18) if channel == "store" else hour_pick(rng)
            when = dt.datetime.combine(d, dt.time(hour, rng.randint(0, 59), rng.randint(0, 59)))
            total, items = basket(rng, c.loyal)
            pay = pay_pick(rng)
            if channel == "store" and pay in ("paypal", "bank_transfer"):
                pay = "card"
            o = Order(c, when, total, items, channel, pay)
            orders.append(o)
            c.orders.append(o)
    orders.sort(key=lambda o: (o.when, o.customer.id))
    for i, o in enumerate(orders):
        o.order_id = f"#{10001 + i}"
        lead = rng.randint(7, 12) if o.total > 400 else rng.randint(3, 5)
        promised = o.when.date()
        while lead:
            promised += DAY
            if promised.weekday() < 5:
                lead -= 1
        o.promised = promised
        r = rng.random()
        if r < 0.05:
            o.status = "cancelled"
            continue
        if rng.random() < late_share:
            delivered = promised + dt.timedelta(days=pick(rng, range(1, 10), (22, 20, 16, 12, 10, 8, 6, 4, 2)))
        else:
            delivered = max(o.when.date() + DAY, promised - dt.timedelta(days=pick(rng, (0, 1, 2), (50, 35, 15))))
        if delivered > end:
            o.delivered = None  # still in transit on the export date
            continue
        o.delivered = delivered
        if r < 0.12 and delivered <= end - 2 * DAY:
            o.status = "returned"
            o.return_reason = (
                "Livré trop tard"
                if o.late and rng.random() < 0.4
                else pick(rng, RETURN_REASONS, (20, 16, 14, 12, 14, 12, 0, 4))
            )
    for c in customers:
        c.orders.sort(key=lambda o: o.when)
    # three dirty totals, never on an order that mirrors a GA4 purchase
    candidates = [o for o in orders if not o.from_ga4 and o.status == "completed"]
    for o, bad in zip(rng.sample(candidates, 3), (None, "N/A", "non renseigné")):
        o.dirty, o.dirty_total = True, bad
    return orders


# ======================================================================================== texts
def _fr_forms(name: str) -> dict:
    """'la lampe Opale' -> the forms the French templates use (article, 'de' contraction, agreement)."""
    feminine = name.startswith(("la ", "l’applique", "l’étagère"))
    de = "du " + name[3:] if name.startswith("le ") else "de " + name
    return {"product": name, "Product": cap(name), "de_product": de, "e": "e" if feminine else ""}


def _choose(rng: random.Random, templates, ctx: dict) -> str:
    """A template whose context placeholders ({order}, {promised}, {first}) can all be filled."""
    usable = [t for t in templates if all(ctx.get(k) for k in ("order", "promised", "first") if "{" + k + "}" in t)]
    return rng.choice(usable or templates)


def _fill(rng: random.Random, text: str, lang: str, ctx: dict) -> str:
    prod = ctx.get("product") or rng.choice(PRODUCTS)
    values = {
        "n": str(rng.randint(2, 6)),
        "w": str(rng.randint(2, 5)),
        "order": ctx.get("order") or ("ma commande" if lang == "fr" else "my order"),
        "promised": ctx.get("promised", ""),
        "first": ctx.get("first", ""),
        "page": ctx.get("page", ""),
        "query": rng.choice(SEARCHES),
        "device": ctx.get("device", ""),
    }
    if lang == "fr":
        values.update(_fr_forms(prod[3]))
    else:
        values.update({"product": prod[4], "Product": cap(prod[4]), "de_product": "of the " + prod[4], "e": ""})
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], text)


COMMENT_CORE = {
    ("delivery", "neg", "fr"): (
        "livraison avec {n} jours de retard",
        "colis arrivé en retard et sans prévenir",
        "le transporteur a reporté la livraison {n} fois",
        "retard de livraison sans aucune information",
        "mon colis est resté bloqué une semaine au dépôt",
        "la date de livraison promise n’a pas été respectée",
        "livraison annoncée pour le {promised}, reçue {n} jours plus tard",
        "toujours en retard à la livraison, c’est la deuxième fois",
    ),
    ("delivery", "neg", "en"): (
        "delivery was {n} days late",
        "the parcel arrived late with no tracking update",
        "the courier postponed the delivery {n} times",
        "late delivery and nobody warned me",
        "my package sat at the depot for a week",
        "the promised delivery date was missed",
        "delivery was due on {promised} and came {n} days later",
    ),
    ("delivery", "mid", "fr"): (
        "beau produit mais livraison en retard",
        "bien reçu, mais avec {n} jours de retard",
        "la livraison a pris plus de temps que prévu",
        "colis un peu en retard",
    ),
    ("delivery", "mid", "en"): (
        "nice product but the delivery was late",
        "arrived fine, just {n} days late",
        "delivery took longer than promised",
    ),
    ("delivery", "pos", "fr"): (
        "livraison rapide et soignée",
        "colis très bien emballé, reçu avant la date prévue",
        "livreur aimable et ponctuel",
        "livraison rapide malgré un léger retard",
    ),
    ("delivery", "pos", "en"): (
        "fast delivery, well packed",
        "the parcel arrived earlier than expected",
        "quick and careful delivery",
    ),
    ("price", "neg", "fr"): (
        "trop cher pour la qualité",
        "les prix ont beaucoup augmenté",
        "frais de port trop chers",
        "prix excessif pour {product}",
    ),
    ("price", "neg", "en"): ("too expensive for what it is", "shipping costs are too high", "prices went up a lot"),
    ("price", "mid", "fr"): (
        "prix un peu élevé mais correct",
        "c’est cher, mais c’est beau",
        "un peu cher hors soldes",
    ),
    ("price", "mid", "en"): ("a bit pricey but fair", "expensive outside the sales", "price is on the high side"),
    ("price", "pos", "fr"): (
        "bon rapport qualité-prix",
        "prix raisonnables pendant les soldes",
        "{product} vaut largement son prix",
    ),
    ("price", "pos", "en"): ("good value for money", "fair prices", "the {product} is worth every penny"),
    ("support", "neg", "fr"): (
        "le service client ne répond pas",
        "SAV injoignable",
        "réponse du service client au bout de {n} jours",
        "SAV peu aimable et pas de solution",
    ),
    ("support", "neg", "en"): (
        "customer service never answered",
        "support took {n} days to reply",
        "unhelpful customer service",
    ),
    ("support", "mid", "fr"): ("service client poli mais un peu lent", "SAV correct, sans plus"),
    ("support", "mid", "en"): ("support was polite but slow", "customer service was okay"),
    ("support", "pos", "fr"): (
        "service client très réactif",
        "conseillère SAV adorable et efficace",
        "problème réglé en une fois par le service client",
    ),
    ("support", "pos", "en"): (
        "support was quick and helpful",
        "great customer service",
        "customer service sorted it out in one go",
    ),
    ("waiting", "neg", "fr"): (
        "{n} jours d’attente pour une simple réponse par e-mail",
        "temps d’attente interminable au téléphone",
        "trop d’attente pour avoir une réponse",
    ),
    ("waiting", "neg", "en"): (
        "I had to wait {n} days for an email reply",
        "long wait on the phone",
        "too much waiting to get an answer",
    ),
    ("waiting", "mid", "fr"): ("un peu d’attente mais réponse utile", "attente correcte"),
    ("waiting", "mid", "en"): ("a bit of a wait but a useful answer", "the wait was acceptable"),
    ("waiting", "pos", "fr"): ("aucune attente, réponse immédiate sur le chat", "pas d’attente au téléphone"),
    ("waiting", "pos", "en"): ("no wait at all on the chat", "no waiting on the phone"),
    ("payment", "neg", "fr"): (
        "paiement refusé plusieurs fois sur {device}",
        "carte refusée alors qu’elle fonctionne partout ailleurs",
        "impossible de payer sur {device}",
        "le paiement a échoué {n} fois",
    ),
    ("payment", "neg", "en"): (
        "payment failed several times on my {device}",
        "my card was declined for no reason",
        "could not pay on my {device}",
        "payment failed {n} times",
    ),
    ("payment", "mid", "fr"): ("paiement compliqué mais ça a fini par passer", "carte refusée une fois, puis OK"),
    ("payment", "mid", "en"): ("payment was fiddly but went through", "card declined once, then fine"),
    ("payment", "pos", "fr"): ("paiement simple avec Apple Pay", "paiement rapide et sécurisé"),
    ("payment", "pos", "en"): ("checkout and payment were easy", "quick and secure payment"),
    ("website", "neg", "fr"): (
        "site très lent",
        "la page {page} met une éternité à charger",
        "bug au moment de valider le panier",
        "l’application a planté deux fois",
        "le site est lent et plante sur mobile",
    ),
    ("website", "neg", "en"): (
        "the website is really slow",
        "the {page} page takes forever to load",
        "the site crashed at checkout",
        "there is a bug in the basket",
    ),
    ("website", "mid", "fr"): ("site joli mais un peu lent", "quelques bugs sur mobile"),
    ("website", "mid", "en"): ("nice site but a bit slow", "a few bugs on mobile"),
    ("website", "pos", "fr"): ("site agréable et facile à utiliser", "navigation fluide, on trouve tout"),
    ("website", "pos", "en"): ("nice and easy website", "smooth browsing, easy to find things"),
    ("quality", "neg", "fr"): (
        "{product} arrivé{e} cassé{e}",
        "qualité décevante",
        "finitions de mauvaise qualité",
        "{product} abîmé{e} dès la première semaine",
    ),
    ("quality", "neg", "en"): ("the {product} arrived broken", "disappointing quality", "poor quality finish"),
    ("quality", "mid", "fr"): ("qualité correcte pour le prix", "{product} joli{e} mais un peu fragile"),
    ("quality", "mid", "en"): ("decent quality for the price", "the {product} is pretty but a little flimsy"),
    ("quality", "pos", "fr"): (
        "très belle qualité",
        "{product} superbe, conforme aux photos",
        "matières de qualité, on sent le soin",
        "{product} rend encore mieux en vrai",
    ),
    ("quality", "pos", "en"): (
        "beautiful quality",
        "the {product} looks even better than in the photos",
        "lovely materials, well made",
    ),
    ("returns", "neg", "fr"): (
        "retour compliqué et remboursement toujours pas reçu",
        "remboursement au bout de {w} semaines",
        "procédure de retour pénible",
    ),
    ("returns", "neg", "en"): ("the return process is a pain, still no refund", "refund took {w} weeks"),
    ("returns", "mid", "fr"): ("retour possible mais remboursement lent", "retour gratuit, mais pas simple"),
    ("returns", "mid", "en"): ("return was possible but the refund was slow", "free return, but not simple"),
    ("returns", "pos", "fr"): ("retour facile et remboursement rapide", "échange fait sans difficulté"),
    ("returns", "pos", "en"): ("easy return and quick refund", "exchange done without any fuss"),
}
OPENERS = {
    ("neg", "fr"): ("", "", "Très déçue. ", "Déçu. ", "Franchement, ", "Dommage : ", "Bof. ", "Inadmissible : "),
    ("neg", "en"): ("", "", "Very disappointed. ", "Not happy. ", "Honestly, ", "Shame: "),
    ("mid", "fr"): ("", "", "Correct. ", "Pas mal dans l’ensemble, ", "Mitigé : "),
    ("mid", "en"): ("", "", "OK overall. ", "Mixed feelings: ", "Fine, but "),
    ("pos", "fr"): ("", "", "Parfait ! ", "Très contente. ", "Top : ", "Comme toujours, ", "Ravi de mon achat : "),
    ("pos", "en"): ("", "", "Perfect! ", "Love it. ", "As always, ", "Great: "),
}
CLOSERS = {
    ("neg", "fr"): (
        "",
        "",
        " Je ne recommanderai pas.",
        " Dommage car les produits sont beaux.",
        " À améliorer.",
        " J’hésiterai avant de recommander.",
    ),
    ("neg", "en"): ("", "", " Won’t recommend.", " A shame, the products are lovely.", " Needs improving."),
    ("mid", "fr"): ("", "", " Peut mieux faire.", " Sinon rien à dire."),
    ("mid", "en"): ("", "", " Could do better.", " Otherwise fine."),
    ("pos", "fr"): ("", "", " Je recommande !", " Merci à l’équipe.", " Je reviendrai.", " Bravo."),
    ("pos", "en"): ("", "", " Highly recommend!", " Thanks to the team.", " Will order again."),
}


def other_lang(lang: str) -> str:
    return "en" if lang == "fr" else "fr"


TWIN_TRIES = 200


def compose_comment(
    rng: random.Random, topic: str, pol: str, lang: str, ctx: dict, twin_rng: random.Random, twin_ctx: dict, reads
) -> dict[str, str]:
    """A comment in the respondent's language and its twin in the other one, {"fr": …, "en": …}: the same topics,
    punctuation and case (the decisions drawn once, from `rng`), the twin's words from `twin_rng` alone, drawn
    again until `reads` (what Parcours reads in a comment: themes, tone, each theme's tone) reads the twin as the
    original — else as its themes and tone, else as its themes — so the sample's figures do not depend on the
    language its texts are written in (sample_data/en/; tests/test_demo_language.py compares them)."""
    decisions = []
    text = _compose(rng, lambda draw: decisions.append(draw()) or decisions[-1], topic, pol, lang, ctx)
    original = reads(text)
    for alike in (3, 2, 1, 0):  # how much of the reading must be the same: all of it, then less
        for _ in range(TWIN_TRIES):
            replay = iter(decisions).__next__
            twin = _compose(twin_rng, lambda draw, replay=replay: replay(), topic, pol, other_lang(lang), twin_ctx)
            if reads(twin)[:alike] == original[:alike]:
                return {lang: text, other_lang(lang): twin}


def _compose(rng: random.Random, decide, topic: str, pol: str, lang: str, ctx: dict) -> str:
    """One comment's words from `rng`; its decisions through `decide(draw)` (drawn, or replayed for a twin)."""
    core = _fill(rng, _choose(rng, COMMENT_CORE[(topic, pol, lang)], ctx), lang, ctx)
    opener = rng.choice(OPENERS[(pol, lang)])
    text = (opener + core) if opener.endswith((", ", "but ", ": ")) else opener + cap(core)
    text = cap(text) + ("." if decide(rng.random) < 0.85 else (" !" if lang == "fr" else "!"))
    if decide(rng.random) < 0.3:  # a second remark on another, non-delivery topic
        other = decide(
            lambda: rng.choice([t for t in ("price", "quality", "website", "support", "returns") if t != topic])
        )
        pol2 = pol if decide(rng.random) < 0.7 else "mid"
        joiner = rng.choice((" Par ailleurs, ", " Et ", " En plus, ") if lang == "fr" else (" Also, ", " And "))
        second = _fill(rng, _choose(rng, COMMENT_CORE[(other, pol2, lang)], ctx), lang, ctx)
        text += joiner + second + "."
    text += rng.choice(CLOSERS[(pol, lang)])
    if decide(rng.random) < 0.12:
        text = text.lower()
    if decide(rng.random) < 0.06:
        text = text.rstrip(".!")
    return text


TICKET_TEXTS = {
    ("livraison", "fr"): (
        "Ma commande {order} devait arriver le {promised} et je n’ai toujours rien reçu, le suivi n’a pas bougé depuis {n} jours.",
        "Colis {order} annoncé livré mais jamais reçu, pouvez-vous vérifier auprès du transporteur ?",
        "Livraison en retard, encore une fois. J’avais pris un jour de congé pour réceptionner {product}, personne n’est passé.",
        "Le livreur a laissé le colis chez un voisin, sans prévenir, et le carton est abîmé.",
        "Bonjour,\n\nJe n’ai pas reçu ma commande {order}, prévue le {promised}.\nPouvez-vous me donner une nouvelle date, s’il vous plaît ?\n\nCordialement,\n{first}",
        "Bonjour,\nle suivi de la commande {order} indique « en cours d’acheminement » depuis {n} jours.\nMerci de me tenir informée.\n{first}",
    ),
    ("livraison", "en"): (
        "Order {order} was due on {promised}, still nothing, tracking has not moved for {n} days.",
        "Parcel marked as delivered but I never got it, can you check with the courier?",
        "Hello,\n\nMy order {order} is late again.\nI need the {product} before the weekend, please advise.\n\nThanks,\n{first}",
        "The courier left the box outside, in the rain, and the {product} is damaged.",
    ),
    ("paiement", "fr"): (
        "Le paiement a été débité deux fois pour la commande {order}, merci de rembourser le doublon.",
        "Impossible de payer avec PayPal, la page reste blanche après validation.",
        "Carte refusée au moment de valider, message « erreur technique », j’ai réessayé {n} fois.",
        "Bonjour,\n\nje souhaite une facture pour la commande {order}, avec le nom de ma société.\n\nMerci,\n{first}",
    ),
    ("paiement", "en"): (
        "I was charged twice for order {order}, please refund one of the payments.",
        "PayPal checkout just spins forever, tried {n} times.",
        "Could you send an invoice for order {order}, with my company name?",
    ),
    ("produit", "fr"): (
        "{Product} est arrivé{e} cassé{e}, photos en pièce jointe.",
        "La couleur {de_product} ne correspond pas à la photo du site, elle est beaucoup plus foncée.",
        "Il manque une vis pour monter {product}, pouvez-vous m’en envoyer une ?",
        "Question : peut-on utiliser {product} dans une pièce humide, type salle de bain ?",
        "Bonjour,\n\n{Product} que j’ai reçu{e} a un défaut (rayure sur le dessus).\nJe joins deux photos.\n\nBien à vous,\n{first}",
    ),
    ("produit", "en"): (
        "The {product} arrived broken, photos attached.",
        "Colour of the {product} is different from the website photo, much darker.",
        "Missing screws for the {product}, can you send some?",
        "Is the {product} suitable for a bathroom, or does humidity damage it?",
    ),
    ("retour", "fr"): (
        "Je souhaite retourner {product}, comment obtenir l’étiquette retour ?",
        "Retour envoyé il y a {w} semaines, toujours pas de remboursement, merci de vérifier.",
        "Le formulaire de retour ne fonctionne pas, erreur au moment de valider.",
        "Bonjour,\n\nj’ai renvoyé la commande {order} le mois dernier.\nLe remboursement n’apparaît toujours pas sur mon compte.\n\nCordialement,\n{first}",
    ),
    ("retour", "en"): (
        "I'd like to return the {product}, how do I get a return label?",
        "Sent my return {w} weeks ago, still no refund.",
        "Refund received but the amount is wrong, shipping fees were not refunded.",
    ),
    ("compte", "fr"): (
        "Je n’arrive pas à me connecter, le lien de réinitialisation du mot de passe a expiré.",
        "Merci de supprimer mon compte et mes données personnelles (RGPD).",
        "Mes points fidélité n’apparaissent plus sur mon compte, alors que j’ai commandé le mois dernier.",
        "Changement d’adresse e-mail impossible depuis l’espace client, message d’erreur.",
    ),
    ("compte", "en"): (
        "Can't log in, the password reset link has expired.",
        "Please delete my account and personal data.",
        "My loyalty points disappeared from my account, although I ordered last month.",
    ),
    ("site", "fr"): (
        "La page {page} met plus de {n} secondes à charger sur mon téléphone.",
        "Le site plante quand j’ajoute un article au panier depuis l’application.",
        "Le code promo BIENVENUE10 n’est pas accepté, message « code invalide ».",
        "Le moteur de recherche ne trouve pas « {query} », alors que le produit existe.",
    ),
    ("site", "en"): (
        "The {page} page takes more than {n} seconds to load on my phone.",
        "Website crashes when I add an item to the basket.",
        "Promo code WELCOME10 is rejected as invalid.",
        "Search does not find '{query}', although the product exists.",
    ),
}
INCIDENT_TICKETS = {
    ("payment", "fr"): (
        "Paiement refusé sur {device} depuis {n} jours, message « transaction refusée » sur la page de paiement. Sur un autre appareil ça passe.",
        "Impossible de finaliser ma commande sur {device} : la page de paiement affiche une erreur, ma carte est pourtant valide.",
        "Bonjour,\n\nça fait {n} fois que mon paiement échoue sur {device}.\nMa banque ne voit aucune tentative.\n\nMerci de regarder,\n{first}",
    ),
    ("payment", "en"): (
        "Payment keeps failing on my {device}, 'transaction declined' on the payment page. Works on another device.",
        "Can't complete my order on {device}: error on the payment page, my card is fine.",
    ),
    ("shipping", "fr"): (
        "Le formulaire d’adresse de livraison refuse mon code postal sur {device}, impossible de passer commande.",
        "Bloquée à l’étape livraison sur {device} : « adresse invalide » à chaque fois, j’ai essayé {n} fois.",
    ),
    ("shipping", "en"): (
        "The delivery address form rejects my postcode on {device}, I cannot place my order.",
        "Stuck at the delivery step on my {device}: 'invalid address' every time, tried {n} times.",
    ),
}
SPECIAL_TICKETS = (  # (category, {language: text}) -- exercise escaping in the importer and the UI
    (
        "livraison",
        {
            "fr": "<b>URGENT</b> colis reçu ouvert, la lampe est rayée & il manque la notice.",
            "en": "<b>URGENT</b> parcel arrived open, the lamp is scratched & the instructions are missing.",
        },
    ),
    (
        "livraison",
        {
            "fr": 'Le client dit : "le carton était trempé, le tapis sent l’humidité" & veut un remplacement, pas un '
            "remboursement.",
            "en": 'Customer says: "the box was soaked, the rug smells of damp" & wants a replacement, not a refund.',
        },
    ),
    (
        "site",
        {
            "fr": 'Le site affiche "Erreur 502" quand je clique sur <b>Payer</b>, j’ai essayé Chrome & Safari.',
            "en": 'The site shows "Error 502" when I click <b>Pay</b>, I tried Chrome & Safari.',
        },
    ),
    (
        "livraison",
        {
            "fr": '=HYPERLINK("https://suivi.example.com/colis/8841","Suivi colis"), le colis est bloqué depuis 5 jours',
            "en": '=HYPERLINK("https://suivi.example.com/colis/8841","Track parcel"), the parcel has been stuck for 5 days',
        },
    ),
    (
        "produit",
        {
            "fr": "Commande « Plaid & coussin » : il manque le coussin, j’ai bien reçu le plaid.\nMerci de faire le "
            "nécessaire.",
            "en": "Order “Throw & cushion”: the cushion is missing, I did get the throw.\nPlease sort it out.",
        },
    ),
)
DEVICE_WORDS = {
    ("mobile", "fr"): "mobile",
    ("mobile", "en"): "phone",
    ("desktop", "fr"): "ordinateur",
    ("desktop", "en"): "computer",
    ("tablet", "fr"): "tablette",
    ("tablet", "en"): "tablet",
}


def one_line(text: str) -> str:
    """A message typed as one line (chat and phone notes): "Bonjour,\\n\\nje…" -> "Bonjour, je…"."""
    text = re.sub(r",\n+(\w)", lambda m: ", " + m.group(1).lower(), text, count=1)
    return re.sub(r"\n+", " ", text)


# ======================================================================================== tickets
@dataclass
class Ticket:
    customer: Customer | None
    channel: str
    created: dt.datetime
    category: str
    complaint: bool
    priority: str
    text: dict[str, str]  # {"fr": …, "en": …}: as written, and its twin in the other language
    first_response: dt.datetime | None = None
    solved: dt.datetime | None = None
    satisfaction: int | None = None
    ticket_id: str = ""
    dirty_created: str | None = None


def build_tickets(rng: random.Random, customers: list[Customer], orders: list[Order], p: dict) -> list[Ticket]:
    start = dt.date.fromisoformat(p["start"])
    end = dt.date.fromisoformat(p["end"])
    export = dt.datetime.combine(end, dt.time(23, 59, 59))
    inc = p["checkout_incident"]
    inc_from, inc_to = dt.date.fromisoformat(inc["from"]), dt.date.fromisoformat(inc["to"])
    twin_rng = random.Random(f"maison-lumen/ticket-twins/{p['seed']}")  # the other language's words
    slow = p["support"]["slow_channel"]
    slow_page_label = p["slow_page"]["page"].rsplit("/", 1)[-1]
    days = [start + i * DAY for i in range((end - start).days + 1)]
    day_pick = Picker(days, [day_weight(d) for d in days])
    channel_pick = Picker(("email", "chat", "phone", "social"), (38, 30, 20, 12))
    with_orders = [c for c in customers if c.orders]

    def when(d: dt.date, channel: str) -> dt.datetime:
        if channel == "phone":
            hour = rng.randint(9, 18)
        elif channel == "email":
            hour = pick(rng, range(24), HOURS_WEEKDAY)
        else:
            hour = rng.randint(8, 22)
        return dt.datetime.combine(d, dt.time(hour, rng.randint(0, 59), rng.randint(0, 59)))

    def order_ctx(c: Customer | None, at: dt.datetime, lang: str, order: Order | None = None) -> dict:
        ctx = {"first": c.first if c else "", "page": CATEGORY_LABELS[slow_page_label][0 if lang == "fr" else 1]}
        if order is None and c and c.orders:
            before = [o for o in c.orders if o.when <= at]
            order = before[-1] if before else None
        if order is not None:
            ctx["order"] = order.order_id
            ctx["promised"] = order.promised.strftime("%d/%m" if lang == "fr" else "%b %d")
        return ctx

    raw: list[tuple] = []  # (customer, channel, created, category, text_kind, order)
    # 1. late deliveries generate "livraison" tickets while the parcel is overdue
    for o in orders:
        if o.late and start <= o.promised + DAY <= end and rng.random() < 0.30:
            gap = max(1, (min(o.delivered, end) - o.promised).days)
            d = o.promised + dt.timedelta(days=rng.randint(1, gap))
            ch = channel_pick(rng)
            raw.append((o.customer, ch, when(d, ch), "livraison", "normal", o))
    # 2. the checkout incident generates tickets from customers on the affected device
    affected = [c for c in customers if c.device == inc["device"]]
    n_inc = round(3.2 * ((inc_to - inc_from).days + 1))
    inc_days = [inc_from + i * DAY for i in range((inc_to - inc_from).days + 1)]
    for _ in range(n_inc):
        c = rng.choice(affected)
        ch = pick(rng, ("email", "chat", "phone", "social"), (35, 35, 15, 15))
        raw.append(
            (
                c,
                ch,
                when(rng.choice(inc_days), ch),
                "paiement" if inc["kind"] == "payment" else "site",
                "incident",
                None,
            )
        )
    # 3. the everyday background
    cat_pick = Picker(("livraison", "paiement", "produit", "retour", "compte", "site"), (14, 10, 24, 22, 14, 16))
    while len(raw) < N_TICKETS:
        ch = channel_pick(rng)
        c = (
            None
            if (ch == "social" and rng.random() < 0.3) or rng.random() < 0.01
            else (rng.choice(with_orders) if rng.random() < 0.9 else rng.choice(customers))
        )
        raw.append((c, ch, when(day_pick(rng), ch), cat_pick(rng), "normal", None))

    tickets = []
    for c, ch, created, cat, kind, order in raw:
        lang = c.lang if c else ("en" if rng.random() < 0.3 else "fr")
        text = {}  # as written, then its twin in the other language (its words from twin_rng alone)
        for lg, words in ((lang, rng), (other_lang(lang), twin_rng)):
            ctx = order_ctx(c, created, lg, order)
            if kind == "incident":
                ctx["device"] = DEVICE_WORDS[(inc["device"], lg)]
                text[lg] = _fill(words, _choose(words, INCIDENT_TICKETS[(inc["kind"], lg)], ctx), lg, ctx)
            else:
                text[lg] = _fill(words, _choose(words, TICKET_TEXTS[(cat, lg)], ctx), lg, ctx)
        if ch in ("chat", "phone") and (rng if "\n" in text[lang] else twin_rng).random() < 0.7:  # typed as one line
            text = {lg: one_line(t) for lg, t in text.items()}
        complaint = (
            rng.random()
            < {"livraison": 0.55, "retour": 0.45, "paiement": 0.35, "produit": 0.35, "compte": 0.10, "site": 0.20}[cat]
        )
        if kind == "incident":
            complaint = rng.random() < 0.6
        prio = pick(rng, ("low", "normal", "high", "urgent"), (8, 45, 35, 12) if complaint else (26, 58, 13, 3))
        t = Ticket(c, ch, created, cat, complaint, prio, text)
        # response and resolution
        if ch == slow:
            delay = rng.lognormvariate(math.log(p["support"]["slow_channel_median_hours"] * 3600), 0.35)
        else:
            delay = rng.lognormvariate(
                math.log(SUPPORT_MEDIAN_MIN[ch] * 60), {"chat": 0.6, "phone": 0.5, "social": 0.6, "email": 0.6}[ch]
            )
        first = created + dt.timedelta(seconds=max(5, round(delay)))
        if first <= export:
            t.first_response = first
            if ch in ("chat", "phone") and cat in ("compte", "site", "paiement", "produit") and rng.random() < 0.6:
                solve = rng.uniform(120, 1800)
            else:
                solve = rng.lognormvariate(
                    math.log(
                        {"livraison": 2.5, "retour": 5, "produit": 3, "paiement": 1, "compte": 0.4, "site": 0.8}[cat]
                        * 86400
                    ),
                    0.7,
                )
            solved = first + dt.timedelta(seconds=round(solve))
            if solved <= export and rng.random() > 0.03:
                t.solved = solved
                if rng.random() < 0.55:
                    mean = 4.2 - (1.3 if ch == slow else 0) - (0.4 if complaint else 0)
                    t.satisfaction = int(min(5, max(1, round(rng.gauss(mean, 0.9)))))
        tickets.append(t)
    tickets.sort(key=lambda t: (t.created, t.channel))
    # specials and the dirty row, on background tickets
    idx = rng.sample(range(len(tickets)), len(SPECIAL_TICKETS) + 1)
    for i, (cat, text) in zip(idx, SPECIAL_TICKETS):
        tickets[i].category, tickets[i].text = cat, text
    tickets[idx[-1]].dirty_created = "demain"
    for i, t in enumerate(tickets):
        t.ticket_id = f"TCK-{10001 + i}"
    return tickets


# ========================================================================================= survey
@dataclass
class Response:
    when: dt.datetime
    customer: Customer | None
    touchpoint: str
    lang: str
    nps: object
    csat: int
    ces: int | None
    comment: dict[str, str] | None  # {"fr": …, "en": …}: as written, and its twin in the other language
    late: bool = False
    group: str = ""
    topic: str = ""
    dirty: bool = False


def comment_context(lang: str, c: Customer | None, latest: Order | None, slow_label: str) -> dict:
    """What a comment's templates may name, in `lang`: the slow page, the customer's device, the promised day."""
    ctx = {
        "page": CATEGORY_LABELS[slow_label][0 if lang == "fr" else 1],
        "device": DEVICE_WORDS[(c.device if c and c.device else "mobile", lang)],
    }
    if latest is not None:
        ctx["promised"] = latest.promised.strftime("%d/%m" if lang == "fr" else "%b %d")
    return ctx


def build_survey(
    rng: random.Random, customers: list[Customer], orders: list[Order], tickets: list[Ticket], p: dict
) -> list[Response]:
    start = dt.date.fromisoformat(p["start"])
    end = dt.date.fromisoformat(p["end"])
    t_start = dt.datetime.combine(start, dt.time(0))
    export = dt.datetime.combine(end, dt.time(23, 59, 59))
    inc = p["checkout_incident"]
    inc_from, inc_to = dt.date.fromisoformat(inc["from"]), dt.date.fromisoformat(inc["to"])
    slow = p["support"]["slow_channel"]
    slow_label = p["slow_page"]["page"].rsplit("/", 1)[-1]
    probs = p["late_delivery"]["nps_promoter_detractor_probs"]
    twin_rng = random.Random(f"maison-lumen/comment-twins/{p['seed']}")  # the other language's words
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    from cx.text import read_comment  # (the project's reading: a twin must read as its original does)

    def reads(text: str) -> tuple:
        reading = read_comment(text)
        return reading.themes, reading.tone, reading.theme_tones

    plan = []  # (when, customer, touchpoint, ticket)

    def hm(t: dt.datetime) -> dt.datetime:
        return t.replace(second=rng.randint(0, 59))

    delivered = [o for o in orders if o.delivered and not o.dirty]
    weights = [1.6 if o.customer.loyal else 1.0 for o in delivered]
    seen = set()
    for o in rng.choices(delivered, weights=weights, k=2000):
        t = dt.datetime.combine(
            o.delivered + dt.timedelta(days=rng.randint(1, 6)),
            dt.time(pick(rng, range(24), HOURS_WEEKDAY), rng.randint(0, 59)),
        )
        if t_start <= t <= export and (o.order_id, "l") not in seen:
            seen.add((o.order_id, "l"))
            plan.append((hm(t), o.customer, "après livraison", None))
        if len(plan) >= round(0.42 * N_RESPONSES):
            break
    n_before = len(plan)
    recent = [o for o in orders if o.status != "cancelled" and not o.dirty and o.when.date() >= start]
    for o in rng.choices(recent, weights=[1.6 if o.customer.loyal else 1.0 for o in recent], k=2000):
        t = o.when + dt.timedelta(minutes=rng.randint(90, 3 * 24 * 60))
        if t <= export and (o.order_id, "a") not in seen:
            seen.add((o.order_id, "a"))
            plan.append((hm(t), o.customer, "après achat", None))
        if len(plan) - n_before >= round(0.28 * N_RESPONSES):
            break
    n_before = len(plan)
    solved = [t for t in tickets if t.solved and t.customer and not t.dirty_created]
    for tk in rng.sample(solved, min(len(solved), 400)):
        t = tk.solved + dt.timedelta(minutes=rng.randint(60, 48 * 60))
        if t <= export:
            plan.append((hm(t), tk.customer, "après contact SAV", tk))
        if len(plan) - n_before >= round(0.16 * N_RESPONSES):
            break
    span = int((export - t_start).total_seconds())
    while len(plan) < N_RESPONSES:
        t = t_start + dt.timedelta(seconds=rng.randint(0, span))
        c = rng.choice(customers) if rng.random() < 0.6 else None
        if c and c.signup > t.date():
            continue
        plan.append((t, c, "site web", None))

    responses = []
    for t, c, tp, tk in plan:
        latest = None
        if c and c.orders:
            i = bisect.bisect_right([o.when for o in c.orders], t) - 1
            latest = c.orders[i] if i >= 0 else None
        late = bool(latest and latest.late)
        loyal = bool(c and c.loyal)
        if latest is None:
            key = "no_order"
        else:
            key = ("late_" if late else "on_time_") + ("loyal" if loyal else "regular")
        p_pro, p_det = probs[key]
        if tk is not None and tk.channel == slow:
            p_pro, p_det = max(0.05, p_pro - 0.15), min(0.9, p_det + 0.2)
        u = rng.random()
        group = "promoter" if u < p_pro else ("detractor" if u < p_pro + p_det else "passive")
        if group == "promoter":
            nps = pick(rng, (9, 10), (45, 55))
            csat = pick(rng, (5, 4, 3), (62, 33, 5))
            ces = pick(rng, (7, 6, 5, 4), (45, 35, 15, 5))
        elif group == "passive":
            nps = pick(rng, (7, 8), (45, 55))
            csat = pick(rng, (5, 4, 3, 2), (22, 58, 17, 3))
            ces = pick(rng, (6, 5, 4, 3), (30, 35, 25, 10))
        else:
            nps = pick(rng, range(7), (3, 2, 3, 4, 6, 8, 10))
            csat = pick(rng, (4, 3, 2, 1), (24, 33, 27, 16))
            ces = pick(rng, (1, 2, 3, 4, 5), (15, 25, 25, 20, 15))
        if tk is not None and tk.channel == slow:
            ces = max(1, ces - 1)
        if rng.random() < {"après contact SAV": 0.05, "site web": 0.3}.get(tp, 0.4):
            ces = None
        lang = c.lang if c else ("en" if rng.random() < 0.3 else "fr")
        pol = {"promoter": "pos", "passive": "mid", "detractor": "neg"}[group]
        # topic of the comment
        in_inc = bool(c and c.device == inc["device"] and inc_from <= t.date() <= inc_to + 3 * DAY)
        if late and rng.random() < {"detractor": 0.8, "passive": 0.55, "promoter": 0.25}[group]:
            topic = "delivery"
        elif tp == "après contact SAV":
            topic = "support" if rng.random() < 0.55 else "waiting"
        elif in_inc and inc["kind"] == "payment" and group != "promoter" and rng.random() < 0.6:
            topic = "payment"
        elif tp == "site web":
            topic = pick(rng, ("website", "payment", "price", "quality"), (50, 15, 20, 15))
        elif latest is not None and latest.status == "returned" and rng.random() < 0.6:
            topic = "returns"
        else:
            topic = pick(
                rng,
                ("price", "quality", "returns", "website", "delivery", "support"),
                {
                    "detractor": (30, 35, 12, 10, 8, 5),
                    "passive": (38, 30, 8, 10, 9, 5),
                    "promoter": (15, 52, 4, 12, 8, 9),
                }[group],
            )

        blank = rng.random() < {"promoter": 0.22, "passive": 0.16, "detractor": 0.07}[group]
        comment = (
            None
            if blank
            else compose_comment(
                rng,
                topic,
                pol,
                lang,
                comment_context(lang, c, latest, slow_label),
                twin_rng,
                comment_context(other_lang(lang), c, latest, slow_label),
                reads,
            )
        )
        responses.append(Response(t, c, tp, lang, nps, csat, ces, comment, late, group, topic))
    responses.sort(key=lambda r: (r.when, r.customer.id if r.customer else ""))
    for r, bad in zip(rng.sample(responses, 2), (11, "dix")):
        r.nps, r.dirty = bad, True
    return responses


# ======================================================================================== writers
def write_events(path: pathlib.Path, sessions: list[SessionResult]) -> int:
    rows = []
    for s in sessions:
        uid = s.user_id
        for ts, name, pth, load, rev in s.rows:
            utc = EPOCH + dt.timedelta(microseconds=ts)
            local = utc + paris_offset(utc)
            rows.append(
                (
                    ts,
                    f"{local:%Y%m%d},{ts},{name},{s.visitor},{uid},{s.session_id},{SITE}{pth},"
                    f"{s.device},{s.source},{s.geo},{'' if load is None else load},"
                    f"{'' if rev is None else f'{rev:.2f}'},{'' if rev is None else 'EUR'}\n",
                )
            )
    rows.sort(key=lambda r: r[0])
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(EVENTS_HEADER) + "\n")
        f.writelines(r[1] for r in rows)
    return len(rows)


def write_crm(path: pathlib.Path, rng: random.Random, customers: list[Customer]) -> tuple[int, list[dict]]:
    lines = [";".join(CRM_HEADER)]
    records = []
    for c in customers:
        ca = sum(o.total for o in c.orders if o.status == "completed" and not o.dirty)
        records.append(
            [
                c.id,
                c.civ,
                c.first,
                c.last,
                c.email,
                fr_date(c.signup),
                str(c.birth_year),
                c.city,
                c.country,
                c.segment,
                c.acquisition,
                "Oui" if c.member else "Non",
                fr_amount(ca),
            ]
        )
    # two rows without N° client: a duplicate typed by hand in the CRM, missing its number
    dirty = []
    for pos in sorted(rng.sample(range(100, len(records) - 100), 2), reverse=True):
        twin = list(records[pos - 1])
        twin[0] = ""
        twin[5] = fr_date(dt.date(2025, 11, rng.randint(3, 28)))
        twin[12] = fr_amount(0)
        records.insert(pos, twin)
    for i, r in enumerate(records):
        if r[0] == "":
            dirty.append(
                {
                    "file": FILES["customers"],
                    "line": i + 2,
                    "data_row": i + 1,
                    "email": r[4],
                    "why": "empty N° client (required customer id)",
                }
            )
    for r in records:
        assert len(r) == len(CRM_HEADER) and not any(";" in x or "\n" in x or '"' in x for x in r), r
    lines += [";".join(r) for r in records]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return len(records), dirty


def write_orders(
    path: pathlib.Path, orders: list[Order], p: dict, hist_start: dt.date, when: dt.datetime
) -> list[dict]:
    wb = Workbook()
    notes = wb.active
    notes.title = "Notes"
    end = dt.date.fromisoformat(p["end"])
    for i, line in enumerate(
        (
            "Export des commandes — Maison Lumen (back-office)",
            "",
            f"Date d’export : {when:%d/%m/%Y %H:%M}",
            f"Périmètre : toutes les commandes passées du {fr_date(hist_start)} au {fr_date(end)} "
            "(web, application mobile et boutique).",
            "Montants TTC en euros, frais de port inclus ; heures en heure de Paris.",
            "Statuts : completed = validée, cancelled = annulée, returned = retournée et remboursée.",
            "« Promised delivery » = date de livraison promise au client ; « Delivered at » = date de livraison "
            "constatée par le transporteur (vide si annulée ou encore en cours d’acheminement).",
            "« Return reason » n’est renseigné que pour les commandes retournées.",
            "Les commandes sont dans l’onglet « Commandes ».",
            "",
            "Document interne — ne pas diffuser.",
        ),
        start=1,
    ):
        notes.cell(row=i, column=1, value=line or None)
    notes.column_dimensions["A"].width = 110
    ws = wb.create_sheet("Commandes")
    ws.append(ORDERS_HEADER)
    dirty = []
    for i, o in enumerate(orders):
        total = o.dirty_total if o.dirty else o.total
        ws.append(
            [
                o.order_id,
                o.customer.id,
                o.when,
                o.status,
                total,
                o.items,
                o.payment,
                o.channel,
                o.promised,
                o.delivered,
                o.return_reason,
            ]
        )
        row = i + 2
        ws.cell(row=row, column=3).number_format = "dd/mm/yyyy hh:mm:ss"
        ws.cell(row=row, column=5).number_format = "#,##0.00"
        ws.cell(row=row, column=9).number_format = "dd/mm/yyyy"
        ws.cell(row=row, column=10).number_format = "dd/mm/yyyy"
        if o.dirty:
            dirty.append(
                {
                    "file": FILES["orders"],
                    "sheet": "Commandes",
                    "excel_row": row,
                    "order_id": o.order_id,
                    "total": o.dirty_total,
                    "why": "Total (€) empty or not a number",
                }
            )
    for col, width in zip("ABCDEFGHIJK", (10, 12, 20, 11, 11, 7, 15, 12, 17, 13, 36)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    _save_xlsx(wb, path, when)
    return dirty


def write_tickets(path: pathlib.Path, tickets: list[Ticket], lang: str = "fr") -> list[dict]:
    """The tickets file, every text in `lang`."""

    def q(text: str | None, always: bool = False) -> str:
        if text is None or text == "":
            return ""
        if always or any(ch in text for ch in ',"\n\r'):
            return '"' + text.replace('"', '""') + '"'
        return text

    out = [",".join(TICKETS_HEADER)]
    dirty = []
    line = 2
    for t in tickets:
        rec = [
            t.ticket_id,
            t.customer.id if t.customer else "",
            t.channel,
            t.dirty_created or iso_dt(t.created),
            iso_dt(t.first_response) if t.first_response else "",
            iso_dt(t.solved) if t.solved else "",
            t.category,
            t.priority,
            "yes" if t.complaint else "no",
            "" if t.satisfaction is None else str(t.satisfaction),
        ]
        rec = [q(x) for x in rec] + [q(t.text[lang], always=True)]
        if t.dirty_created:
            dirty.append(
                {
                    "file": FILES["tickets"],
                    "line": line,
                    "data_row": len(out),
                    "ticket_id": t.ticket_id,
                    "created_at": t.dirty_created,
                    "why": "Created at is not a date/time",
                }
            )
        text = ",".join(rec)
        out.append(text)
        line += 1 + text.count("\n")
    path.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(out) + "\r\n").encode("utf-8"))
    return dirty


def write_survey(path: pathlib.Path, responses: list[Response], when: dt.datetime, lang: str = "fr") -> list[dict]:
    """The survey file, every comment in `lang` (the Langue column stays the respondent's)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Réponses"
    ws.append(SURVEY_HEADER)
    dirty = []
    for i, r in enumerate(responses):
        ws.append(
            [
                r.when.strftime("%d/%m/%Y %H:%M:%S"),
                r.customer.id if r.customer else None,
                r.nps,
                r.csat,
                r.ces,
                r.comment and r.comment[lang],
                r.touchpoint,
                r.lang,
            ]
        )
        if r.dirty:
            dirty.append(
                {
                    "file": FILES["responses"],
                    "sheet": "Réponses",
                    "excel_row": i + 2,
                    "nps": r.nps,
                    "why": "NPS outside 0-10 or not a number",
                }
            )
    for col, width in zip("ABCDEFGH", (20, 10, 30, 30, 30, 70, 18, 8)):
        ws.column_dimensions[col].width = width
    qs = wb.create_sheet("Questions")
    qs.append(["N°", "Question", "Type", "Échelle", "Obligatoire"])
    for row in (
        (1, SURVEY_HEADER[1], "Texte court", "format C00000 (facultatif)", "Non"),
        (2, SURVEY_HEADER[2], "Échelle linéaire", "0 (pas du tout probable) – 10 (très probable)", "Oui"),
        (3, SURVEY_HEADER[3], "Échelle linéaire", "1 (pas du tout satisfait) – 5 (très satisfait)", "Oui"),
        (4, SURVEY_HEADER[4], "Échelle linéaire", "1 (pas du tout d’accord) – 7 (tout à fait d’accord)", "Non"),
        (5, SURVEY_HEADER[5], "Paragraphe", "", "Non"),
        (6, SURVEY_HEADER[6], "Champ caché", "après achat, après livraison, après contact SAV, site web", "—"),
        (7, SURVEY_HEADER[7], "Champ caché", "fr, en", "—"),
    ):
        qs.append(list(row))
    qs.column_dimensions["B"].width = 90
    _save_xlsx(wb, path, when)
    return dirty


# ====================================================================================== observed
def _median(xs):
    return round(statistics.median(xs), 2) if xs else None


def observe(p: dict, sessions, orders, customers, tickets, responses, counts) -> dict:
    inc = p["checkout_incident"]
    inc_from, inc_to = dt.date.fromisoformat(inc["from"]), dt.date.fromisoformat(inc["to"])
    step_from, step_to = inc["step_from"], inc["step_to"]
    dev = inc["device"]

    def share(ss):
        a = sum(1 for s in ss if step_from in s.steps)
        b = sum(1 for s in ss if step_to in s.steps)
        return round(b / a, 3) if a else None, a

    in_w = [s for s in sessions if s.device == dev and inc_from <= s.local_day <= inc_to]
    out_w = [s for s in sessions if s.device == dev and not inc_from <= s.local_day <= inc_to]
    others_in = [s for s in sessions if s.device != dev and inc_from <= s.local_day <= inc_to]
    err = inc["error_event"]
    errs_in = sum(1 for s in in_w for r in s.rows if r[1] == err)
    errs_out = sum(1 for s in out_w for r in s.rows if r[1] == err)
    steps = {}
    for a, b in itertools.pairwise(FUNNEL):
        na = sum(1 for s in sessions if a in s.steps)
        nb = sum(1 for s in sessions if b in s.steps)
        steps[f"{a}->{b}"] = round(nb / na, 3)
    load: dict[str, list] = {}
    exits: dict[str, list] = {}
    for s in sessions:
        pvs = [r for r in s.rows if r[1] == "page_view"]
        for r in pvs:
            load.setdefault(r[2], []).append(r[3])
        for path in {r[2] for r in pvs}:
            if path in CATEGORY_PAGES:
                exits.setdefault(path, [0, 0])[0] += 1
        if pvs and pvs[-1][2] in CATEGORY_PAGES:
            exits[pvs[-1][2]][1] += 1
    other_loads = [v for k, vs in load.items() if k != p["slow_page"]["page"] for v in vs]
    shipped = [o for o in orders if o.status == "completed" and o.delivered]
    n_orders = {c.id: len(c.orders) for c in customers}
    loyal = [c for c in customers if n_orders[c.id] >= 5]
    rest = [c for c in customers if n_orders[c.id] < 5]

    def aov(cs):
        xs = [o.total for c in cs for o in c.orders if not o.dirty and o.status != "cancelled"]
        return round(sum(xs) / len(xs), 2)

    clean = [r for r in responses if not r.dirty]

    def nps(rs):
        if not rs:
            return None
        return round(100 * (sum(r.nps >= 9 for r in rs) - sum(r.nps <= 6 for r in rs)) / len(rs), 1)

    delivery_words = re.compile(r"livraison|livr|retard|colis|delivery|late|parcel|package|courier", re.IGNORECASE)

    def mention(rs):
        with_c = [r.comment["fr"] for r in rs if r.comment]  # as the default files write them
        return round(sum(bool(delivery_words.search(c)) for c in with_c) / len(with_c), 3) if with_c else None

    fr_med = {}
    for ch in ("chat", "phone", "social", "email"):
        xs = [
            (t.first_response - t.created).total_seconds() / 60
            for t in tickets
            if t.channel == ch and t.first_response and not t.dirty_created
        ]
        fr_med[ch] = _median(xs)
    loyal_resp = [r for r in clean if r.customer and n_orders[r.customer.id] >= 5]
    return {
        "events": {**counts, "sessions": len(sessions), "step_conversion": steps},
        "checkout_incident": {
            "device_rate_inside_window": share(in_w)[0],
            "device_sessions_at_step_from_inside": share(in_w)[1],
            "device_rate_outside_window": share(out_w)[0],
            "other_devices_rate_inside_window": share(others_in)[0],
            f"{err}_events_inside_window_on_device": errs_in,
            f"{err}_events_outside_window_on_device": errs_out,
        },
        "slow_page": {
            "median_load_ms": {k: _median(load.get(k, [])) for k in CATEGORY_PAGES},
            "median_load_ms_all_other_pages": _median(other_loads),
            "exit_rate": {k: round(v[1] / v[0], 3) for k, v in sorted(exits.items())},
        },
        "late_delivery": {
            "late_share_of_completed_delivered": round(sum(o.late for o in shipped) / len(shipped), 3),
            "completed_delivered_orders": len(shipped),
            "nps_latest_order_late": nps([r for r in clean if r.late]),
            "nps_latest_order_on_time": nps(
                [
                    r
                    for r in clean
                    if r.customer
                    and not r.late
                    and r.customer.orders
                    and any(o.when <= r.when for o in r.customer.orders)
                ]
            ),
            "responses_latest_order_late": sum(1 for r in clean if r.late),
            "delivery_mention_share_detractors": mention([r for r in clean if r.nps <= 6]),
            "delivery_mention_share_promoters": mention([r for r in clean if r.nps >= 9]),
        },
        "support": {
            "median_first_response_minutes": fr_med,
            "median_first_response_hours": {k: round(v / 60, 2) for k, v in fr_med.items()},
        },
        "loyal_group": {
            "customers_with_5plus_orders": len(loyal),
            "share": round(len(loyal) / len(customers), 3),
            "loyalty_member_share": round(sum(c.member for c in loyal) / len(loyal), 3),
            "vip_share": round(sum(c.segment == "VIP" for c in loyal) / len(loyal), 3),
            "aov_5plus": aov(loyal),
            "aov_rest": aov(rest),
            "aov_ratio": round(aov(loyal) / aov(rest), 2),
            "nps_5plus": nps(loyal_resp),
            "promoter_share_5plus": round(sum(r.nps >= 9 for r in loyal_resp) / len(loyal_resp), 3),
        },
        "survey": {
            "nps": nps(clean),
            "csat_top2_share": round(sum(r.csat >= 4 for r in clean) / len(clean), 3),
            "fr_share": round(sum(r.lang == "fr" for r in clean) / len(clean), 3),
            "comment_share": round(sum(bool(r.comment) for r in clean) / len(clean), 3),
            "distinct_comments": len({r.comment["fr"] for r in clean if r.comment}),
        },
    }


# ======================================================================================= generate
def generate(
    out_dir: pathlib.Path, seed: int = DEFAULT_SEED, days: int = DEFAULT_DAYS, start: str = DEFAULT_START
) -> dict[str, pathlib.Path]:
    """Write the five source files, planted.json, and the English tickets and survey (en/) into out_dir; return
    {kind: path} (`tickets_en`, `responses_en`: the English ones)."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    p = planted_params(seed, start, days)
    master = random.Random(seed)
    rngs = {
        k: random.Random(master.getrandbits(64)) for k in ("customers", "events", "orders", "tickets", "survey", "crm")
    }
    start_d = dt.date.fromisoformat(p["start"])
    end_d = dt.date.fromisoformat(p["end"])
    hist_start = start_d - 240 * DAY
    export_time = dt.datetime.combine(end_d + DAY, dt.time(6, 0))

    customers = build_customers(rngs["customers"], hist_start, end_d, p["loyal_group"]["share_of_customers"])
    sessions, counts = build_events(rngs["events"], customers, p)
    orders = build_orders(rngs["orders"], customers, sessions, p, hist_start)
    tickets = build_tickets(rngs["tickets"], customers, orders, p)
    responses = build_survey(rngs["survey"], customers, orders, tickets, p)

    paths = {k: out_dir / v for k, v in FILES.items()}
    n_events = write_events(paths["events"], sessions)
    n_crm, dirty_crm = write_crm(paths["customers"], rngs["crm"], customers)
    dirty_orders = write_orders(paths["orders"], orders, p, hist_start, export_time)
    dirty_tickets = write_tickets(paths["tickets"], tickets)
    dirty_survey = write_survey(paths["responses"], responses, export_time)
    (out_dir / "en").mkdir(exist_ok=True)  # the same files, their texts in English (the demo of an English UI)
    paths["tickets_en"], paths["responses_en"] = out_dir / "en" / FILES["tickets"], out_dir / "en" / FILES["responses"]
    write_tickets(paths["tickets_en"], tickets, "en")
    write_survey(paths["responses_en"], responses, export_time, "en")

    p["rows"] = {
        "events": n_events,
        "customers": n_crm,
        "orders": len(orders),
        "tickets": len(tickets),
        "responses": len(responses),
    }
    p["dirty_rows"] = dirty_crm + dirty_orders + dirty_tickets + dirty_survey
    ga4_orders = [o for o in orders if o.from_ga4]
    p["ga4_order_match"] = {
        "purchase_events_with_user_id": len(ga4_orders),
        "rule": "each purchase event with a user_id has exactly one order: same Customer ID, Channel = web, "
        "Order date = event_timestamp converted to Europe/Paris and truncated to the second, "
        "Total (€) = purchase_revenue",
        "web_orders_in_window": sum(1 for o in orders if o.channel == "web" and o.when.date() >= start_d),
    }
    p["observed"] = observe(p, sessions, orders, customers, tickets, responses, counts)
    paths["planted"].write_text(json.dumps(p, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate the Maison Lumen sample data for Parcours.")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent)
    ap.add_argument("--start", default=DEFAULT_START)
    ap.add_argument("--days", type=int, default=DEFAULT_DAYS)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    paths = generate(args.out, seed=args.seed, days=args.days, start=args.start)
    planted = json.loads(paths["planted"].read_text(encoding="utf-8"))
    for kind, path in paths.items():
        rows = planted["rows"].get(kind, "")
        print(f"{path}  {path.stat().st_size / 1e6:6.2f} MB  {rows}")
    print(f"done in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
