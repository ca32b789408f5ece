"""Voix du client / Voice of the customer: NPS ± margin, CSAT, CES, breakdowns, trend, themes, quotes, drivers."""

import pandas as pd
import streamlit as st

from cx import charts_voice as charts
from cx.format import escape_markdown, number, percent
from cx.i18n import catalogue
from cx.privacy import readable
from cx.satisfaction import (
    DIMENSIONS,
    breakdown,
    count_answers,
    find_drivers,
    group_stats,
    nps_trend,
    summarise,
    trend_period,
)
from cx.text import (
    add_theme_keyword,
    comment_languages,
    find_quotes,
    find_themes,
    theme_label,
    theme_names,
    user_keywords,
)
from cx.ui import CxError, date_format, lang, show_error, text_columns, tr, workspace
from cx.ui.cache import analysis
from cx.ui.download import download_table
from cx.ui.filters import current_filters

ws, filters = workspace(), current_filters()
st.title(tr("voice.title"))
st.caption(tr("voice.subtitle") + (" " + tr("voice.filter_note") if filters.device or filters.channel else ""))
result, keywords = analysis(summarise, filters), user_keywords(ws)
themes = analysis(find_themes, filters, extra_keywords=keywords)
languages = analysis(comment_languages, filters)
if not result.nps.n and result.csat is None and not result.ces and not themes["mentions"].sum():
    answers = analysis(count_answers, filters)
    if not answers.loaded:
        st.info(tr("voice.empty"), icon=":material/upload_file:")
        st.page_link("views/data.py", label=tr("voice.go_data"), icon=":material/upload_file:")
    elif not answers.kept:
        st.info(
            tr("voice.filtered_out", loaded=number(answers.loaded, lang(), 0), count=answers.loaded),
            icon=":material/filter_alt:",
        )
    else:
        st.info(tr("voice.nothing_to_read", kept=number(answers.kept, lang(), 0), count=answers.kept))
    st.stop()
# labels computed now: a format_func may run outside this script run (AppTest), where the language is unknown
theme_name, dim_name = (
    {t: theme_label(t, lang()) for t in theme_names()}.get,
    {d: tr(f"voice.dim.{d}") for d in (*DIMENSIONS, "everyone")}.get,
)
# table numbers written as text in the UI's language (Streamlit's number formats write English decimals)
signed = lambda v, lg: number(v, lg, 1, signed=True)
one = lambda v, lg: number(v, lg, 1)
share = lambda v, lg: percent(v, lg, 0)
whole = lambda v, lg: number(v, lg)
csat_pct = lambda v, lg: number(v, lg, 1, unit="%")


def too_few_groups(groups, by: str) -> bool:
    """Fewer than two known values of `by`: says what to map or load (True), else draws nothing (False)."""
    said = charts.too_few_groups(groups.assign(label=groups["label"].map(escape_markdown)), by, tr)
    if said:
        st.info(said)
    return bool(said)


nps, cols = result.nps, st.columns(4)
cols[0].metric(
    tr("voice.nps") + (tr("voice.low_sample_tag") if nps.low_sample and nps.n else ""),  # no tag on no answer
    number(nps.nps, lang(), 1, signed=True),
    help=tr("voice.nps_help"),
)
cols[0].caption(
    tr("voice.nps_moe", moe=number(nps.moe, lang(), 1), n=number(nps.n, lang()), count=nps.n)
    if nps.n
    else tr("voice.no_nps")
)
if result.csat:
    cols[1].metric(tr("voice.csat"), number(result.csat.csat, lang(), 1, unit="%"), help=tr("voice.csat_help"))
    cols[1].caption(
        tr(
            "voice.csat_form",
            scales=", ".join(f"1–{s}" for s in result.csat.scales),
            n=number(result.csat.n, lang()),
            count=result.csat.n,
        )
    )
for ces in result.ces[:1]:  # the most answered CES form; both of its readings, each labelled
    cols[2].metric(tr("voice.ces_mean", scale=ces.scale), number(ces.mean, lang(), 2), help=tr("voice.ces_help"))
    cols[2].caption(
        tr(
            f"voice.ces_mean_form_{'higher' if ces.higher_is_better else 'lower'}",
            scale=ces.scale,
            n=number(ces.n, lang()),
            count=ces.n,
        )
        + (tr("voice.ces_moe", moe=number(ces.moe, lang(), 2)) if ces.moe is not None else "")
    )
    cols[3].metric(tr("voice.ces_low"), percent(ces.low_effort_share, lang(), 0), help=tr("voice.ces_help"))
    cols[3].caption(tr("voice.ces_low_form", boxes=ces.low_effort_boxes, scale=ces.scale))
if nps.n:
    st.altair_chart(
        charts.nps_split(analysis(group_stats, filters, ("everyone",)).assign(label=tr("voice.all_answers")), tr),
        width="stretch",
    )

scores, verbatims, drivers_tab = st.tabs([tr("voice.tab_scores"), tr("voice.tab_verbatims"), tr("voice.tab_drivers")])
with scores:
    if not nps.n:  # the NPS by group and the trend read NPS answers (0–10): say so, not empty sections
        st.info(tr("voice.no_nps_sections"))
    if nps.n or result.csat or result.ces:
        by = st.selectbox(
            tr("voice.by"), list(DIMENSIONS), key="voice_by", format_func=dim_name, help=tr("voice.by_help")
        )
        groups = charts.label_groups(analysis(breakdown, filters, by), tr)
    if not nps.n and (result.csat or result.ces):  # a CSAT or CES survey: its scores by group, without NPS
        st.subheader(tr("voice.by_title_csat", dim=dim_name(by).lower()))
        groups = groups.query("csat_n > 0 or ces_n > 0")
        if groups.empty:
            st.info(tr("voice.no_groups"))
        elif not too_few_groups(groups, by):
            formats = {  # the scores the survey has: no column of "0" and "—" for a CES it never asked
                **({"csat_n": whole, "csat": csat_pct} if result.csat else {}),
                **({"ces_n": whole, "ces_low_effort_share": share} if result.ces else {}),
            }
            st.dataframe(
                text_columns(groups[["label", *formats]], **formats),
                hide_index=True,
                width="stretch",
                column_config={
                    "label": tr("voice.group"),
                    "csat_n": tr("voice.csat_n"),
                    "csat": tr("voice.csat"),
                    "ces_n": tr("voice.ces_n"),
                    "ces_low_effort_share": tr("voice.ces_low"),
                },
            )
            st.caption(tr("voice.by_caption_csat"))
    if nps.n:
        groups = groups.query("n > 0")
        st.subheader(tr("voice.by_title", dim=dim_name(by).lower()))
        if groups.empty:
            st.info(tr("voice.no_groups"))
        elif not too_few_groups(groups, by):
            st.altair_chart(charts.nps_by_group(groups, nps.nps, tr), width="stretch")
            st.caption(tr("voice.by_caption"))
            table = groups[["label", "n", "nps", "moe", "significant", "low_sample", "csat", "ces_low_effort_share"]]
            st.dataframe(
                text_columns(
                    table,
                    n=whole,
                    nps=signed,
                    moe=lambda v, lg: "± " + number(v, lg, 1),
                    csat=csat_pct,
                    ces_low_effort_share=share,
                ),
                hide_index=True,
                width="stretch",
                column_config={
                    "label": tr("voice.group"),
                    "n": tr("voice.n"),
                    "nps": tr("voice.nps"),
                    "moe": tr("voice.moe"),
                    "significant": tr("voice.significant"),
                    "low_sample": tr("voice.low_sample"),
                    "csat": tr("voice.csat"),
                    "ces_low_effort_share": tr("voice.ces_low"),
                },
            )
        st.subheader(tr("voice.trend_title"))
        periods = ["week", "month"]  # by default the step whose points hold enough answers (trend_period)
        default = analysis(trend_period, filters)
        period = st.radio(
            tr("voice.period"),
            periods,
            index=periods.index(default),
            horizontal=True,
            # one widget per default step: a user's choice holds while the filters keep that default, and a filter
            # that changes it shows what a fresh load of the same URL shows (tests/e2e/test_filter_changes.py)
            key=f"voice_period_{default}",
            format_func=dim_name,
        )
        trend = analysis(nps_trend, filters, period)
        if len(trend):
            st.altair_chart(charts.nps_trend(trend, period, tr), width="stretch")
            st.caption(tr("voice.trend_caption"))


with verbatims:
    st.subheader(tr("voice.themes_title"))
    themes = themes.assign(label=themes["theme"].map(theme_name)).query("mentions > 0")
    st.altair_chart(charts.themes_by_group(themes, tr), width="stretch")
    st.caption(tr("voice.themes_caption"))
    unread = languages.query("not read")
    if len(unread):
        names = catalogue(lang())
        st.caption(
            tr(
                "voice.unread_languages",
                n=number(unread["comments"].sum(), lang(), 0),
                count=int(unread["comments"].sum()),
                languages=", ".join(
                    f"{names.get(f'voice.language.{r.language}', r.language)} ({number(r.comments, lang(), 0)})"
                    for r in unread.itertuples()
                ),
            )
        )
    shares = ("detractor_share", "promoter_share", "negative_share")
    st.dataframe(
        text_columns(
            themes[["label", "mentions", "detractor_share", "promoter_share", "nps", "negative_share"]],
            mentions=whole,
            nps=signed,
            **dict.fromkeys(shares, share),
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "label": tr("voice.theme"),
            "mentions": tr("voice.mentions"),
            "nps": tr("voice.theme_nps"),
            **{c: tr(f"voice.{c}") for c in shares},
        },
    )
    st.subheader(tr("voice.quotes_title"))
    left, right = st.columns(2)
    theme = left.selectbox(
        tr("voice.theme"),
        theme_names(),
        index=None,
        key="voice_theme",
        placeholder=tr("voice.all_themes"),
        format_func=theme_name,
    )
    search = right.text_input(tr("voice.search"), key="voice_search", help=tr("voice.search_help"))
    quotes = analysis(find_quotes, filters, theme=theme, search=search or None, extra_keywords=keywords)
    st.caption(tr("voice.quotes_count", n=len(quotes)))
    quotes["themes"] = quotes["themes"].map(lambda ts: ", ".join(map(theme_name, ts)))
    quotes["comment"] = quotes["comment"].map(lambda c: readable(c, lang()))  # "[tel]" in the page's words
    # the download keeps the score a number and the date a date (an empty cell where there is none)
    kept = quotes.assign(nps=quotes["nps"].astype("Int64"), tone=quotes["tone"].map(lambda t: tr(f"voice.tone_{t}")))[
        ["responded_at", "nps", "comment", "themes", "tone", "touchpoint"]
    ]
    shown = kept.assign(  # a CSAT-only answer has no NPS score, an answer no touchpoint: a dash, never "None"
        nps=kept["nps"].map(lambda v: "—" if pd.isna(v) else number(v, lang(), 0)),
        touchpoint=kept["touchpoint"].fillna("—"),
    )
    labels = {c: tr(f"voice.{c}") for c in ("nps", "comment", "themes", "tone")}
    labels |= {"responded_at": tr("voice.date"), "touchpoint": dim_name("touchpoint")}
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            **labels,
            "responded_at": st.column_config.DatetimeColumn(labels["responded_at"], format=date_format()),
            "nps": st.column_config.TextColumn(labels["nps"]),
            "comment": st.column_config.TextColumn(labels["comment"], width="large"),
        },
    )
    download_table(  # the table's own toolbar is off: it wrote a comment's "=…" as a live formula
        kept.rename(columns=labels), tr("voice.quotes_download"), "verbatims", key="voice_quotes_download"
    )
    with st.form("voice_keyword", clear_on_submit=True):
        st.markdown(f"**{tr('voice.keyword_title')}**")
        a, b, c = st.columns([2, 2, 1])
        k_theme = a.selectbox(tr("voice.theme"), theme_names(), format_func=theme_name, key="keyword_theme")
        k_word = b.text_input(tr("voice.keyword"), help=tr("voice.keyword_help"), key="keyword_word")
        k_lang = c.radio(tr("voice.language"), ["fr", "en"], horizontal=True, key="keyword_lang")
        if st.form_submit_button(tr("voice.keyword_add")):
            try:
                add_theme_keyword(ws, k_theme, k_word, k_lang)
                st.toast(tr("voice.keyword_added", keyword=escape_markdown(k_word), theme=theme_name(k_theme)))
                st.rerun()
            except CxError as e:
                show_error(e)
    if keywords:
        st.caption(
            tr(
                "voice.keywords_list",
                keywords=" · ".join(tr("list.pair", name=theme_name(t), value=escape_markdown(w)) for t, w in keywords),
            )
        )

with drivers_tab:
    st.subheader(tr("voice.drivers_title"))
    drivers = charts.label_groups(analysis(find_drivers, filters), tr)
    if drivers.empty:
        st.info(tr("voice.no_drivers"))
    else:
        drivers["attribute_label"] = drivers["attribute"].map(dim_name)
        st.altair_chart(charts.drivers_quadrant(drivers, nps.nps, tr), width="stretch")
        st.caption(tr("voice.drivers_caption"))
        columns = ["rank", "attribute_label", "label", "n", "nps", "rest_nps", "importance", "significant"]
        st.dataframe(
            text_columns(drivers.head(12)[columns], **dict.fromkeys(columns[4:7], signed)),
            hide_index=True,
            width="stretch",
            column_config={
                "rank": "#",
                "attribute_label": tr("voice.attribute"),
                "label": tr("voice.group"),
                "n": tr("voice.n"),
                "significant": tr("voice.significant"),
                **{c: tr(f"voice.{c}") for c in columns[4:7]},
            },
        )
