"""The canonical export model (docs/data_model.md) as data the importer checks against.

Each table lists its columns with a type; `required` columns must be present in the file and
non-empty in every row; `key` is unique. `checks` are row rules beyond type and presence:
(column blamed, SQL that selects the *bad* rows, reason): a predicate on the typed row `t` (its WHERE), or
a join of `t` with an already-loaded table — `semi join` for a partner that makes the row bad, `anti join`
for one it must have — optionally followed by `where`. They are fixed code, never user text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

TEXT, TIMESTAMP, DATE, NUMBER, INTEGER = "text", "timestamp", "date", "number", "integer"
SQL_TYPES = {TEXT: "varchar", TIMESTAMP: "timestamp", DATE: "date", NUMBER: "double", INTEGER: "integer"}

# A date or time outside these years is a typo or a placeholder (`9999-12-31`, `infinity`), not a CRM
# event: it would move the data's as-of and every window with it, so the row is rejected.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2199
# An anti join, not `not in`: Spark runs `not in (subquery)` as a null-aware anti join that broadcasts the
# whole subquery (every lead id), which at 10M leads did not finish; a join is a sort-merge anti join there.
# Nor `not exists`: DuckDB runs a correlated `exists` through a de-duplication of the outer rows' values first.
# At 10M leads, in the import: the `exists` of an earlier entry 5.4 s against 1.1 s as a semi join (it
# de-duplicates every (lead, time) pair of 24M stage rows); `not exists` for an unknown lead 1.5 against 1.1 s.
KNOWN_LEAD = "anti join leads as l on l.lead_id = t.lead_id where t.lead_id is not null"
CURRENCY_CODE = "{c} is not null and not regexp_full_match(upper({c}), '[A-Z]{{3}}')"


@dataclass(frozen=True)
class Table:
    name: str
    columns: dict[str, str]
    required: tuple[str, ...] = ()
    key: str | None = None
    checks: tuple[tuple[str, str, str], ...] = field(default=())
    depends_on: tuple[str, ...] = ()


TABLES: dict[str, Table] = {t.name: t for t in [
    Table(
        "leads",
        {"lead_id": TEXT, "created_at": TIMESTAMP, "source": TEXT, "campaign_id": TEXT,
         "account_id": TEXT, "industry": TEXT, "company_size": TEXT, "region": TEXT,
         "country": TEXT, "owner_id": TEXT, "sdr_id": TEXT, "score": NUMBER},
        required=("lead_id", "created_at"), key="lead_id",
        checks=(("score", "t.score < $score_min or t.score > $score_max",
                 "score outside the configured range"),),
    ),
    Table(
        "stage_history",
        {"lead_id": TEXT, "stage": TEXT, "entered_at": TIMESTAMP},
        required=("lead_id", "stage", "entered_at"),
        checks=(
            ("lead_id", KNOWN_LEAD, "unknown lead_id (not in leads)"),
            ("stage", "t.stage not in (select stage from stage_config)", "unknown stage"),
            ("entered_at", "semi join leads as l on l.lead_id = t.lead_id and l.created_at > t.entered_at",
             "stage entered before the lead was created"),
        ),
        depends_on=("leads",),
    ),
    Table(
        "touches",
        {"touch_id": TEXT, "lead_id": TEXT, "occurred_at": TIMESTAMP, "channel": TEXT,
         "campaign_id": TEXT, "content_id": TEXT, "touch_type": TEXT},
        required=("touch_id", "lead_id", "occurred_at"), key="touch_id",
        checks=(("lead_id", KNOWN_LEAD, "unknown lead_id (not in leads)"),),
        depends_on=("leads",),
    ),
    Table(
        "campaigns",
        {"campaign_id": TEXT, "name": TEXT, "channel": TEXT, "start_date": DATE,
         "end_date": DATE, "cost": NUMBER, "currency": TEXT},
        required=("campaign_id",), key="campaign_id",
        checks=(("cost", "t.cost < 0", "negative cost"),
                ("end_date", "t.end_date < t.start_date", "end_date before start_date")),
    ),
    Table(
        "opportunities",
        {"opportunity_id": TEXT, "lead_id": TEXT, "account_id": TEXT, "created_at": TIMESTAMP,
         "closed_at": TIMESTAMP, "expected_close_at": TIMESTAMP, "status": TEXT, "amount": NUMBER,
         "currency": TEXT, "product": TEXT, "owner_id": TEXT, "loss_reason": TEXT, "win_reason": TEXT,
         "competitor": TEXT},
        required=("opportunity_id", "created_at"), key="opportunity_id",
        checks=(
            ("lead_id", KNOWN_LEAD, "unknown lead_id (not in leads)"),
            ("status", "t.status is null or lower(t.status) not in ('open', 'won', 'lost')",
             "status must be open, won or lost"),
            ("amount", "t.amount < 0", "negative amount"),
            ("closed_at", "lower(t.status) in ('won', 'lost') and t.closed_at is null",
             "won or lost opportunity without closed_at"),
        ),
        depends_on=("leads",),
    ),
    Table(  # optional: every change of a deal's stage, amount or expected close (docs/data_model.md)
        "opportunity_history",
        {"opportunity_id": TEXT, "changed_at": TIMESTAMP, "stage": TEXT, "amount": NUMBER,
         "expected_close_at": TIMESTAMP, "probability": NUMBER},
        required=("opportunity_id", "changed_at"),
        checks=(
            ("opportunity_id", "anti join opportunities as o on o.opportunity_id = t.opportunity_id "
                               "where t.opportunity_id is not null",
             "unknown opportunity_id (not in opportunities)"),
            ("amount", "t.amount < 0", "negative amount"),
            ("probability", "t.probability < 0 or t.probability > 100", "probability must be 0 to 100"),
        ),
        depends_on=("opportunities",),
    ),
    Table(
        "activities",
        {"activity_id": TEXT, "lead_id": TEXT, "rep_id": TEXT, "occurred_at": TIMESTAMP,
         "activity_type": TEXT},
        required=("activity_id", "lead_id", "occurred_at"), key="activity_id",
        checks=(("lead_id", KNOWN_LEAD, "unknown lead_id (not in leads)"),),
        depends_on=("leads",),
    ),
    Table(
        "feedback",
        {"lead_id": TEXT, "created_at": TIMESTAMP, "verdict": TEXT, "reason": TEXT,
         "rep_id": TEXT, "rating": INTEGER},
        required=("lead_id", "created_at", "verdict"),
        checks=(
            ("lead_id", KNOWN_LEAD, "unknown lead_id (not in leads)"),
            ("verdict", "lower(t.verdict) not in ('accepted', 'rejected')",
             "verdict must be accepted or rejected"),
            ("rating", "t.rating not between 1 and 5", "rating must be 1 to 5"),
        ),
        depends_on=("leads",),
    ),
    Table(
        "reps",
        {"rep_id": TEXT, "name": TEXT, "role": TEXT, "team": TEXT, "region": TEXT,
         "manager_id": TEXT},
        required=("rep_id",), key="rep_id",
    ),
    Table(
        "targets",
        {"period_start": DATE, "period_end": DATE, "metric": TEXT, "target": NUMBER,
         "team": TEXT, "segment": TEXT},
        required=("period_start", "period_end", "metric", "target"),
        checks=(
            ("metric", "t.metric not in ('leads', 'mqls', 'sals', 'sqls', 'opportunities', "
                       "'pipeline_amount', 'won_amount')", "unknown target metric"),
            ("period_end", "t.period_end < t.period_start", "period_end before period_start"),
        ),
    ),
    Table(
        "content",
        {"content_id": TEXT, "title": TEXT, "content_type": TEXT, "funnel_stage": TEXT},
        required=("content_id",), key="content_id",
    ),
    Table(
        "exchange_rates",
        {"currency": TEXT, "valid_from": DATE, "rate": NUMBER},
        required=("currency", "valid_from", "rate"),
        checks=(
            ("currency", CURRENCY_CODE.format(c="t.currency"), "currency must be a three-letter ISO code"),
            ("rate", "t.rate <= 0", "rate must be positive"),
            ("valid_from", "(select count(*) from typed u where upper(u.currency) = upper(t.currency) "
                           "and u.valid_from = t.valid_from and u._line < t._line) > 0",
             "a second rate for the same currency and day"),
        ),
    ),
    Table(
        "score_history",
        {"lead_id": TEXT, "scored_at": TIMESTAMP, "score": NUMBER},
        required=("lead_id", "scored_at", "score"),
        checks=(("lead_id", KNOWN_LEAD, "unknown lead_id (not in leads)"),),
        depends_on=("leads",),
    ),
    Table(  # ad-level or daily spend; a campaign_id not in campaigns is kept: the campaign shows by its id
        "spend",
        {"campaign_id": TEXT, "spend_date": DATE, "cost": NUMBER},
        required=("campaign_id", "cost"),
        checks=(("cost", "t.cost < 0", "negative cost"),),
    ),
]}

REQUIRED_TABLES = ("leads", "stage_history")
# Values normalised to lower case so that "Won" and "won" mean the same.
LOWERCASE = {("opportunities", "status"), ("feedback", "verdict")}
