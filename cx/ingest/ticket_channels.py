"""A tickets file whose channel column holds values no support channel's pattern knows ("Carrier pigeon", "Fax"):
its tickets are loaded as any other (a channel is never a reason to reject a row), and the import report names
those values, with their tickets, and says how to make them count (the Support page compares a ticket's first
reply with its channel's expected time only for the channels it knows: `cx.support.EXPECTED_RESPONSE`)."""

from __future__ import annotations

from ..attach import stored_table
from ..channels import is_known
from ..models import Note

LISTED = 10  # channels named in the note, the most frequent first


def unknown_channels_note(cur, import_id: int) -> Note | None:
    """The import report's note on the unknown ticket channels of import `import_id`, or None when it has none."""
    counts = cur.execute(
        f"select trim(channel) as c, count(*) as n from {stored_table(cur, 'tickets')} "
        "where import_id = $id and nullif(trim(channel), '') is not null group by c order by n desc, c",
        {"id": import_id},
    ).fetchall()
    unknown = [(channel, int(n)) for channel, n in counts if not is_known(channel, "ticket")]
    if not unknown:
        return None
    tickets = sum(n for _, n in unknown)
    listed = ", ".join(f"{channel} ({n})" for channel, n in unknown[:LISTED]) + (", …" if len(unknown) > LISTED else "")
    return Note(
        f"{tickets} ticket(s) on channels Parcours does not know: {listed} (tickets per channel); loaded, with no "
        "expected reply time: name their channel as e-mail, chat, phone or social media in the file, delete this import "
        "and load the corrected file",
        "unknown_channels",
        n=tickets,
        channels=listed,
    )
