from ..format import number
from ..i18n import t

NAME, HELP = "tables", "rows per table"
READS = True  # only reads: run again on a lake when an erasure deleted a file under it (cx/__main__.py)


def add_arguments(parser) -> None:
    pass


def tables_doc(ws) -> dict:
    return {"tables": ws.table_counts()}


def show(doc: dict, lang: str) -> None:
    """Rows per table, the tables by their names in `lang`."""
    for name, rows in doc["tables"].items():
        print(f"{t(f'table.{name}', lang):<24} {number(rows, lang):>10}")


def run(args, ws):
    return tables_doc(ws), show
