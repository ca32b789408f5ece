"""Streamlit's own words in the page's language. Streamlit (1.67) writes some of its interface in English whatever
the page's language, with no option to change it: its file drop zone ("Upload", "2GB per file", the files' sizes
"1.2KB"), the accessible names of its help buttons ("Help for Période"), of its date pickers, charts and sidebar,
its dropdowns' placeholder "Choose an option". A small script of ours puts the page's words in their place as
they appear (`streamlit.*` labels of cx/locales: the English one is Streamlit's wording, the key it looks for)."""

from __future__ import annotations

import json
import re

import streamlit as st

from ..format import chart_locale
from ..i18n import catalogue

# Sizes as Streamlit writes them ("1.2KB", "2GB"): only inside its file uploader, where they are its own
SIZE = r"(\d+(?:\.\d+)?)(B|KB|MB|GB|TB)"

SCRIPT = """<script data-cx-words>
(() => {
  const table = %s;
  window.cxStreamlitWords = table;
  if (window.cxStreamlitWordsOn) { window.cxStreamlitWordsOn(document.body); return; }
  if (!table.words) return;  // an English page: Streamlit's words are its own
  const changed = [];  // [node, attribute or null, Streamlit's words]: put back when the page turns English
  const size = (w, n, unit) => n.replace(".", w.decimal) + "\\u00a0" + w.units[unit];
  function say(text, inUploader) {
    const w = window.cxStreamlitWords;
    if (!w.words) return null;
    if (Object.hasOwn(w.words, text)) return w.words[text];
    let m = text.match(new RegExp("^" + w.help_for + "$"));
    if (m) return w.help_for_words.replace("{label}", m[1]);
    if (!inUploader) return null;
    m = text.match(new RegExp("^" + w.size + " per file$"));
    if (m) return w.per_file.replace("{size}", size(w, m[1], m[2]));
    m = text.match(new RegExp("^" + w.size + "$"));
    return m ? size(w, m[1], m[2]) : null;
  }
  function fix(node) {
    if (node.nodeType === Node.TEXT_NODE) {
      const inUploader = !!node.parentElement?.closest('[data-testid="stFileUploader"]');
      const words = say(node.nodeValue.trim(), inUploader);
      if (words !== null) { changed.push([node, null, node.nodeValue]); node.nodeValue = words; }
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    for (const name of ["aria-label", "placeholder", "title"]) {
      const value = node.getAttribute(name);
      const words = value && say(value, false);
      if (words) { changed.push([node, name, value]); node.setAttribute(name, words); }
    }
  }
  function on(root) {
    if (!window.cxStreamlitWords.words) {  // English: Streamlit's own words back
      for (const [node, name, english] of changed.splice(0)) {
        if (name) node.setAttribute(name, english); else node.nodeValue = english;
      }
      return;
    }
    fix(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) fix(walker.currentNode);
  }
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "childList") r.addedNodes.forEach(on);
      else on(r.target);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                             attributeFilter: ["aria-label", "placeholder", "title"]});
  window.cxStreamlitWordsOn = on;
  on(document.body);
})();
</script>"""


def streamlit_words_table(lang: str) -> dict:
    """What the script needs to write Streamlit's words in `lang`: {Streamlit's English words: ours}, the patterns
    of the help buttons' names and of the file sizes, the units and decimal mark; no words in English."""
    if lang == "en":
        return {"words": None}
    english, ours = catalogue("en"), catalogue(lang)
    keys = [k for k in english if k.startswith("streamlit.")]
    patterns = ("streamlit.help_for", "streamlit.per_file", "streamlit.size_units")
    return {
        "words": {english[k]: ours[k] for k in keys if k not in patterns},
        "help_for": re.escape(english["streamlit.help_for"]).replace(re.escape("{label}"), "(.+)"),
        "help_for_words": ours["streamlit.help_for"],
        "per_file": ours["streamlit.per_file"],
        "size": SIZE,
        "units": dict(zip(english["streamlit.size_units"].split(), ours["streamlit.size_units"].split())),
        "decimal": chart_locale(lang)["number"]["decimal"],
    }


def streamlit_words(lang: str) -> None:
    """Streamlit's own words in `lang` on this page (and back to Streamlit's English when the page turns English)."""
    table = json.dumps(streamlit_words_table(lang), ensure_ascii=False).replace("</", "<\\/")
    st.html(SCRIPT % table, unsafe_allow_javascript=True)
