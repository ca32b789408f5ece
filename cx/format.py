"""Text helpers shared by the pages and the chart builders."""
from __future__ import annotations

import re

# every character CommonMark, GFM, Streamlit's LaTeX ($) and directives (:red[…], :material/…:) give a meaning
MARKDOWN_SIGNS = frozenset("\\`*_{}[]()#+-.!|<>~$:=&")
_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")


def escape_markdown(text) -> str:
    """Free text from the user's data (a file name, a CSV header, a persona name, a funnel group, an error
    text, a keyword) shown literally inside st.markdown / caption / info / warning / error / toast / metric
    and widget labels / subheader / radio options: every markdown sign is backslash-escaped, so it never
    becomes bold, a link, an image (no remote fetch), LaTeX, HTML, a colour or an icon directive; line breaks
    become spaces, so a value cannot open a heading, a list or a block quote.

    Not for `st.selectbox` / `st.multiselect` options or `st.dataframe` cells: those show plain text (the
    backslashes would show)."""
    text = _BREAKS.sub(" ", "" if text is None else str(text))
    return "".join("\\" + ch if ch in MARKDOWN_SIGNS else ch for ch in text)
