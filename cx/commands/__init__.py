"""One module per `python -m cx` command. Each has `NAME`, `HELP`, `add_arguments(parser)` and
`run(args, ws) -> (doc, show)`: `doc` is the JSON document of DESIGN.md's contract, `show(doc)` prints it
for a person. Register a new command by adding its module to `COMMANDS`."""
from . import demo, import_, kpis, nps, tables
from . import cohorts, funnel
from . import personas
from . import findings

COMMANDS = [demo, import_, tables, nps, kpis]
COMMANDS += [funnel, cohorts]
COMMANDS += [personas]
COMMANDS += [findings]
