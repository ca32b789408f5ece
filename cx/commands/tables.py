NAME, HELP = "tables", "rows per table"
READS = True  # only reads: run again on a lake when an erasure deleted a file under it (cx/__main__.py)


def add_arguments(parser) -> None:
    pass


def tables_doc(ws) -> dict:
    return {"tables": ws.table_counts()}


def show(doc: dict) -> None:
    for name, rows in doc["tables"].items():
        print(f"{name:<10} {rows:>10,}")


def run(args, ws):
    return tables_doc(ws), show
