"""Read any analytics, CRM or survey export into the workspace, nothing lost: see `load.import_file`."""

from .erase import delete_import, erase_import, erase_imports
from .load import detect_file, earlier_import, import_file, list_imports, rejects_of
from .mapping import map_headers


def suggest_mapping(detection, kind: str) -> dict[str, str]:
    """The mapping detection would propose if the file were of `kind`."""
    if kind == detection.kind:
        return dict(detection.mapping)
    return map_headers(list(detection.headers), kind, detection.preset)


__all__ = [
    "delete_import",
    "detect_file",
    "earlier_import",
    "erase_import",
    "erase_imports",
    "import_file",
    "list_imports",
    "rejects_of",
    "suggest_mapping",
]
