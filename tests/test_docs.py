"""docs/cli.md is the column contract: it lists every report of analytics.outputs.reports.REPORTS, and the
columns it gives each one are the columns the report prints on the bundled sample (no ../shared needed).

The format read: under "## Reports", one table row per report, `| `name` | options | BY without --by |
columns |`; the columns are the backticked names of the last cell, where `BY` stands for the breakdown
column and the third cell's first backticked name is what it is without --by; a note in the columns
cell is plain text (no backticks)."""
from __future__ import annotations

import re

import pytest
from conftest import ROOT

from analytics.outputs.reports import REPORTS, Options

CLI_DOC = ROOT / "docs" / "cli.md"
CELL = re.compile(r"(?<!\\)\|")  # a table cell boundary (an escaped \| inside a cell is not one)
NAME = re.compile(r"`([^`]+)`")


def documented_columns(text: str) -> dict[str, list[str]]:
    """report -> its columns as docs/cli.md lists them, BY replaced by its default."""
    section = text.split("\n## Reports", 1)[1].split("\n## ", 1)[0]
    found: dict[str, list[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in CELL.split(line.strip())[1:-1]]
        if len(cells) != 4 or not (report := NAME.fullmatch(cells[0])):
            continue
        columns = NAME.findall(cells[3])
        by_default = NAME.findall(cells[2])
        if columns and columns[0] == "BY":
            columns[:1] = by_default[:1]
        assert report.group(1) not in found, f"{report.group(1)} is listed twice"
        found[report.group(1)] = columns
    return found


def test_the_format_is_read():
    text = """
## Reports

| report | its own options | BY without `--by` | columns, in this order |
|---|---|---|---|
| `sla` | `--measure a\\|b` | `owner_id` | `BY`, `met` (days with --measure b) |
| `flow` | | none | `period_start`, `leads` |

## Next
| `ignored` | | | `a` |
"""
    assert documented_columns(text) == {"sla": ["owner_id", "met"],
                                        "flow": ["period_start", "leads"]}


def test_cli_doc_lists_every_report():
    documented = documented_columns(CLI_DOC.read_text(encoding="utf-8"))
    assert sorted(documented) == sorted(REPORTS)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_documented_columns_are_the_real_ones(sample_store, name):
    documented = documented_columns(CLI_DOC.read_text(encoding="utf-8")).get(name)
    real = REPORTS[name](sample_store, Options()).columns
    assert documented == real, f"docs/cli.md lists {documented} for {name}; it prints {real}"
