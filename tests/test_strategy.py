"""The strategy review (docs/metrics.md "Strategy"): four units placed by hand in the four quadrants of the
growth–share matrix; a handful of deals split by hand into the four growth paths, summing exactly to the
change in bookings; uncertain placements marked; the sample, Maven and Salesforce through the same code."""
from __future__ import annotations

import math

import polars as pl
import pytest
from conftest import DATASETS, imported, quiet, run_cli, shared_dataset, write_export

from analytics.core.config import load_config
from analytics.core.stats import Z95, wilson
from analytics.engine import strategy
from analytics.importers.load import import_folder
from analytics.outputs.reports import REPORTS, Options
from analytics.store.db import open_store
from analytics.store.sql import UnknownColumn

# the last lead, created on 31 December 2026, makes that the data's as-of: 2026 is a whole year
LEADS = "lead_id,created_at\nL0,2024-01-01\nL1,2026-12-31\n"
HISTORY = "lead_id,stage,entered_at\nL0,lead,2024-01-01\nL1,lead,2026-12-31\n"

# unit -> (won deals of 1,000 in 2025, won deals of 1,000 in 2026, head-to-head against Acme in 2026: won, lost)
MATRIX = {
    "Alpha": (10, 40, (18, 2)),   # grows 300%, beats Acme 18 of 20   -> star
    "Bravo": (40, 10, (9, 1)),    # shrinks 75%, beats Acme 9 of 10   -> cash cow
    "Charlie": (10, 40, (2, 18)),  # grows 300%, beats Acme 2 of 20   -> question mark
    "Delta": (40, 10, (1, 9)),    # shrinks 75%, beats Acme 1 of 10   -> dog
}


def matrix_export(folder, extra: list[str] = ()):
    rows = ["opportunity_id,account_id,created_at,closed_at,status,amount,product,competitor"]
    n = 0

    def deal(unit, year, status, competitor=""):
        nonlocal n
        n += 1
        rows.append(f"O{n:04d},A{n:04d},{year}-01-01,{year}-06-01,{status},1000,{unit},{competitor}")

    for unit, (before, now, (won, lost)) in MATRIX.items():
        for _ in range(before):
            deal(unit, 2025, "won")
        for i in range(now):
            deal(unit, 2026, "won", "Acme" if i < won else "")
        for _ in range(lost):
            deal(unit, 2026, "lost", "Acme")
    deal("Alpha", 2026, "lost", "Globex")  # Globex beat Alpha once, Acme twice: Acme is the strongest
    rows.extend(extra)
    return write_export(folder, {"leads": LEADS, "stage_history": HISTORY, "opportunities": "\n".join(rows)})


@pytest.fixture(scope="module")
def matrix_store(tmp_path_factory):
    folder = matrix_export(tmp_path_factory.mktemp("matrix") / "export")
    with imported(folder, folder.parent / "db.duckdb") as store:
        yield store


def test_four_units_in_four_quadrants(matrix_store):
    table = strategy.portfolio(matrix_store, "2026")
    assert table["basis"][0] == "competitor"  # the deals name competitors
    got = {r["unit"]: r for r in table.iter_rows(named=True)}
    assert {u: r["quadrant"] for u, r in got.items()} == {
        "Alpha": "star", "Bravo": "cash_cow", "Charlie": "question_mark", "Delta": "dog"}
    assert {u: r["strategy"] for u, r in got.items()} == {
        "Alpha": "build_hold", "Bravo": "hold_harvest", "Charlie": "build_divest", "Delta": "harvest_divest"}
    assert not any(r["uncertain"] for r in got.values())
    assert table["unit"].to_list() == ["Alpha", "Charlie", "Bravo", "Delta"]  # largest bookings first, then name
    alpha = got["Alpha"]
    assert (alpha["bookings"], alpha["prior_bookings"], alpha["growth"]) == (40_000, 10_000, pytest.approx(3.0))
    # Acme beat Alpha twice, Globex once; against Acme Alpha won 18 of 20: 9 wins for each of Acme's
    assert (alpha["competitor"], alpha["head_to_head"], alpha["head_to_head_won"]) == ("Acme", 20, 18)
    assert alpha["relative_share"] == pytest.approx(9.0)
    assert (alpha["win_rate_ci_low"], alpha["win_rate_ci_high"]) == pytest.approx(wilson(18, 20))
    # growth interval: 40 and 10 equal deals -> se of the log ratio = sqrt(1/40 + 1/10)
    se = math.sqrt(1 / 40 + 1 / 10)
    assert alpha["growth_ci_low"] == pytest.approx(4 * math.exp(-Z95 * se) - 1)
    assert alpha["growth_ci_high"] == pytest.approx(4 * math.exp(Z95 * se) - 1)
    assert got["Bravo"]["growth"] == pytest.approx(-0.75)
    assert got["Delta"]["relative_share"] == pytest.approx(1 / 9)
    # the trail: in 2025 no deal named a competitor and nothing was sold in 2024: no position a year before
    assert table["prior_quadrant"].to_list() == [None] * 4 and table["prior_growth"].to_list() == [None] * 4


def test_bookings_basis_measures_against_the_largest_other_unit(matrix_store):
    table = strategy.portfolio(matrix_store, "2026", basis="bookings")
    got = {r["unit"]: r for r in table.iter_rows(named=True)}
    # Alpha and Charlie tie at 40,000: each is 1.0 of the other; Bravo and Delta 10,000 / 40,000
    assert got["Alpha"]["relative_share"] == pytest.approx(1.0)
    assert got["Bravo"]["relative_share"] == pytest.approx(0.25)
    se = math.sqrt(1 / 10 + 1 / 40)
    assert got["Bravo"]["share_ci_high"] == pytest.approx(0.25 * math.exp(Z95 * se))
    assert got["Alpha"]["uncertain_share"]  # exactly on the line: the interval crosses it
    assert got["Alpha"]["quadrant"] == "star" and got["Alpha"]["uncertain"]
    assert got["Delta"]["quadrant"] == "dog" and not got["Delta"]["uncertain"]


def test_an_interval_across_a_line_is_marked_uncertain(tmp_path):
    # Echo: 1 deal in 2025, 2 in 2026 (+100%, but on three deals); 3 of 5 against Acme
    extra = ["E1,E1,2025-01-01,2025-03-01,won,1000,Echo,",
             "E2,E2,2026-01-01,2026-03-01,won,1000,Echo,Acme",
             "E3,E3,2026-01-01,2026-03-01,won,1000,Echo,Acme",
             "E4,E4,2026-01-01,2026-03-01,won,1000,Echo,Acme",
             "E5,E5,2026-01-01,2026-03-01,lost,1000,Echo,Acme",
             "E6,E6,2026-01-01,2026-03-01,lost,1000,Echo,Acme"]
    folder = matrix_export(tmp_path / "export", extra)
    import_folder(folder, tmp_path / "db.duckdb", load_config(), say=quiet)
    store = open_store(tmp_path / "db.duckdb")
    try:
        echo = strategy.portfolio(store, "2026").filter(pl.col("unit") == "Echo").row(0, named=True)
    finally:
        store.close()
    assert echo["growth"] == pytest.approx(2.0)  # 3,000 against 1,000
    assert echo["uncertain_growth"] and echo["uncertain_share"] and echo["uncertain"]
    assert echo["quadrant"] == "star"  # placed by the point, and marked


# account, unit, closing day, amount; status won unless said. Period 2026 against 2025, new = 12 months.
PATH_DEALS = [
    ("X", "P", "2024-06-01", 100),   # history
    ("U", "P", "2024-12-01", 50),    # history
    ("X", "P", "2025-03-01", 200),   # prior: X bought P 9 months before      -> penetration
    ("Y", "P", "2025-05-01", 300),   # prior: Y new, P sold before             -> market development
    ("Z", "Q", "2025-09-01", 400),   # prior: Z new, Q never sold              -> diversification
    ("X", "P", "2026-02-01", 500),   # X bought P 11 months before             -> penetration
    ("Z", "Q", "2026-03-05", 900),   # Z bought Q 6 months before              -> penetration
    ("Y", "Q", "2026-04-01", 600),   # Y known (P, 11 months), Q new to Y      -> product development
    ("W", "P", "2026-06-01", 700),   # W new, P sold before                    -> market development
    ("U", "P", "2026-01-15", 50),    # U's last win 13.5 months before: new    -> market development
    ("V", "R", "2026-08-01", 800),   # V new, R never sold                     -> diversification
    ("X", "P", "2026-05-01", 999, "lost"),  # lost: no bookings, no path
]
PATHS_BY_HAND = {  # path: (2025, 2026)
    "penetration": (200, 500 + 900),
    "market_development": (300, 700 + 50),
    "product_development": (0, 600),
    "diversification": (400, 800),
}


def paths_export(folder):
    rows = ["opportunity_id,account_id,created_at,closed_at,status,amount,product"]
    for i, (account, unit, day, amount, *status) in enumerate(PATH_DEALS):
        rows.append(f"O{i:02d},{account},{day},{day},{status[0] if status else 'won'},{amount},{unit}")
    return write_export(folder, {"leads": LEADS, "stage_history": HISTORY, "opportunities": "\n".join(rows)})


@pytest.fixture(scope="module")
def paths_store(tmp_path_factory):
    folder = paths_export(tmp_path_factory.mktemp("paths") / "export")
    import_folder(folder, folder.parent / "db.duckdb", load_config(), say=quiet)
    store = open_store(folder.parent / "db.duckdb")
    yield store
    store.close()


def test_deals_split_into_the_four_paths_by_hand(paths_store):
    table = strategy.growth_paths(paths_store, "2026")
    got = {r["path"]: (r["prior_amount"], r["current_amount"], r["change_amount"]) for r in table.iter_rows(named=True)}
    for path, (before, now) in PATHS_BY_HAND.items():
        assert got[path] == (before, now, now - before), path
    assert got["total"] == (900, 3550, 2650)
    assert sum(got[p][2] for p in strategy.PATHS) == got["total"][2]
    assert table["path"].to_list() == [*strategy.PATHS, "total"]


def test_the_deals_behind_each_path(paths_store):
    deals = strategy.path_deals(paths_store, "2026")
    current = deals.filter(pl.col("window") == "current")
    assert current.filter(pl.col("path") == "penetration")["won_amount"].sort().to_list() == [500, 900]
    assert deals.filter(pl.col("path") == "diversification")["market"].sort().to_list() == ["V", "Z"]
    assert deals.height == 9  # won deals of 2025 and 2026


def test_new_months_and_market_are_configurable(tmp_path):
    config = tmp_path / "strategy.toml"
    config.write_text('[strategy]\nnew_months = 18\nmarket = "product"\n', encoding="utf-8")
    folder = paths_export(tmp_path / "export")
    import_folder(folder, tmp_path / "db.duckdb", load_config(config), say=quiet)
    store = open_store(tmp_path / "db.duckdb")
    try:
        table = strategy.growth_paths(store, "2026")
    finally:
        store.close()
    total = table.filter(pl.col("path") == "total").row(0, named=True)
    assert (total["prior_amount"], total["current_amount"]) == (900, 3550)
    # the market is the product itself: a known product is always penetration, a new one diversification
    got = {r["path"]: r["current_amount"] for r in table.iter_rows(named=True)}
    assert (got["penetration"], got["diversification"]) == (2750, 800)


def test_unit_columns_come_from_an_allow_list(matrix_store):
    assert "product" in strategy.unit_columns(matrix_store)
    with pytest.raises(UnknownColumn, match="choose among"):
        strategy.portfolio(matrix_store, "2026", unit=("product; drop table leads",))
    with pytest.raises(strategy.MetricError, match="choose 12m"):
        strategy.portfolio(matrix_store, "last week")


def test_periods_are_whole_windows():
    from datetime import date, datetime
    p = strategy.periods("12m", datetime(2026, 11, 27, 9))
    assert (p.current.start, p.current.end) == (date(2025, 11, 28), date(2026, 11, 27))
    assert (p.prior.start, p.prior.end) == (date(2024, 11, 28), date(2025, 11, 27))
    assert p.trail.end == date(2024, 11, 27)
    p = strategy.periods("6m", datetime(2026, 8, 31))
    assert (p.current.start, p.prior.start) == (date(2026, 3, 1), date(2025, 9, 1))
    p = strategy.periods("2025", datetime(2026, 8, 31))
    assert (p.current.start, p.current.end, p.trail.start) == (date(2025, 1, 1), date(2025, 12, 31), date(2023, 1, 1))
    p = strategy.periods("2026", datetime(2026, 8, 31))  # the year so far against the same days before
    assert (p.current.end, p.prior.start, p.prior.end) == (date(2026, 8, 31), date(2025, 1, 1), date(2025, 8, 31))


# --- the bundled sample, Maven and Salesforce ---------------------------------------------------------

def test_sample_shows_all_four_quadrants(sample_store):
    assert strategy.default_period(sample_store) == "6m"  # 12 months before the last 12 are not in the data
    table = strategy.portfolio(sample_store)
    assert dict(zip(table["unit"], table["quadrant"], strict=True)) == {
        "Enterprise": "question_mark", "Insights": "star", "Core": "cash_cow", "Analytics": "dog"}
    assert table.filter(pl.col("unit") == "Enterprise")["uncertain"].to_list() == [False]


@pytest.mark.parametrize("period", ["6m", "12m", "2026"])
def test_sample_paths_sum_to_the_change(sample_store, period):
    table = strategy.growth_paths(sample_store, period)
    total = table.filter(pl.col("path") == "total").row(0, named=True)
    assert table.filter(pl.col("path") != "total")["change_amount"].sum() == pytest.approx(total["change_amount"])
    bookings = strategy.portfolio(sample_store, period)
    assert bookings["bookings"].sum() == pytest.approx(total["current_amount"])


def test_reports_print_the_contract_columns(sample_store):
    portfolio = REPORTS["portfolio"](sample_store, Options())
    assert portfolio.columns[:6] == ["unit", "bookings", "growth", "relative_share", "quadrant", "uncertain"]
    assert set(portfolio["quadrant"]) <= set(strategy.QUADRANTS)
    paths = REPORTS["growth_paths"](sample_store, Options())
    assert paths["path"].to_list() == [*strategy.PATHS, "total"]


def test_cli_reports_on_a_fixture(tmp_path):
    folder = matrix_export(tmp_path / "export")
    done = run_cli("report", "portfolio", "--data", folder, "--period", "2026", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert '"quadrant":"cash_cow"' in done.stdout.replace(" ", "")
    done = run_cli("report", "growth_paths", "--data", folder, "--period", "2026", "--by", "product")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("path,prior_amount,current_amount,change_amount")


@pytest.mark.parametrize("unit", [None, ("industry",)])
def test_maven_products_and_sectors(tmp_path, unit):
    db = tmp_path / "maven.duckdb"
    import_folder(shared_dataset(DATASETS / "maven_crm_sales_opportunities"), db, load_config(), say=quiet,
                  fmt="maven")
    store = open_store(db)
    try:
        table = strategy.portfolio(store, "6m", unit=unit)
        paths = strategy.growth_paths(store, "6m", unit=unit)
    finally:
        store.close()
    assert table.height == (7 if unit is None else 10)  # seven products, ten sectors
    assert table["basis"][0] == "bookings"  # Maven names no competitor
    assert (table["relative_share"] >= 1).sum() == 1  # only the largest stands above the largest other
    total = paths.filter(pl.col("path") == "total").row(0, named=True)
    assert total["current_amount"] == pytest.approx(table["bookings"].sum())
    assert paths.filter(pl.col("path") != "total")["change_amount"].sum() == pytest.approx(total["change_amount"])


def test_salesforce_demo_org(tmp_path):
    import shutil
    folder = tmp_path / "export"
    shutil.copytree(shared_dataset(DATASETS / "crm_export_formats/salesforce/data_export_demo_org_2018"), folder)
    import_folder(folder, tmp_path / "sf.duckdb", load_config(), say=quiet, fmt="salesforce")
    store = open_store(tmp_path / "sf.duckdb")
    try:
        table = strategy.portfolio(store, "2018")
        paths = strategy.growth_paths(store, "2018")
    finally:
        store.close()
    assert table.height >= 1 and table["bookings"].sum() > 0
    assert set(table["quadrant"].drop_nulls()) <= set(strategy.QUADRANTS)
    total = paths.filter(pl.col("path") == "total").row(0, named=True)
    assert total["current_amount"] == pytest.approx(table["bookings"].sum())


def test_head_to_head_is_the_default_only_when_most_units_have_a_record(golden_store):
    # the golden example: three products booked, one deal naming a competitor -> bookings basis
    table = strategy.portfolio(golden_store, "6m")
    assert table["basis"].unique().to_list() == ["bookings"]
    assert table["quadrant"].null_count() == 0
