"""One module per `python -m cx` command. Each has `NAME`, `HELP`, `add_arguments(parser)` and
`run(args, ws) -> (doc, show)`: `doc` is the JSON document of DESIGN.md's contract, `show(doc)` prints it
for a person. Register a new command by adding its module to `COMMANDS`."""
from . import cohorts, delete, demo, findings, funnel, import_, kpis, maturity, nps, personas, report, tables

COMMANDS = [demo, import_, delete, tables, kpis, funnel, cohorts, nps, findings, personas, maturity, report]
