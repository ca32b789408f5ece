from .tables import show, tables_doc

NAME, HELP = "demo", "load the built-in sample data"


def add_arguments(parser) -> None:
    pass


def run(args, ws):
    from ..demo import load_demo

    load_demo(ws, lang=args.lang)  # the tickets' and comments' texts in --lang
    return tables_doc(ws), show
