"""Hand-computed figures on tiny exports (docs/metrics.md), and invariants on the golden example and on
random histories. Every expected number is written out with its arithmetic."""
from __future__ import annotations

import csv
import io
import itertools
import math
from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pytest
from conftest import run_cli, write_export
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from analytics.core.config import load_config
from analytics.core.stats import wilson, with_rate
from analytics.engine import metrics
from analytics.importers.load import import_folder
from analytics.outputs import cli
from analytics.store.db import open_store

MAIN = ["lead", "mql", "sal", "sql", "opportunity", "won"]
DAY = 86400.0


def build(tmp_path, tables: dict[str, str], config: str | None = None, name: str = "export"):
    """Write the export, import it through the CLI in-process; return (folder, db, config path)."""
    folder = write_export(tmp_path / name, tables)
    cfg = None
    if config is not None:
        cfg = tmp_path / f"{name}.toml"
        cfg.write_text(config, encoding="utf-8")
    db = tmp_path / f"{name}.duckdb"
    args = ["import", str(folder), "--db", str(db)] + (["--config", str(cfg)] if cfg else [])
    assert cli.main(args) == 0
    return folder, db, cfg


def report(capsys, db, *args: str) -> list[dict]:
    capsys.readouterr()
    code = cli.main(["report", *args, "--db", str(db)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def stage_rows(store) -> dict[tuple[str, str], tuple]:
    """(lead_id, stage) -> (entered_at, is_recorded, days_in_stage) from the derived lead_stages."""
    rows = store.con.execute("select lead_id, stage, entered_at, is_recorded, days_in_stage "
                             "from lead_stages where stage <> 'lost'").fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def by_stage(rows: list[dict]) -> dict[str, dict]:
    return {r["stage"]: r for r in rows}


def t(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 1, 1, hour) + timedelta(days=day - 1)


# --- skip rule and a lost deal ----------------------------------------------------------------------

SKIP_LEADS = """\
    lead_id,created_at,source,owner_id
    A,2026-01-01 00:00:00,Outbound,R1
    B,2026-01-01 00:00:00,Webinar,R2
    """
SKIP_HISTORY = """\
    lead_id,stage,entered_at
    A,lead,2026-01-01 00:00:00
    A,sal,2026-01-03 00:00:00
    A,sql,2026-01-06 00:00:00
    B,lead,2026-01-01 00:00:00
    B,mql,2026-01-02 00:00:00
    B,sql,2026-01-05 00:00:00
    B,opportunity,2026-01-09 00:00:00
    B,lost,2026-01-23 00:00:00
    """


@pytest.fixture
def skip_store(tmp_path, make_export, import_store):
    return import_store(make_export(tmp_path, {"leads": SKIP_LEADS, "stage_history": SKIP_HISTORY}))


def test_skip_rule_entry_times(skip_store):
    s = stage_rows(skip_store)
    # A skipped mql: it reached mql at its sal entry (01-03); nothing recorded, no time in mql
    assert s[("A", "mql")] == (t(3), False, None)
    # B skipped sal: reached at its sql entry (01-05)
    assert s[("B", "sal")] == (t(5), False, None)
    # B lost: it reached opportunity but not won
    assert ("B", "opportunity") in s and ("B", "won") not in s
    # A reached sql, never opportunity
    assert ("A", "sql") in s and ("A", "opportunity") not in s


def test_skip_rule_days_in_stage(skip_store):
    s = stage_rows(skip_store)
    assert s[("A", "lead")][2] == pytest.approx(2.0)   # 01-01 -> mql (skipped, at sal 01-03)
    assert s[("A", "sal")][2] == pytest.approx(3.0)    # 01-03 -> sql 01-06
    assert s[("A", "sql")][2] is None                  # no later stage
    assert s[("B", "lead")][2] == pytest.approx(1.0)   # 01-01 -> mql 01-02
    assert s[("B", "mql")][2] == pytest.approx(3.0)    # 01-02 -> sal (skipped, at sql 01-05)
    assert s[("B", "sql")][2] == pytest.approx(4.0)    # 01-05 -> opportunity 01-09
    assert s[("B", "opportunity")][2] == pytest.approx(14.0)  # 01-09 -> lost 01-23


def test_skip_rule_conversion_and_funnel(skip_store):
    def conv(a, b, by=None):
        f = metrics.conversion(skip_store, a, b, by=by)
        return list(zip(f[by or "segment"], f["cohort"], f["converted"], strict=True))

    assert conv("mql", "sql") == [("all", 2, 2)]             # A (by skip) and B both reached sql
    assert conv("mql", "sal", by="source") == [("Outbound", 1, 1), ("Webinar", 1, 1)]
    assert conv("sql", "opportunity") == [("all", 2, 1)]     # B only: 1 / 2
    assert conv("opportunity", "won") == [("all", 1, 0)]     # B lost: 0 / 1
    assert conv("lead", "won") == [("all", 2, 0)]
    funnel = {r["stage"]: r["leads"] for r in metrics.funnel(skip_store).to_dicts()}
    # lead 2, mql 2 (A by skip), sal 2 (B by skip), sql 2, opportunity 1 (B, lost), won 0
    assert {s: funnel.get(s, 0) for s in MAIN} == {"lead": 2, "mql": 2, "sal": 2, "sql": 2,
                                                   "opportunity": 1, "won": 0}


def test_skip_rule_velocity(skip_store):
    v = {r["stage"]: r for r in metrics.velocity(skip_store).to_dicts()}
    # lead: A 2, B 1 -> n 2, median 1.5, p25 1 + 0.25 = 1.25, p75 1.75, mean 1.5
    assert (v["lead"]["n"], v["lead"]["median_days"], v["lead"]["p25_days"], v["lead"]["p75_days"],
            v["lead"]["mean_days"]) == (2, pytest.approx(1.5), pytest.approx(1.25), pytest.approx(1.75),
                                        pytest.approx(1.5))
    # mql: only B (A skipped it) = 3; sal: only A (B skipped it) = 3; sql: only B = 4 (A has no later stage)
    assert (v["mql"]["n"], v["mql"]["mean_days"]) == (1, pytest.approx(3.0))
    assert (v["sal"]["n"], v["sal"]["mean_days"]) == (1, pytest.approx(3.0))
    assert (v["sql"]["n"], v["sql"]["mean_days"]) == (1, pytest.approx(4.0))
    # opportunity: B's time ends at lost: 01-09 -> 01-23 = 14
    assert (v["opportunity"]["n"], v["opportunity"]["median_days"]) == (1, pytest.approx(14.0))
    assert "won" not in v


# --- a recycled lead that comes back, and the conversion window -----------------------------------

RECYCLE_LEADS = """\
    lead_id,created_at,source,owner_id
    C,2026-01-01 00:00:00,Webinar,R1
    D,2026-01-01 00:00:00,Webinar,R1
    """
RECYCLE_HISTORY = """\
    lead_id,stage,entered_at
    C,lead,2026-01-01 00:00:00
    C,mql,2026-01-02 00:00:00
    C,recycled,2026-01-04 00:00:00
    C,mql,2026-01-20 00:00:00
    C,sal,2026-01-22 00:00:00
    C,sql,2026-01-25 00:00:00
    D,lead,2026-01-01 00:00:00
    D,mql,2026-01-10 00:00:00
    D,sal,2026-01-13 00:00:00
    """


@pytest.fixture
def recycle_db(tmp_path):
    return build(tmp_path, {"leads": RECYCLE_LEADS, "stage_history": RECYCLE_HISTORY})[1]


def test_recycled_lead_uses_first_mql(recycle_db, capsys):
    store = open_store(recycle_db)
    try:
        s = stage_rows(store)
    finally:
        store.close()
    # first mql entry 01-02; time in mql = 01-02 -> sal 01-22 = 20 days (the recycling does not split it)
    assert s[("C", "mql")] == (t(2), True, pytest.approx(20.0))
    v = by_stage(report(capsys, recycle_db, "velocity"))
    # mql: C 20, D 3 (01-10 -> 01-13): median 11.5, mean 11.5, p25 3 + 0.25 * 17 = 7.25
    assert v["mql"]["n"] == "2"
    assert float(v["mql"]["median_days"]) == pytest.approx(11.5)
    assert float(v["mql"]["p25_days"]) == pytest.approx(7.25)


def test_recycled_lead_cohort_is_its_first_mql(recycle_db, capsys):
    # cohort by mql entry date: C's first mql (01-02) is in 01-01..01-05; its return (01-20) is not a new entry
    rows = report(capsys, recycle_db, "conversion", "--from-stage", "mql", "--to-stage", "sal",
                  "--from", "2026-01-01", "--to", "2026-01-05")
    assert [(r["segment"], r["cohort"], r["converted"]) for r in rows] == [("all", "1", "1")]
    rows = report(capsys, recycle_db, "conversion", "--from-stage", "mql", "--to-stage", "sal",
                  "--from", "2026-01-15", "--to", "2026-01-31")
    assert [(r["cohort"], r["converted"], r["rate"]) for r in rows] == [("0", "0", "")]


@pytest.mark.parametrize(("window", "converted"), [
    (None, 2),  # no window: C and D both reached sal
    (7, 1),     # C took 20 days (01-02 -> 01-22) > 7, D 3 days (01-10 -> 01-13)
    (19, 1),    # 20 > 19
    (20, 2),    # within 20 days counts
])
def test_conversion_window(recycle_db, capsys, window, converted):
    extra = ["--window", str(window)] if window is not None else []
    rows = report(capsys, recycle_db, "conversion", "--from-stage", "mql", "--to-stage", "sal", *extra)
    assert [(r["cohort"], int(r["converted"])) for r in rows] == [("2", converted)]
    assert float(rows[0]["rate"]) == pytest.approx(converted / 2)


def test_window_days_in_metrics(recycle_db):
    store = open_store(recycle_db)
    try:
        f = metrics.conversion(store, "mql", "sql", window_days=30)
    finally:
        store.close()
    # mql -> sql: C 01-02 -> 01-25 = 23 days <= 30; D never reached sql: 1 / 2
    assert (f["cohort"][0], f["converted"][0]) == (2, 1)


# A lead recorded lead -> sal (mql skipped) -> recycled -> mql months later (docs/metrics.md "Velocity").
SKIPPED_RETURN_LEADS = """\
    lead_id,created_at
    K,2026-01-01 00:00:00
    L,2026-01-01 00:00:00
    """
SKIPPED_RETURN_HISTORY = """\
    lead_id,stage,entered_at
    K,lead,2026-01-01 00:00:00
    K,sal,2026-01-07 00:00:00
    K,recycled,2026-01-20 00:00:00
    K,mql,2026-04-25 00:00:00
    K,sal,2026-05-01 00:00:00
    L,lead,2026-01-01 00:00:00
    L,mql,2026-01-03 00:00:00
    L,sal,2026-01-04 12:00:00
    """


def test_time_in_stage_ends_at_the_earliest_later_stage(tmp_path, capsys):
    db = build(tmp_path, {"leads": SKIPPED_RETURN_LEADS, "stage_history": SKIPPED_RETURN_HISTORY})[1]
    store = open_store(db)
    try:
        s = stage_rows(store)
    finally:
        store.close()
    # K: time in lead ends at sal (01-01 -> 01-07 = 6 days), not at the later mql (04-25, 114 days)
    assert s[("K", "lead")] == (t(1), True, pytest.approx(6.0))
    # K's mql is first recorded after sal (a re-entry after recycling): no time in stage, never negative
    assert s[("K", "mql")][1:] == (True, None)
    v = by_stage(report(capsys, db, "velocity"))
    # lead: K 6, L 2 (01-01 -> 01-03): median 4, mean 4; mql: only L, 1.5 days (01-03 -> 01-04 12:00)
    assert (v["lead"]["n"], float(v["lead"]["median_days"])) == ("2", pytest.approx(4.0))
    assert float(v["lead"]["mean_days"]) == pytest.approx(4.0)
    assert (v["mql"]["n"], float(v["mql"]["median_days"])) == ("1", pytest.approx(1.5))


# --- as of ---------------------------------------------------------------------------------------

ASOF_LEADS = """\
    lead_id,created_at,source,owner_id
    E,2026-01-01 00:00:00,Webinar,R1
    F,2026-01-01 00:00:00,Webinar,R2
    G,2026-01-01 00:00:00,Outbound,R1
    H,2026-01-12 00:00:00,Outbound,R2
    """
ASOF_HISTORY = """\
    lead_id,stage,entered_at
    E,lead,2026-01-01 00:00:00
    E,mql,2026-01-05 00:00:00
    E,sql,2026-01-15 00:00:00
    F,lead,2026-01-01 00:00:00
    F,mql,2026-01-12 00:00:00
    G,lead,2026-01-01 00:00:00
    H,lead,2026-01-12 00:00:00
    """
ASOF_CONFIG = "[stall]\nlead = 3\nmql = 3\n"


@pytest.fixture
def asof_db(tmp_path):
    return build(tmp_path, {"leads": ASOF_LEADS, "stage_history": ASOF_HISTORY}, config=ASOF_CONFIG)[1]


def test_default_as_of_is_the_latest_event(asof_db):
    store = open_store(asof_db)
    try:
        assert store.default_as_of == t(15)  # E's sql entry
    finally:
        store.close()


@pytest.mark.parametrize("as_of", ["9999-12-31", "1899-12-31T23:00:00", "2200-01-01T00:30:00-01:00"])
def test_as_of_outside_the_imported_years_is_refused_with_a_message(asof_db, capsys, as_of):
    """The years the import accepts bound --as-of too: the forecast's periods would run past year 9999."""
    with pytest.raises(SystemExit) as stopped:
        cli.main(["report", "forecast", "--as-of", as_of, "--db", str(asof_db)])
    assert stopped.value.code == 2
    assert "outside the years 1900–2199" in capsys.readouterr().err


def test_as_of_excludes_later_entries_from_conversion(asof_db, capsys):
    # as of 01-10: mql cohort = E (01-05); F's mql (01-12) is later. E's sql (01-15) is later too: 0 / 1
    rows = report(capsys, asof_db, "conversion", "--as-of", "2026-01-10T00:00:00")
    assert [(r["cohort"], r["converted"], float(r["rate"])) for r in rows] == [("1", "0", 0.0)]
    # without --as-of (01-15): cohort E, F; E converted: 1 / 2
    rows = report(capsys, asof_db, "conversion")
    assert [(r["cohort"], r["converted"]) for r in rows] == [("2", "1")]
    # lead -> mql as of 01-10: cohort E, F, G (H was created 01-12); converted E: 1 / 3
    rows = report(capsys, asof_db, "conversion", "--from-stage", "lead", "--to-stage", "mql",
                  "--as-of", "2026-01-10")
    assert [(r["cohort"], r["converted"]) for r in rows] == [("3", "1")]


def test_as_of_velocity_counts_only_finished_stays(asof_db, capsys):
    # as of 01-10 only E's lead stay (01-01 -> 01-05 = 4) had ended; F's ended 01-12, E's mql 01-15
    rows = report(capsys, asof_db, "velocity", "--as-of", "2026-01-10 00:00:00")
    assert [(r["stage"], r["n"], float(r["median_days"])) for r in rows] == [("lead", "1", 4.0)]
    # as of 01-15: lead E 4, F 11 (01-01 -> 01-12); mql E 10 (01-05 -> sal by skip at 01-15)
    v = by_stage(report(capsys, asof_db, "velocity"))
    assert (v["lead"]["n"], float(v["lead"]["mean_days"])) == ("2", 7.5)
    assert (v["mql"]["n"], float(v["mql"]["mean_days"])) == ("1", 10.0)


def test_as_of_stalled_days_are_counted_from_as_of(asof_db, capsys):
    rows = report(capsys, asof_db, "stalled", "--as-of", "2026-01-10T00:00:00")
    got = {r["lead_id"]: (r["stage"], r["entered_at"], float(r["days_in_stage"]), float(r["threshold_days"]))
           for r in rows}
    # thresholds configured: lead 3, mql 3. As of 01-10: E in mql since 01-05 = 5 days;
    # F and G in lead since 01-01 = 9 days (F's mql of 01-12 is after as of); H did not exist yet
    assert got == {
        "E": ("mql", "2026-01-05 00:00:00", 5.0, 3.0),
        "F": ("lead", "2026-01-01 00:00:00", 9.0, 3.0),
        "G": ("lead", "2026-01-01 00:00:00", 9.0, 3.0),
    }
    # ordered by days over the threshold, most first, then lead_id
    assert [r["lead_id"] for r in rows] == ["F", "G", "E"]


def test_as_of_with_an_offset_does_not_depend_on_the_machine_time_zone(tmp_path):
    folder, _, cfg = build(tmp_path, {"leads": ASOF_LEADS, "stage_history": ASOF_HISTORY}, config=ASOF_CONFIG)
    # 2026-01-10 02:00 at +02:00 is 2026-01-10 00:00 UTC: the same figures as the naive as-of above
    p = run_cli("report", "stalled", "--data", folder, "--config", cfg, "--as-of", "2026-01-10T02:00:00+02:00",
                env={"TZ": "America/New_York"})
    assert p.returncode == 0, p.stderr
    got = {r["lead_id"]: float(r["days_in_stage"]) for r in csv.DictReader(io.StringIO(p.stdout))}
    assert got == {"E": 5.0, "F": 9.0, "G": 9.0}


# --- stalled: configured threshold vs the default 90th percentile ------------------------------------

STALL_LEADS = """\
    lead_id,created_at,owner_id
    P1,2026-01-01 00:00:00,R1
    P2,2026-01-01 00:00:00,R1
    P3,2026-01-01 00:00:00,R1
    P4,2026-01-01 00:00:00,R1
    Q,2026-02-01 00:00:00,R2
    R,2026-02-01 00:00:00,R2
    """
STALL_HISTORY = """\
    lead_id,stage,entered_at
    P1,lead,2026-01-01 00:00:00
    P1,sql,2026-01-02 00:00:00
    P1,opportunity,2026-01-04 00:00:00
    P1,won,2026-01-05 00:00:00
    P2,lead,2026-01-01 00:00:00
    P2,sql,2026-01-02 00:00:00
    P2,opportunity,2026-01-06 00:00:00
    P2,won,2026-01-07 00:00:00
    P3,lead,2026-01-01 00:00:00
    P3,sql,2026-01-02 00:00:00
    P3,opportunity,2026-01-08 00:00:00
    P3,won,2026-01-09 00:00:00
    P4,lead,2026-01-01 00:00:00
    P4,sql,2026-01-02 00:00:00
    P4,opportunity,2026-01-10 00:00:00
    P4,won,2026-01-11 00:00:00
    Q,lead,2026-02-01 00:00:00
    Q,sql,2026-02-20 00:00:00
    R,lead,2026-02-01 00:00:00
    R,sql,2026-02-17 00:00:00
    """
STALL_AS_OF = "2026-03-01T00:00:00"


def _stalled(rows):
    return {r["lead_id"]: (r["stage"], float(r["days_in_stage"]), float(r["threshold_days"]),
                           r["owner_id"]) for r in rows}


def test_stalled_default_threshold_is_the_90th_percentile(tmp_path, capsys):
    _, db, _ = build(tmp_path, {"leads": STALL_LEADS, "stage_history": STALL_HISTORY})
    rows = report(capsys, db, "stalled", "--as-of", STALL_AS_OF)
    # days in sql of the leads that left it: P1..P4 = 2, 4, 6, 8; p90 (continuous) at position
    # 0.9 * 3 = 2.7: 6 + 0.7 * (8 - 6) = 7.4. As of 03-01: Q in sql since 02-20 = 9 days > 7.4,
    # R since 02-17 = 12 days > 7.4. P1..P4 are won: never stalled.
    assert _stalled(rows) == {"R": ("sql", 12.0, pytest.approx(7.4), "R2"),
                              "Q": ("sql", 9.0, pytest.approx(7.4), "R2")}


def test_stalled_configured_threshold(tmp_path, capsys):
    folder, db, cfg = build(tmp_path, {"leads": STALL_LEADS, "stage_history": STALL_HISTORY},
                            config="[stall]\nsql = 10\n")
    rows = report(capsys, db, "stalled", "--as-of", STALL_AS_OF)
    # configured 10 days: R (12) is stalled, Q (9) is not
    assert _stalled(rows) == {"R": ("sql", 12.0, 10.0, "R2")}
    # the same through `report --data DIR --config FILE` in a subprocess
    p = run_cli("report", "stalled", "--data", folder, "--config", cfg, "--as-of", STALL_AS_OF)
    assert p.returncode == 0, p.stderr
    assert _stalled(csv.DictReader(io.StringIO(p.stdout))) == {"R": ("sql", 12.0, 10.0, "R2")}


# --- empty input -------------------------------------------------------------------------------------

def test_empty_input_imports_and_reports_print_headers_only(tmp_path, capsys):
    _, db, _ = build(tmp_path, {"leads": "lead_id,created_at,source,owner_id\n",
                                "stage_history": "lead_id,stage,entered_at\n"})
    for args, header in [
        (["velocity"], "stage,n,median_days,p25_days,p75_days,mean_days"),
        (["velocity", "--by", "source"], "source,stage,n,median_days,p25_days,p75_days,mean_days"),
        (["stalled"], "lead_id,stage,entered_at,days_in_stage,threshold_days,owner_id"),
        (["conversion", "--by", "source"], "source,cohort,converted,rate,ci_low,ci_high"),
    ]:
        capsys.readouterr()
        assert cli.main(["report", *args, "--db", str(db)]) == 0
        out, err = capsys.readouterr()
        assert out.splitlines() == [header], args
        assert "Traceback" not in err
    # without --by the one 'all' row stays, with an empty cohort and no rate
    capsys.readouterr()
    assert cli.main(["report", "conversion", "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["all,0,0,,,"]
    for name in ("funnel", "flow", "cycle"):
        assert cli.main(["report", name, "--db", str(db)]) == 0


def test_empty_input_through_the_cli(tmp_path):
    folder = write_export(tmp_path / "empty", {"leads": "lead_id,created_at\n",
                                               "stage_history": "lead_id,stage,entered_at\n"})
    p = run_cli("report", "velocity", "--data", folder)
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    assert p.stdout.splitlines() == ["stage,n,median_days,p25_days,p75_days,mean_days"]


# --- the --by allow-list -----------------------------------------------------------------------------

@pytest.mark.parametrize("by", ["source; drop table leads", "nonexistent", 'source" --', "Source"])
def test_by_outside_the_allow_list_is_a_clear_error(tmp_path, capsys, by):
    _, db, _ = build(tmp_path, {"leads": SKIP_LEADS, "stage_history": SKIP_HISTORY})
    capsys.readouterr()
    code = cli.main(["report", "conversion", "--by", by, "--db", str(db)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    # one line naming the rejected value and the columns that are allowed
    assert err.startswith("error: --by") and repr(by) in err and "source" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    # the database is intact
    store = open_store(db)
    try:
        assert store.con.execute("select count(*) from leads").fetchall() == [(2,)]
    finally:
        store.close()


def test_by_injection_through_the_cli(tmp_path):
    folder = write_export(tmp_path / "x", {"leads": SKIP_LEADS, "stage_history": SKIP_HISTORY})
    p = run_cli("report", "velocity", "--data", folder, "--by", "source; drop table leads")
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    assert "error: --by 'source; drop table leads'" in p.stderr


# --- invariants: golden ------------------------------------------------------------------------------

def _check_invariants(store, by: str | None = None, pairs=None):
    cfg = store.cfg
    # funnel counts never rise down the stages
    funnel = metrics.funnel(store, by=by)
    segment = by or "segment"
    for _, group in funnel.group_by(segment):
        leads = dict(zip(group["stage"], group["leads"], strict=True))
        counts = [leads.get(s, 0) for s in cfg.main_stages]
        assert counts == sorted(counts, reverse=True), counts
    # conversion: converted <= cohort, Wilson interval around the rate, for every pair of stages
    for a, b in pairs or itertools.combinations(cfg.main_stages, 2):
        for r in metrics.conversion(store, a, b, by=by).to_dicts():
            assert 0 <= r["converted"] <= r["cohort"]
            if r["cohort"]:
                assert r["ci_low"] - 1e-12 <= r["rate"] <= r["ci_high"] + 1e-12
                assert 0.0 <= r["ci_low"] and r["ci_high"] <= 1.0
            else:
                assert r["rate"] is None
    # one row per lead per stage; time in stage never negative
    dupes = store.con.execute("select lead_id, stage, count(*) from lead_stages group by all "
                              "having count(*) > 1").fetchall()
    assert dupes == []
    negative = store.con.execute("select * from lead_stages where days_in_stage < 0").fetchall()
    assert negative == []


@pytest.mark.parametrize("by", [None, "source", "industry"])
def test_invariants_on_golden(golden_store, by):
    _check_invariants(golden_store, by)


def test_golden_funnel_by_hand(golden_store):
    # lead 10; mql 9 (all but L07); sal 7 (L01 L02 L05 L06 L09 recorded, L04 L10 by skip);
    # sql 6 (L01 L04 L05 L06 L09 L10); opportunity 5 (L01 L04 L06 L09 L10); won 3 (L01 L06 L10)
    funnel = {r["stage"]: r["leads"] for r in metrics.funnel(golden_store).to_dicts()}
    assert funnel == {"lead": 10, "mql": 9, "sal": 7, "sql": 6, "opportunity": 5, "won": 3}


# --- invariants: random ordered histories ------------------------------------------------------------

@st.composite
def histories(draw):
    """A few leads, each with an ordered history: a rising subset of the main stages, maybe a recycle
    and return to mql, and maybe a close by lost or an exit."""
    leads = []
    for i in range(draw(st.integers(1, 7))):
        created = datetime(2026, 1, 1) + timedelta(hours=draw(st.integers(0, 24 * 30)))
        stages = [s for s in MAIN if draw(st.booleans())]
        if stages and stages[-1] == "won" and draw(st.booleans()):
            stages[-1] = "lost"  # lost instead of won: reached opportunity (maybe by skip), not won
        elif stages and "won" not in stages and draw(st.booleans()):
            stages.append(draw(st.sampled_from(["disqualified", "recycled"])))
        if "mql" in stages and draw(st.integers(0, 3)) == 0:
            k = stages.index("mql") + 1
            stages[k:k] = ["recycled", "mql"]  # recycled, then back as mql
        when, events = created, []
        for stage in stages:
            when += timedelta(hours=draw(st.integers(0, 24 * 20)))
            events.append((stage, when))
        leads.append((f"L{i}", created, draw(st.sampled_from(["Web", "Ads", ""])), events))
    return leads


def _export(leads) -> dict[str, str]:
    lead_csv = "lead_id,created_at,source\n" + "".join(f"{i},{c:%Y-%m-%d %H:%M:%S},{s}\n" for i, c, s, _ in leads)
    hist = "lead_id,stage,entered_at\n" + "".join(
        f"{i},{stage},{w:%Y-%m-%d %H:%M:%S}\n" for i, _, _, ev in leads for stage, w in ev)
    return {"leads": lead_csv, "stage_history": hist}


def _model(events):
    """docs/metrics.md by hand: the entry time of each main stage reached (skip rule), and days in stage."""
    first = {}
    for stage, when in events:
        first.setdefault(stage, when)
    order = {s: i for i, s in enumerate(MAIN)}
    recorded = sorted((order[s], w) for s, w in first.items() if s in order)
    entry = {}
    for s in MAIN:
        later = [w for o, w in recorded if o >= order[s]]
        if later:
            entry[s] = later[0]
        elif "lost" in first and order[s] <= order["opportunity"]:
            entry[s] = first["lost"]
    days = {}
    for s in entry:
        if s not in first:
            continue  # skipped: no time in stage
        nxt = MAIN[order[s] + 1] if order[s] + 1 < len(MAIN) else None
        end = entry.get(nxt) if nxt else None
        if end is None and s == "opportunity" and "lost" in first:
            end = first["lost"]
        if end is not None:
            days[s] = (end - entry[s]).total_seconds() / DAY
    return entry, days


@settings(max_examples=20, deadline=None)
@given(leads=histories())
def test_invariants_on_random_histories(tmp_path_factory, leads):
    tmp = tmp_path_factory.mktemp("random")
    folder = write_export(tmp / "export", _export(leads))
    import_folder(folder, tmp / "db.duckdb", load_config(), say=lambda m: None)
    store = open_store(tmp / "db.duckdb")
    try:
        assert store.con.execute("select count(*) from rejects").fetchall() == [(0,)]
        pairs = [("lead", "mql"), ("mql", "sql"), ("sal", "won"), ("lead", "opportunity")]
        _check_invariants(store, pairs=pairs)
        _check_invariants(store, by="source", pairs=[("lead", "won")])
        model = {lead_id: _model(events) for lead_id, _, _, events in leads}
        # reached stages and entry times match the rule
        got = stage_rows(store)
        want = {(i, s): w for i, (entry, _) in model.items() for s, w in entry.items()}
        assert {k: v[0] for k, v in got.items()} == want
        # days in stage and velocity match the rule
        assert {k: v[2] for k, v in got.items() if v[2] is not None} == pytest.approx(
            {(i, s): d for i, (_, days) in model.items() for s, d in days.items()})
        velocity = {r["stage"]: r for r in metrics.velocity(store).to_dicts()}
        for s in MAIN:
            values = [days[s] for _, days in model.values() if s in days]
            if not values:
                assert s not in velocity
                continue
            row = velocity[s]
            assert row["n"] == len(values)
            assert row["mean_days"] == pytest.approx(float(np.mean(values)))
            assert row["median_days"] == pytest.approx(float(np.quantile(values, 0.5)))
            assert row["p25_days"] == pytest.approx(float(np.quantile(values, 0.25)))
            assert row["p75_days"] == pytest.approx(float(np.quantile(values, 0.75)))
        # conversion S -> T: cohort = leads that reached S, converted = those that also reached T
        for a, b in pairs:
            f = metrics.conversion(store, a, b)
            cohort = sum(a in entry for entry, _ in model.values())
            converted = sum(a in entry and b in entry for entry, _ in model.values())
            assert (f["cohort"][0], f["converted"][0]) == (cohort, converted)
    finally:
        store.close()


# --- Wilson -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("k", "n"), [(0, 1), (1, 1), (3, 10), (6, 9), (0, 30), (30, 30), (17, 400), (1, 2)])
def test_wilson_matches_scipy(k, n):
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    low, high = wilson(k, n)
    assert low == pytest.approx(float(ci.low), abs=1e-12)
    assert high == pytest.approx(float(ci.high), abs=1e-12)


def test_wilson_with_no_trials():
    assert wilson(0, 0) == (None, None)


@given(n=st.integers(0, 5000), data=st.data())
def test_wilson_brackets_the_rate(n, data):
    k = data.draw(st.integers(0, n))
    row = with_rate(pl.DataFrame({"k": [k], "n": [n]}), "k", "n").row(0, named=True)
    if n == 0:
        assert (row["rate"], row["ci_low"], row["ci_high"]) == (None, None, None)
        return
    assert 0.0 <= row["ci_low"] <= row["rate"] <= row["ci_high"] <= 1.0
    assert math.isclose(row["rate"], k / n)
    assert row["is_low_volume"] == (n < 30)
