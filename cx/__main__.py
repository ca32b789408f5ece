"""`python -m cx …`: the command line (a stable contract, see DESIGN.md); one module per command in
`cx/commands/`.

Every command takes `--db PATH` (default `$CX_DB`, else the app's workspace), `--json` and `--lang fr|en` (what
it prints for a person, French by default as the app; help and errors are in English); exit status 0 on success,
2 on bad input with a clear message on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from .commands import COMMANDS, load
from .commands.args import add_lang
from .errors import CxError, unexpected
from .tempfiles import sweep
from .workspace import Workspace


def parser(argv: list[str]) -> argparse.ArgumentParser:
    """The parser of the command named first in `argv`: only its module is imported (all of them when no
    command is named, for `--help` and the error listing the commands)."""
    p = argparse.ArgumentParser(prog="python -m cx", description="Parcours: customer-experience analytics")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="workspace file (default: $CX_DB, else data/parcours.duckdb)")
    common.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    add_lang(common)
    sub = p.add_subparsers(dest="command", required=True)
    names = argv[:1] if argv[:1] and argv[0] in COMMANDS else list(COMMANDS)
    for command in map(load, names):
        command.add_arguments(sub.add_parser(command.NAME, parents=[common], help=command.HELP))
    return p


def run(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser(argv).parse_args(argv)
    command = load(args.command)
    sweep()  # temporary copies left by a Parcours process that was killed
    try:
        ws = Workspace(args.db)
        try:
            doc, show = _run(command, args, ws)
        finally:
            ws.close()
    except CxError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # a sentence, never a traceback
        print(f"error: {unexpected(e, log=False, path=args.db)}", file=sys.stderr)
        return 2
    try:
        if args.json:
            print(json.dumps(doc, ensure_ascii=False, default=str))
        else:
            show(doc, args.lang)
        sys.stdout.flush()  # here, not at exit, where a closed pipe would print a traceback Python cannot catch
    except BrokenPipeError:  # the reader stopped early (`| head -1`): it has what it wanted, nothing went wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit's flush writes nowhere
    return 0


def _run(command, args, ws):
    """`command.run(args, ws)`; a command that only reads (`READS`) runs again on a lake when another replica's
    erasure deleted a file under its reads (`results.reading`, imported then: `tables` on a file does not pay)."""
    if getattr(command, "READS", False) and ws.lake is not None:
        from .results import reading

        return reading(ws, lambda: command.run(args, ws))
    return command.run(args, ws)


if __name__ == "__main__":
    sys.exit(run())
