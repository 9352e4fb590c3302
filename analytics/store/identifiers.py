"""SQL identifiers built from names that come from outside the code (file headers, table names):
quoted, with any quote inside doubled, so a name can never end the identifier."""
from __future__ import annotations


def quote(name: str) -> str:
    """A SQL identifier; names come from file headers, so quotes inside are doubled."""
    return '"' + str(name).replace('"', '""') + '"'
