"""One module per `python -m cx` command. Each has `NAME`, `HELP`, `add_arguments(parser)` and
`run(args, ws) -> (doc, show)`: `doc` is the JSON document of DESIGN.md's contract, `show(doc, lang)` prints it
for a person in `--lang` (every command takes it: cx/__main__.py). A command that only reads sets `READS = True`: on a lake it runs again when another replica's erasure
deleted a file under its reads (`results.reading`). So does one whose only writes are safe to make twice (`personas`,
`maturity`, `report`: stored results and the persona membership, each committed apart after checking the data version,
and an output file written whole); a command that imports, deletes or edits does not (its transactions run again on
their own: `lake.retrying`). Register a new command by adding its name and module to `COMMANDS`.

A command's module is imported only when that command runs (`load`), so `python -m cx tables` does not pay
for pandas, altair or the analyses it does not use."""

from importlib import import_module

COMMANDS = {
    "demo": "demo",
    "import": "import_",
    "delete": "delete",
    "forget": "forget",
    "rejects": "rejects",
    "tables": "tables",
    "kpis": "kpis",
    "funnel": "funnel",
    "cohorts": "cohorts",
    "nps": "nps",
    "findings": "findings",
    "personas": "personas",
    "maturity": "maturity",
    "report": "report",
    "lake": "lake",
    "attach-events": "attach_events",
}  # command name → module in this package


def load(name: str):
    """The module of command `name`."""
    return import_module(f".{COMMANDS[name]}", __name__)
