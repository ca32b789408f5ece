"""E-mail addresses and phone numbers written in free text (a survey comment, a ticket's text) are masked at
import when personal data is pseudonymised (the default), and in the Data page's previews."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import given, settings, strategies as st

from cx.ingest import import_file
from cx.privacy import EMAIL_MASK, NAME_MASK, PHONE_MASK, SQL_CANDIDATE, mask_text, readable
from tests.conftest import write


def test_the_testers_texts_are_masked():
    assert mask_text("+33 6 12 34 56 78 appelez-moi") == "[tel] appelez-moi"
    assert mask_text("Jean Dupont, 12 rue de la Paix, jean.dupont@gmail.com") == ("Jean Dupont, [address], [e-mail]")
    assert mask_text("écrivez à a.b+c@exemple.co.uk ou au 06.12.34.56.78") == "écrivez à [e-mail] ou au [tel]"
    assert mask_text("US: +1 (555) 123-4567, UK: +44 20 7946 0958") == "US: [tel], UK: [tel]"
    # no false positive on what a comment holds besides
    for text in ("commande #10006 du 02/12/2025 à 10:30", "1 234,56 €", "+12,50 €", "-10% promis", "@support nul"):
        assert mask_text(text) == text
    assert mask_text("02-12-2025 10:30, 2025-12-02 10:00:00, n° 123456789") == (
        "02-12-2025 10:30, 2025-12-02 10:00:00, n° 123456789"
    )
    assert mask_text(None) is None


WORDS = st.sampled_from(["Livraison", "rapide", "colis", "abîmé", "merci", "très", "déçu", "SAV", "ok", "!", "—"])
CLEAN = st.one_of(
    WORDS,
    st.integers(0, 99_999).map(lambda n: f"#{n}"),  # order numbers
    st.integers(0, 10**6).map(lambda c: f"{c // 100:,},{c % 100:02d} €".replace(",", "\u202f", c >= 100_000)),
    st.decimals(0, 9999, places=2).map(str),
    st.integers(-100, 100).map(lambda n: f"{n:+d}%"),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda t: t.strftime("%d-%m-%Y %H:%M")),
    st.times().map(lambda t: t.strftime("%H:%M")),
    st.integers(0, 9999999).map(str),
)
LOCAL = st.from_regex(r"[a-z][a-z0-9._+-]{0,12}[a-z0-9]", fullmatch=True)
DOMAIN = st.from_regex(r"[a-z0-9-]{1,10}(\.[a-z0-9-]{1,8})?\.(fr|com|org|net|co\.uk|de)", fullmatch=True)
EMAILS = st.builds(lambda a, b, upper: (f"{a}@{b}").upper() if upper else f"{a}@{b}", LOCAL, DOMAIN, st.booleans())
SEPARATORS = st.sampled_from([" ", ".", "-", ""])
PHONES = st.one_of(
    st.builds(
        lambda d, s, pairs: s.join([f"0{d}", *pairs]),
        st.integers(1, 9),
        SEPARATORS,
        st.lists(st.integers(0, 99).map(lambda n: f"{n:02d}"), min_size=4, max_size=4),
    ),
    st.builds(
        lambda cc, s, d, pairs: f"+{cc} {d}" + "".join(s + p for p in pairs),
        st.sampled_from(["33", "32", "41", "44", "49"]),
        st.sampled_from([" ", "."]),
        st.integers(1, 9),
        st.lists(st.integers(0, 99).map(lambda n: f"{n:02d}"), min_size=4, max_size=4),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(CLEAN, max_size=12))
def test_texts_without_e_mails_or_phones_are_unchanged(parts):
    text = " ".join(parts)
    assert mask_text(text) == text


@settings(max_examples=300, deadline=None)
@given(st.lists(CLEAN, max_size=8), st.lists(st.one_of(EMAILS, PHONES), min_size=1, max_size=3), st.randoms())
def test_texts_never_keep_their_e_mails_or_phones(parts, personal, rnd):
    words = list(parts)
    for item in personal:  # each followed by a comma, as written in a sentence
        words.insert(rnd.randint(0, len(words)), item + ",")
    text = " ".join(words)
    masked = mask_text(text)
    # the import calls Python only on the texts this SQL pattern finds: it must find every one to mask
    assert re.search(SQL_CANDIDATE, text)
    for item in personal:
        assert item not in masked
    assert "@" not in masked
    # what was around them is kept as it was
    shown = [(EMAIL_MASK if "@" in w else PHONE_MASK) + "," if w[:-1] in personal else w for w in words]
    assert masked == " ".join(shown)


TICKETS = (
    "Ticket ID,Channel,Created at,Description\n"
    'T1,chat,2025-01-02 10:00,"Jean Dupont, 12 rue de la Paix, jean.dupont@gmail.com"\n'
    'T2,phone,2025-01-03 10:00,"rappelez-moi au 06 12 34 56 78 pour la commande #10006 (1 234,56 €)"\n'
    "T3,email,2025-01-04 10:00,colis reçu le 02/12/2025\n"
)
ANSWERS = (
    "Horodateur,Adresse e-mail,Quelle est la probabilité que vous nous recommandiez ? (0-10),Pourquoi cette note ?\n"
    "02/01/2025 10:00:00,a@example.com,3,+33 6 12 34 56 78 appelez-moi\n"
    "03/01/2025 10:00:00,b@example.com,9,parfait\n"
)


def test_ticket_texts_and_comments_are_stored_masked(ws, tmp_path):
    assert import_file(ws, write(tmp_path, "tickets.csv", TICKETS)).kind == "tickets"
    assert import_file(ws, write(tmp_path, "reponses.csv", ANSWERS)).kind == "responses"
    with ws.cursor() as cur:
        texts = [r[0] for r in cur.execute("select text from tickets order by ticket_id").fetchall()]
        comments = [r[0] for r in cur.execute("select comment from responses order by nps").fetchall()]
    assert texts == [
        "Jean Dupont, [address], [e-mail]",
        "rappelez-moi au [tel] pour la commande #10006 (1 234,56 €)",
        "colis reçu le 02/12/2025",
    ]
    # stored as neutral tokens: an export reads the same whoever made it
    assert comments == ["[tel] appelez-moi", "parfait"]


GORGIAS = (
    "Ticket id,Channel,Created datetime,Internal note,Tags\n"
    'G1,email,2025-01-02 10:00,"Rappeler la cliente au 06 98 76 54 32, 3 avenue Victor Hugo, 69003 Lyon",livraison\n'
    "G2,chat,2025-01-03 10:00,Colis reçu abîmé : renvoi du produit demandé,retour\n"
)


def test_a_kept_column_of_sentences_is_masked_as_a_comment(ws, tmp_path):
    """A tester found a Gorgias ticket's message, kept as extra data (no column of Parcours takes it), stored in
    clear with a phone number and an address; a comment in a mapped column was masked."""
    import_file(ws, write(tmp_path, "gorgias.csv", GORGIAS))
    with ws.cursor() as cur:
        extras = dict(cur.execute("select ticket_id, extra::varchar from tickets").fetchall())
    assert "06 98" not in extras["G1"] and "Victor Hugo" not in extras["G1"] and "[tel]" in extras["G1"]
    assert "Colis reçu abîmé : renvoi du produit demandé" in extras["G2"]  # nothing to mask: as written
    assert '"livraison"' in extras["G1"]  # a column of codes is kept as it is


def test_texts_are_kept_as_written_when_the_user_turns_pseudonymisation_off(ws, tmp_path):
    import_file(ws, write(tmp_path, "tickets.csv", TICKETS), pseudonymise=False)
    with ws.cursor() as cur:
        text = cur.execute("select text from tickets where ticket_id = 'T1'").fetchall()[0][0]
    assert text.endswith("jean.dupont@gmail.com")


def test_the_data_page_preview_masks_e_mails_and_phones():
    from cx.ui.importer import shown_preview

    preview = pd.DataFrame({"Email": ["  A.B@Example.com ", None], "Note": ["06 12 34 56 78 svp", "1 234,56 €"]})
    assert shown_preview(preview, mask=True).values.tolist() == [["  [e-mail] ", "[téléphone] svp"], ["", "1 234,56 €"]]
    # an empty cell shows empty, never "None"
    assert shown_preview(preview, mask=False).values.tolist() == [
        ["  A.B@Example.com ", "06 12 34 56 78 svp"],
        ["", "1 234,56 €"],
    ]


def test_the_masks_are_shown_in_the_readers_language():
    stored = "écrivez à [e-mail] ou au [tel]"
    assert readable(stored, "fr") == "écrivez à [e-mail] ou au [téléphone]"
    assert readable(stored, "en") == "écrivez à [e-mail] ou au [phone]"
    # a text loaded before the neutral tokens holds the French mask: an English reader sees theirs
    assert readable("rappelez-moi au [téléphone]", "en") == "rappelez-moi au [phone]"
    assert readable("[tel][tel] tel quel", "en") == "[phone][phone] tel quel"  # the word alone is left alone
    assert readable(None, "en") is None and readable("", "fr") == ""
    assert readable("Cordialement, [name] — [address]", "fr") == "Cordialement, [nom] — [adresse]"


def test_a_persona_quote_shows_the_masks_in_the_pages_language():
    from types import SimpleNamespace

    from cx.charts_personas import quote_markdown

    persona = SimpleNamespace(quote="rappelez-moi au [tel]", quote_nps=3)
    assert quote_markdown(persona, lambda k, **v: k, "en").startswith("> rappelez\\-moi au \\[phone\\]")
    assert "\\[téléphone\\]" in quote_markdown(persona, lambda k, **v: k, "fr")


def test_names_and_street_addresses_the_text_announces_are_masked():
    cases = {
        "Colis abîmé.\nCordialement, Jean Dupont": "Colis abîmé.\nCordialement, [name]",
        "Bien cordialement\nMarie-Claire DURAND": "Bien cordialement\n[name]",
        "Thanks for the refund. Regards, John": "Thanks for the refund. Regards, [name]",
        "Colis reçu. Merci,\nPaul": "Colis reçu. Merci,\n[name]",
        "Bonjour Marie, mon colis est abîmé.": "Bonjour [name], mon colis est abîmé.",
        "Dear Mr Smith, the parcel never came.": "Dear Mr [name], the parcel never came.",
        "Je m'appelle Claire Martin et je suis déçue": "Je m'appelle [name] et je suis déçue",
        "Livrez au 3 bis, avenue Victor Hugo, 69003 Lyon svp": "Livrez au [address] svp",
        "Jean Dupont, 12 rue de la Paix, 75002 Paris": "Jean Dupont, [address]",
        "I live at 221B Baker Street, London": "I live at [address], London",
    }
    for text, masked in cases.items():
        assert mask_text(text) == masked, text
        assert re.search(SQL_CANDIDATE, text), text  # the import calls Python on it


def test_ordinary_words_after_the_same_cues_are_left_alone():
    for text in (
        "Bonjour Madame, merci.",  # a title alone
        "Cordialement,\nLe service client",  # a team
        "Thanks, Support",
        "merci Livraison !",  # "merci" is a word of any sentence: a name only past a comma or a line break
        "Merci DPD",  # capitals alone: a carrier, not a surname
        "Hi there, great service",
        "Hello World!",  # a real Qualtrics export's comment (tests/exports/real)
        "j'ai suivi 2 cours de cuisine",  # a street word without a capitalised name after it
        "il reste 1 place de parking",
        "Jean a été très aimable",  # a name nothing announces: it stays (docs/IMPORT_FORMATS.md)
        "commande #12 rue de la Paix",  # an order number is no house number
        # words of the comment in Title Case after a sign-off: the lexicons' words and common ones are no name
        "Great app. Thanks, Keep It Up",
        "Colis perdu.\nCordialement, Très Déçu",
        "Regards, Delivery Was Late",
    ):
        assert mask_text(text) == text, text


FIRST = st.sampled_from(["Jean", "Marie-Claire", "John", "Élodie", "O'Neil", "Zoé"])
LAST = st.sampled_from(["Dupont", "DURAND", "Smith", "Lefèvre", "D'Almeida", "M."])
SIGN_OFFS = st.sampled_from(
    ["Cordialement,", "Bien cordialement\n", "Regards,", "Merci,\n", "Best regards,", "Thanks,"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(CLEAN, max_size=6), SIGN_OFFS, FIRST, st.lists(LAST, max_size=2))
def test_a_signed_texts_name_never_stays(parts, sign_off, first, last):
    name = " ".join([first, *last])
    text = " ".join([*parts, sign_off]) + ("" if sign_off.endswith("\n") else " ") + name
    masked = mask_text(text)
    assert re.search(SQL_CANDIDATE, text)
    assert masked == text[: len(text) - len(name)] + NAME_MASK


def test_the_data_page_preview_shows_the_columns_the_import_pseudonymises_as_such(ws, tmp_path):
    """A tester saw first and last names in clear in the preview while e-mails were masked (stored: hashed)."""
    from cx.ingest import detect_file
    from cx.ui.importer import shown_preview

    path = write(tmp_path, "contacts.csv", "Record ID,First Name,Last Name,Email,City\n1,Lucas,Durand,l@x.fr,Lyon\n")
    d = detect_file(ws, path, "contacts.csv")
    assert set(d.personal) == {"First Name", "Last Name"}  # the e-mails show as [e-mail]
    shown = shown_preview(d.preview, mask=True, personal=d.personal).iloc[0].to_dict()
    assert shown["First Name"] == shown["Last Name"] == "[pseudonymisé]"
    assert shown["Record ID"] == "1" and shown["City"] == "Lyon" and shown["Email"] == "[e-mail]"
    assert shown_preview(d.preview, mask=False, personal=d.personal).iloc[0]["First Name"] == "Lucas"
