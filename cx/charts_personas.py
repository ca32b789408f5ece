"""Charts and text of the Personas page: personas and frames in, Altair charts or escaped markdown out; no st.*.

Builders take `tr`, the page's translation function, and `lang` for number formats."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .charts_funnel import step_label
from .charts_journey import channel_name
from .format import date, escape_markdown, missing, number, percent
from .i18n import dimension_value
from .money import amount
from .personas.features import ACTIVE_DAYS
from .privacy import readable

BLUE, ORANGE, GREY = "#1f5fa8", "#e07b00", "#9aa4ae"
LABEL_LIMIT = 320  # pixels of an axis label before Vega cuts it with "…"
KPI_ROWS = (
    "size",
    "share",
    "orders",
    "orders_per_year",
    "aov",
    "monetary",
    "recency_days",
    "active_share",
    "sessions",
    "nps",
    "csat",
    "tickets",
    "returned_share",
)


def kpi_text(key: str, value, lang: str, currency=None) -> str:
    """A card figure in its unit: money in `currency` (ISO code or `cx.money.CurrencyScope`), days, %, NPS
    points (signed)."""
    if missing(value):
        return "—"
    if key in ("aov", "monetary"):
        return amount(value, currency, lang, 0)
    if key in ("share", "returned_share", "active_share"):
        return percent(value, lang, 0)
    if key == "nps":
        return ("+" if value > 0 else "") + number(value, lang, 0)
    if key == "csat":
        return percent(value / 100, lang, 0)
    if key in ("orders", "orders_per_year", "sessions", "tickets"):
        return number(value, lang, 1)
    return number(value, lang, 0)


def _pairs(pairs, lang: str, label=None) -> str:
    """'web 60 %, store 40 %'; `label(value, lang)` names each value ('store' → 'Magasin')."""
    return (
        ", ".join(f"{escape_markdown(label(v, lang) if label else v)} {percent(s, lang, 0)}" for v, s in pairs) or "—"
    )


def _device(value, lang: str) -> str:
    return dimension_value("device", value, lang)  # 'desktop' → 'Ordinateur', as the filters and Friction say


def trait_text(trait, tr, lang: str, currency=None) -> str:
    """'Orders: 6.9 vs 1.5 for everyone (+2.8 σ)'."""
    fmt = (
        (lambda v: percent(v, lang, 0))
        if trait.feature in ("mobile", "csat")
        else (lambda v: kpi_text(PLAIN_KPI.get(trait.feature, "orders"), v, lang, currency))
    )
    return tr(
        "personas.trait_line",
        feature=tr(f"personas.feature.{trait.feature}"),
        value=fmt(trait.value),
        population=fmt(trait.population),
        z=("+" if trait.z > 0 else "−") + number(abs(trait.z), lang, 1),
    )


PLAIN_KPI = {
    "frequency": "orders",
    "monetary": "monetary",
    "aov": "aov",
    "recency": "recency_days",
    "nps": "orders",
    "sessions": "sessions",
    "tickets": "tickets",
}


def frequency_text(kpis: dict, period, tr, lang: str) -> str:
    """How often the persona's buyers order: "2.4 orders a year" over a period long enough to annualise
    (`cx.personas.OrderPeriod`), else "1.5 orders per buyer from 2024-02-03 to 2024-03-13 (40 days: …)", the rule
    of the Retention page's CLV."""
    if kpis.get("orders_per_year") is not None:
        return tr("personas.card.freq_year", n=kpi_text("orders_per_year", kpis["orders_per_year"], lang))
    if period is None:
        return "—"
    return tr(
        "personas.card.freq_period",
        n=kpi_text("orders", kpis.get("orders_per_buyer"), lang),
        start=date(period.start, lang),
        end=date(period.end, lang),
        days=number(period.days, lang),
        count=period.days,
        window=number(ACTIVE_DAYS, lang),
    )


def card_lines(persona, tr, lang: str, theme_name, currency=None, period=None) -> list[str]:
    """The lines of a persona card, as markdown with every value from the data escaped. `period`: the set's
    `order_period`, which the orders per buyer are counted over."""
    k, d = persona.kpis, persona.demographics
    lines = [
        f"**{tr('personas.card.size', n=number(persona.size, lang), count=persona.size, share=percent(persona.share, lang, 0))}**"
    ]
    lines += [f"- {trait_text(tr_, tr, lang, currency)}" for tr_ in persona.traits[:3]]
    if any(d.get(key) for key in ("age_bands", "gender", "country")):
        lines.append(
            tr(
                "personas.card.demographics",
                age=number(d.get("age"), lang) if d.get("age") else "—",
                bands=_pairs(d.get("age_bands", ()), lang),
                gender=_pairs(d.get("gender", ()), lang),
                country=_pairs(d.get("country", ()), lang),
            )
        )
    if d.get("segment"):
        lines.append(
            tr(
                "personas.card.segment",
                segment=_pairs(d["segment"], lang),
                loyalty=percent(d.get("loyalty_member"), lang, 0),
            )
        )
    bought = bool(k["orders"])
    if persona.order_channels or persona.devices:
        lines.append(
            tr(
                "personas.card.channels" if bought else "personas.card.channels_no_purchase",
                orders=_pairs(persona.order_channels, lang, channel_name),  # 'mobile_app' → 'Application mobile'
                devices=_pairs(persona.devices, lang, _device),
                web=_pairs(persona.web_channels[:2], lang),
            )
        )
    if bought:
        lines.append(
            tr(
                "personas.card.kpis",
                aov=kpi_text("aov", k["aov"], lang, currency),
                freq=frequency_text(k, period, tr, lang),
                recency=kpi_text("recency_days", k["recency_days"], lang),
                monetary=kpi_text("monetary", k["monetary"], lang, currency),
            )
        )
    else:  # no kept order: said in words, not a row of dashes; orders placed then given back are named
        given_back = k.get("given_back") or 0
        key = "personas.card.no_purchase" if given_back else "personas.card.no_order"
        lines.append(tr(key, n=number(given_back, lang), count=given_back))
    lines.append(
        tr(
            "personas.card.voice",
            nps=kpi_text("nps", k["nps"], lang),
            nps_answers=tr("personas.answers", n=number(k["nps_n"], lang), count=k["nps_n"]),
            csat=kpi_text("csat", k["csat"], lang),
            csat_answers=tr("personas.answers", n=number(k["csat_n"], lang), count=k["csat_n"]),
        )
    )
    if persona.rfm:
        lines.append(
            tr(
                "personas.card.rfm",
                rfm=", ".join(f"{tr(f'personas.rfm.{s}')} {percent(v, lang, 0)}" for s, v in persona.rfm),
            )
        )
    if persona.frustrations:
        lines.append(
            tr(
                "personas.card.frustrations",
                themes=", ".join(f"{theme_name(th)} ({n})" for th, n in persona.frustrations),
            )
        )
    return lines


def funnel_purchase_note(persona, converted: int, tr) -> str | None:
    """Why a persona whose card says "no purchase" has visitors at the funnel's last step: the funnel reads web
    events, the card the orders kept (orders placed then cancelled or returned are not purchases); None when the
    two agree."""
    if not converted or persona.kpis["orders"]:
        return None
    given_back = persona.kpis.get("given_back")
    return tr("personas.funnel_given_back" if given_back else "personas.funnel_no_orders")


def quote_markdown(persona, tr, lang: str) -> str:
    """The representative quote, escaped, as a block quote with its score."""
    if not persona.quote:
        return tr("personas.card.no_quote")
    score = f" — NPS {number(persona.quote_nps, lang)}" if persona.quote_nps is not None else ""
    return "> " + escape_markdown(" ".join(readable(persona.quote, lang).split())) + score


def compare_frame(a, b, tr, lang: str, currency=None) -> pd.DataFrame:
    """Two personas side by side: measure, a, b (text in each persona's unit)."""
    rows = []
    for key in KPI_ROWS:
        va = a.size if key == "size" else a.share if key == "share" else a.kpis.get(key)
        vb = b.size if key == "size" else b.share if key == "share" else b.kpis.get(key)
        rows.append(
            {
                "measure": tr(f"personas.kpi.{key}"),
                "a": kpi_text(key, va, lang, currency),
                "b": kpi_text(key, vb, lang, currency),
            }
        )
    rows.append(
        {
            "measure": tr("personas.kpi.devices"),
            "a": _pairs(a.devices, lang, _device).replace("\\", ""),
            "b": _pairs(b.devices, lang, _device).replace("\\", ""),
        }
    )
    rows.append(
        {
            "measure": tr("personas.kpi.rfm"),
            "a": tr(f"personas.rfm.{a.rfm[0][0]}") if a.rfm else "—",
            "b": tr(f"personas.rfm.{b.rfm[0][0]}") if b.rfm else "—",
        }
    )
    return pd.DataFrame(rows)


def traits_frame(personas, tr, lang: str) -> pd.DataFrame:
    """Long frame of every trait of `personas`: persona (title), feature (label), z."""
    return pd.DataFrame(
        [
            {"persona": p.title(lang), "feature": tr(f"personas.feature.{t.feature}"), "z": t.z}
            for p in personas
            for t in p.traits
        ]
    )


def traits_chart(frame: pd.DataFrame, tr) -> alt.Chart:
    """(Colours in the order the personas come in `frame`: the first blue.) How far each persona stands from everyone on each feature (standard deviations), side by side."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            # room for the longest feature name, French first ("Jours depuis la dernière commande (médiane)")
            y=alt.Y("feature:N", title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            yOffset=alt.YOffset("persona:N", sort=list(dict.fromkeys(frame["persona"]))),
            x=alt.X("z:Q", title=tr("personas.z_axis")),
            color=alt.Color(
                "persona:N",
                title=None,
                legend=alt.Legend(orient="bottom", labelLimit=400),
                scale=alt.Scale(domain=list(dict.fromkeys(frame["persona"])), range=[BLUE, ORANGE]),
            ),
            tooltip=[
                alt.Tooltip("persona:N", title=tr("personas.persona")),
                alt.Tooltip("feature:N", title=tr("personas.feature")),
                alt.Tooltip("z:Q", format="+.2f", title=tr("personas.z_axis")),
            ],
        )
        .properties(height=alt.Step(16))
    )


def funnel_frame(funnel: pd.DataFrame, titles: dict, chosen: int, tr) -> pd.DataFrame:
    """The chosen persona's funnel beside all the other linked visitors: who (label), step_label, step,
    users, conversion (0–1)."""
    if funnel.empty:
        return pd.DataFrame(columns=["who", "step_label", "step", "users", "conversion"])
    mine = funnel[funnel["persona_id"] == chosen].assign(who=titles.get(chosen, str(chosen)))
    rest = funnel[funnel["persona_id"] != chosen].groupby(["step", "name"], as_index=False)["users"].sum()
    first = rest.loc[rest["step"] == 1, "users"].sum()
    rest = rest.assign(who=tr("personas.others"), conversion=rest["users"] / first if first else None)
    out = pd.concat([mine[["who", "step", "name", "users", "conversion"]], rest], ignore_index=True)
    return out.assign(step_label=out["name"].map(lambda s: f"{s}" if not str(s).startswith("/") else step_label(s, tr)))


def title_lines(title: str) -> list[str]:
    """An axis title on two lines at its bracket ("Ont atteint l'étape", "(part de l'étape 1)"): a vertical title
    longer than its chart's height is cut."""
    head, bracket, rest = title.partition(" (")
    return [head, bracket.strip() + rest] if bracket else [title]


def funnel_chart(frame: pd.DataFrame, tr) -> alt.Chart:
    """Share of each group's visitors reaching each step (vs step 1), the persona against the others."""
    order = list(dict.fromkeys(frame.sort_values("step")["step_label"]))
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("step_label:N", title=None, sort=order, axis=alt.Axis(labelAngle=0, labelLimit=160)),
            xOffset=alt.XOffset("who:N", sort=list(dict.fromkeys(frame["who"]))),
            y=alt.Y("conversion:Q", title=title_lines(tr("personas.funnel_axis")), axis=alt.Axis(format="%")),
            color=alt.Color(
                "who:N",
                title=None,
                legend=alt.Legend(orient="bottom", labelLimit=400),
                scale=alt.Scale(domain=list(dict.fromkeys(frame["who"])), range=[BLUE, GREY]),
            ),
            tooltip=[
                alt.Tooltip("who:N", title=tr("personas.persona")),
                alt.Tooltip("step_label:N", title=tr("personas.step")),
                alt.Tooltip("users:Q", title=tr("personas.visitors")),
                alt.Tooltip("conversion:Q", format=".1%", title=tr("personas.funnel_axis")),
            ],
        )
        .properties(height=280)
    )
