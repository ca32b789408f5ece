"""Text helpers shared by the pages and the chart builders."""
from __future__ import annotations


def escape_markdown(text) -> str:
    """Free text (a file name, a value from a file, a keyword a user typed) shown literally inside
    st.markdown / caption / toast: every markdown character is backslash-escaped, so it never becomes markup."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~$:" else ch for ch in str(text))
