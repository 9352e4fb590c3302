"""SQL identifiers and literals built from text that comes from outside the code (file headers, table
names, configured formats and zones): quoted, with any quote inside doubled, so the text can never end
the identifier or the string. Values are bound as parameters wherever DuckDB accepts one."""
from __future__ import annotations


def quote(name: str) -> str:
    """A SQL identifier; names come from file headers, so quotes inside are doubled."""
    return '"' + str(name).replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal, for the few places that take no parameter (SET, a macro's body)."""
    return "'" + str(text).replace("'", "''") + "'"
