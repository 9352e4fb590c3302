"""Shown-text helpers every page uses: a column relabelled in the session's language, and the sentence
naming the export files a section needs."""
from __future__ import annotations

import polars as pl

from analytics.i18n.messages import has, stage_label, t
from analytics.views.tiles import column_format

# columns whose values are codes, and the message prefix naming each value ("stage" by stage_label)
CODE_COLUMNS = {"category": "revenue.category.", "model": "revenue.model.", "measure": "weekly.measure.",
                "metric": "targets.metric.", "basis": "revenue.basis.", "movement": "pipeline.movement.",
                "period": "pipeline.period.", "stage_from": "stage.", "stage_to": "stage."}
# the statistics behind a verdict: shown under "How this was tested", not in the table a meeting reads
METHOD_COLUMNS = ("p_value", "q_value", "z", "z_score", "statistic", "odds_ratio")
# money columns, shown to whole units
MONEY_PREFIXES = ("cost",)
MONEY_COLUMNS = frozenset({"first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay", "spread",
                           "credited", "booked", "difference", "credit", "amount",  # attribution credits
                           "markov", "shapley", "credit_low", "credit_high", "sampling_error",
                           "amount_from", "amount_to", "won_so_far", "forecast", "low", "high", "naive",
                           "rep_expected", "target", "actual", "error", "naive_error"})  # pipeline, forecast
MONEY_SUFFIXES = ("_amount", "_per_day")


def is_money(column: str) -> bool:
    return column in MONEY_COLUMNS or column.startswith(MONEY_PREFIXES) or column.endswith(MONEY_SUFFIXES)


def code_word(column: str, value):
    """A code value of `column` in words (stage, category, model, measure, metric), else as it is."""
    if not isinstance(value, str):
        return value
    if column == "stage":
        return stage_label(value)
    prefix = CODE_COLUMNS.get(column)
    return t(prefix + value) if prefix and has(prefix + value) else value


def in_words(frame: pl.DataFrame) -> pl.DataFrame:
    """The shown copy of a table: code values in words, money to whole units (never "-0"), other
    fractions to two decimals."""
    changes = []
    for column, dtype in frame.schema.items():
        if dtype == pl.String and (column == "stage" or column in CODE_COLUMNS):
            changes.append(pl.Series(column, [code_word(column, v) for v in frame[column]], dtype=pl.String))
        elif dtype.is_float() and column_format(column, dtype) in ("rate", "percent"):
            changes.append(pl.col(column).round(3).alias(column))  # 81.1%, not 81.13%
        elif dtype.is_float() and (is_money(column) or column_format(column, dtype) == "number"):
            whole = pl.col(column).round(0 if is_money(column) else 2)
            changes.append(pl.when(whole == 0).then(0.0).otherwise(whole).alias(column))  # never "-0"
    return frame.with_columns(changes) if changes else frame


# id column -> (the name column shown just before it, the table its names come from)
NAME_COLUMNS = {"owner_id": ("owner_name", "reps"), "sdr_id": ("sdr_name", "reps"), "rep_id": ("rep_name", "reps"),
                "manager_id": ("manager_name", "reps"), "campaign_id": ("campaign_name", "campaigns"),
                "content_id": ("content_title", "content")}


def named(frame: pl.DataFrame, names: dict[str, dict[str, str]], people: pl.DataFrame | None = None) -> pl.DataFrame:
    """frame with a name column just before each id column it has (owner_name before owner_id,
    campaign_name before campaign_id…; `names` maps a table to id -> name), the id kept beside it; an id
    without a name shows as itself. With `people` (lead_id, lead_name, company_name), a list of leads
    gets each lead's name and company just after its id."""
    for id_column, (name_column, table) in NAME_COLUMNS.items():
        if id_column not in frame.columns or name_column in frame.columns or frame.schema[id_column] != pl.String:
            continue
        if id_column == "campaign_id" and "name" in frame.columns:  # a campaigns table names itself
            continue
        lookup = names.get(table) or {}
        if not lookup:
            continue
        name = pl.col(id_column).replace_strict(lookup, default=pl.col(id_column), return_dtype=pl.String)
        at = frame.columns.index(id_column)
        frame = frame.select(*frame.columns[:at], name.alias(name_column), *frame.columns[at:])
    if (people is not None and people.height and "lead_id" in frame.columns and "lead_name" not in frame.columns
            and frame.schema["lead_id"] == pl.String):
        at = frame.columns.index("lead_id") + 1
        frame = frame.join(people.select("lead_id", "lead_name", "company_name"), on="lead_id", how="left",
                           maintain_order="left").select(*frame.columns[:at], "lead_name", "company_name",
                                                         *frame.columns[at:])
    return frame


def method_columns(frame: pl.DataFrame) -> list[str]:
    """The columns that say how a figure was tested or how sure it is (p, q, z, the interval's
    bounds): shown under "How this was tested", kept in the data and its CSV."""
    bounds = [c for c in frame.columns if c in ("ci_low", "ci_high") or c.endswith(("_ci_low", "_ci_high"))]
    return [c for c in METHOD_COLUMNS if c in frame.columns] + bounds


def relabel(frame: pl.DataFrame, column: str, label) -> pl.DataFrame:
    """frame with `column` replaced by label(value), computed here: t() reads the session's language from
    this thread's context, which Polars' worker threads (map_elements) do not have."""
    return frame.with_columns(pl.Series(column, [label(v) for v in frame[column]], dtype=pl.String))


def needs_text(tables) -> str:
    """The sentence naming the export files a section needs and what each switches on."""
    return t("handoff.needs", files=", ".join(f"**{n}.csv**" for n in tables),
             enables=" ".join(t(f"enables.{n}") for n in tables))


def missing(present: set[str], *tables: str) -> str | None:
    """needs_text for the tables this database lacks; None when it has them all."""
    lacking = [n for n in tables if n not in present]
    return needs_text(lacking) if lacking else None
