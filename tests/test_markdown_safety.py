"""User data on screen is text, never markup (issue 12): the one escaping helper, and pages fed with injection
payloads in a persona name, a funnel group label, a file name (error text) and an event name."""

import datetime as dt

import pandas as pd
from streamlit.testing.v1 import AppTest

from cx.format import escape_markdown
from cx.models import Filters
from cx.personas import find_personas, rename_persona
from cx.workspace import Workspace
from tests.conftest import ROOT
from tests.test_personas import populate

IMAGE = "![x](http://example.com/a.png)"
PAYLOAD = IMAGE + " **bold** $x^2$ :red[red] :material/home: <img src=x> `c` ~s~ | a_b_"


def test_the_helper_escapes_every_markdown_sign():
    out = escape_markdown(PAYLOAD)
    assert out.startswith(r"\!\[x\]\(http\://example\.com/a\.png\)")
    chars = iter(out)
    for ch in chars:  # every sign is preceded by a backslash (itself escaped)
        if ch == "\\":
            assert next(chars) in "*_`[]()!#$~|<>\\:=&.+-{}"
        else:
            assert ch not in "*_`[]()!#$~|<>:", ch
    assert r"\:red\[red\]" in out and r"\:material/home\:" in out and r"\$x^2\$" in out
    assert escape_markdown("a\nb\r\nc\rd") == "a b c d"  # no heading, list or quote from a line break
    assert escape_markdown("# h\n> q\n- l\n1. n") == r"\# h \> q \- l 1\. n"
    assert escape_markdown("\\") == "\\\\" and escape_markdown(None) == "" and escape_markdown(12) == "12"
    assert escape_markdown("Élodie, 35 ans") == "Élodie, 35 ans"  # plain text untouched


def bodies(at) -> list[str]:
    """Every markdown body and markdown label the page sent."""
    out = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "subheader", "title", "toast"):
        out += [e.value for e in getattr(at, kind)]
    out += [m.label for m in at.metric]
    return out


def assert_shown_as_text(at, escaped_fragment: str):
    texts = bodies(at)
    assert not at.exception, at.exception
    assert not any("![" in t or "](http" in t or ":red[" in t for t in texts), [t for t in texts if "![" in t]
    assert any(escaped_fragment in t for t in texts), texts


def test_an_email_address_is_not_made_a_mailto_link():
    # the markdown renderer links an address found in the rendered text (GFM autolink literal, escapes or not):
    # the escaped text holds none (an invisible word joiner follows the @), and reads the same
    import re

    out = escape_markdown("p40@example.com, a.b+c@mail.example.fr")
    assert not re.search(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", out.replace("\\", "")), out
    assert out.replace("\\", "").replace("\u2060", "") == "p40@example.com, a.b+c@mail.example.fr"


def test_a_persona_renamed_to_an_image(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    populate(ws)
    name = IMAGE + " **b** $x$ :red[r]"  # names are at most 60 characters
    for i, p in enumerate(find_personas(ws).personas):
        rename_persona(ws, p.persona_id, name if i == 0 else f"{i} {name}")
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "personas.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["filters"] = Filters()
    at.run()
    assert_shown_as_text(at, r"\!\[x\]\(http\://example\.com/a\.png\)")
    assert any(t == "### " + escape_markdown(name) for t in bodies(at))
    assert any(escape_markdown(name) in m.label for m in at.metric)  # "Converted — <persona>"


def test_a_funnel_group_label_and_an_event_name(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    t0 = dt.datetime(2025, 3, 3, 10)
    rows = []
    for device, carts in ((PAYLOAD, 10), ("desktop", 30)):
        for i in range(40):
            v = f"{device}{i}"
            names = ["view_item"] + [IMAGE] * (i < carts)
            rows += [
                {
                    "visitor_id": v,
                    "event_time": t0 + dt.timedelta(minutes=k),
                    "event_name": n,
                    "device": device,
                    "session_id": v,
                }
                for k, n in enumerate(names)
            ]
    ws = Workspace(db)
    with ws.cursor() as cur:
        cur.register("frame", pd.DataFrame(rows))
        cur.execute(
            "insert into events (import_id, visitor_id, event_time, event_name, device, session_id) "
            "select 1, visitor_id, event_time, event_name, device, session_id from frame"
        )
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "funnel.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["filters"] = Filters()
    at.session_state["funnel_steps"] = ["view_item", IMAGE]
    at.session_state["funnel_by"] = "device"
    at.run()
    assert_shown_as_text(at, escape_markdown(PAYLOAD))


def _error_page():
    from cx.errors import FileRefused
    from cx.ui import show_error

    show_error(
        FileRefused(
            "no header row", file="![x](http://example.com/a.png).csv", column="**Nom** $a$", fix="export it again"
        )
    )


def test_an_error_naming_a_file_and_a_header():
    at = AppTest.from_function(_error_page).run()
    assert_shown_as_text(at, r"\!\[x\]\(http\://example\.com/a\.png\)\.csv")
    assert r"\*\*Nom\*\* \$a\$" in at.error[0].value
