"""What an import tells about its data (issue 12, items 4 and 8): source labels match the marketing
list ignoring case, spaces, `_` and `-` (and through aliases), one rule the deals mart and the summary
share; rejected rows and reasons counted as the rejects table holds them; undefined figures empty in
CSV and null in JSON; uploads skip what is not data; the default period moves to the latest days with
leads. Tiny fixtures, figures by hand."""
from __future__ import annotations

import io
import json
import math
import zipfile
from datetime import date, datetime

import polars as pl
import pytest
from conftest import run_cli, write_export

from analytics.core.config import ConfigError, load_config
from analytics.core.filters import default_period
from analytics.engine.health import data_confidence, import_table, last_lead_at
from analytics.engine.revenue import sourcing
from analytics.importers.upload import safe_extract
from analytics.outputs.render import render

CONFIG = """\
[sources]
marketing = ["Organic Search", "Paid Search", "Paid Social"]

[sources.aliases]
fb = "Paid Social"
"Cold-Call" = "Outbound"
"""
LEADS = """\
    lead_id,created_at,source
    L1,2026-01-05,organic_search
    L2,2026-01-06,PAID-SEARCH
    L3,2026-01-07,FB
    L4,2026-01-08,cold call
    L5,2026-01-09,
    L6,2026-01-10,Organic  Search
    """
STAGES = "lead_id,stage,entered_at\n" + "".join(f"L{i},lead,2026-01-{4 + i:02d}\n" for i in range(1, 7))
OPPORTUNITIES = """\
    opportunity_id,lead_id,created_at,closed_at,status,amount
    O1,L1,2026-01-10,2026-02-01,won,1000
    O2,L2,2026-01-10,2026-02-02,won,500
    O3,L3,2026-01-11,2026-02-03,won,200
    O4,L4,2026-01-12,2026-02-04,won,300
    O5,L5,2026-01-12,2026-02-05,lost,
    O6,L6,2026-01-12,,open,400
    O7,L9,2026-01-12,2026-01-01,maybe,-5
    O8,L2,2026-01-12,,open,-1
    """


@pytest.fixture
def export(tmp_path):
    (tmp_path / "closed_loop.toml").write_text(CONFIG, encoding="utf-8")
    return write_export(tmp_path / "export", {"leads": LEADS, "stage_history": STAGES,
                                              "opportunities": OPPORTUNITIES})


def test_aliases_are_read_from_the_config(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(CONFIG, encoding="utf-8")
    cfg = load_config(path)
    assert cfg.source_aliases == {"fb": "Paid Social", "Cold-Call": "Outbound", "Other Publicities": "Advertisement"}
    assert cfg.source_params()["alias_labels"] == ["Other Publicities", "fb", "Cold-Call"]  # the default's first
    path.write_text('[sources.aliases]\nfb = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[sources.aliases\] must map labels to labels"):
        load_config(path)


def test_source_labels_match_ignoring_case_spaces_underscores_and_dashes(export, import_store):
    store = import_store(export, config=export.parent / "closed_loop.toml")
    labels = import_table(store, "source_labels")
    assert labels.rows() == [  # one row per label as the leads carry it, most leads first, no source last
        ("FB", 1, "Paid Social", True),            # alias fb -> Paid Social (the alias matched ignoring case)
        ("Organic  Search", 1, "Organic Search", True),
        ("PAID-SEARCH", 1, "Paid Search", True),
        ("cold call", 1, None, False),             # alias Cold-Call -> Outbound, not a marketing label
        ("organic_search", 1, "Organic Search", True),
        (None, 1, None, False),
    ]
    # the deals mart reads the same rule: O1 (L1), O2 (L2), O3 (L3), O6 (L6) marketing; O4 (L4), O5 (L5) sales
    table = {r["category"]: r for r in sourcing(store).to_dicts()}
    assert (table["marketing_sourced"]["won_deals"], table["marketing_sourced"]["won_amount"]) == (3, 1700)
    assert (table["marketing_sourced"]["opportunities"], table["marketing_sourced"]["pipeline_amount"]) == (4, 2100)
    assert (table["sales_sourced"]["won_deals"], table["sales_sourced"]["won_amount"]) == (1, 300)
    assert (table["sales_sourced"]["opportunities"], table["sales_sourced"]["pipeline_amount"]) == (2, 300)
    assert table["marketing_sourced"]["won_share"] == pytest.approx(1700 / 2000)
    assert table["sales_sourced"]["pipeline_share"] == pytest.approx(300 / 2400)


def test_rejects_count_rows_and_reasons_as_the_rejects_table_holds_them(export, import_store):
    store = import_store(export, config=export.parent / "closed_loop.toml")
    # O7: unknown lead L9, status "maybe", negative amount: one row, three reasons; O8: one reason
    reasons = store.con.execute("select line, count(*) from rejects group by all order by 1").fetchall()
    assert reasons == [(8, 3), (9, 1)]
    c = data_confidence(store)
    assert (c["rows_rejected"], c["reject_reasons"]) == (2, 4)
    assert c["rejected_share"] == pytest.approx(2 / (6 + 6 + 6 + 2))  # 18 rows loaded, 2 rejected


def test_the_import_summary_lists_rejects_and_source_labels(export, tmp_path):
    p = run_cli("import", export, "--db", tmp_path / "s.duckdb", "--config", export.parent / "closed_loop.toml")
    assert p.returncode == 0, p.stderr
    out = p.stdout.splitlines()
    assert any(line.startswith("opportunities") and "6 loaded" in line and "2 rejected" in line for line in out)
    assert "2 rows rejected (4 reasons: a row can be refused for several): see the Data page or the rejects table" \
        in out
    sources = out[out.index(next(line for line in out if line.startswith("lead sources"))) + 1:]
    assert [line.split() for line in sources] == [
        ["FB", "1", "leads", "marketing", "(as", "Paid", "Social)"],
        ["Organic", "Search", "1", "leads", "marketing", "(as", "Organic", "Search)"],  # two spaces inside
        ["PAID-SEARCH", "1", "leads", "marketing", "(as", "Paid", "Search)"],
        ["cold", "call", "1", "leads", "not", "marketing"],
        ["organic_search", "1", "leads", "marketing", "(as", "Organic", "Search)"],
        ["(none)", "1", "leads", "not", "marketing"],
    ]


def test_undefined_figures_are_empty_in_csv_and_null_in_json():
    frame = pl.DataFrame({"month": ["2018-10", "2018-11"], "effect": [-math.inf, 0.25],
                          "share": [math.nan, None], "n": [1, 2]})
    assert render(frame, "csv") == "month,effect,share,n\n2018-10,,,1\n2018-11,0.25,,2\n"
    assert json.loads(render(frame, "json")) == [{"month": "2018-10", "effect": None, "share": None, "n": 1},
                                                 {"month": "2018-11", "effect": 0.25, "share": None, "n": 2}]
    assert "inf" not in render(frame, "table") and "NaN" not in render(frame, "table")


def test_sales_velocity_prints_no_inf_or_nan(export, tmp_path):
    db = tmp_path / "v.duckdb"
    assert run_cli("import", export, "--db", db).returncode == 0
    for fmt in ("csv", "json"):
        p = run_cli("report", "sales_velocity", "--db", db, "--format", fmt)
        assert p.returncode == 0, p.stderr
        assert not {"inf", "nan", "NaN", "Infinity"} & set(p.stdout.replace(",", " ").replace(":", " ").split())


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_an_upload_skips_non_data_files_and_subfolders_with_a_note(tmp_path):
    """The Olist folder as shipped: three CSVs, SOURCE.md, and the mangled copies in variants/."""
    said: list[str] = []
    written = safe_extract(_zip({"olist/SOURCE.md": b"# about", "olist/mql.csv": b"a", "olist/closed_deals.csv": b"b",
                                 "olist/variants/mql__x.csv": b"c", "olist/variants/deals__y.csv": b"d",
                                 "olist/.DS_Store": b"", "__MACOSX/olist/._mql.csv": b""}),
                           tmp_path / "out", 10_000_000, said.append)
    assert sorted(p.name for p in written) == ["closed_deals.csv", "mql.csv"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["closed_deals.csv", "mql.csv"]
    assert said == ["skipped olist/SOURCE.md: not a data file (CSV, TXT, Parquet or .xlsx)",
                    "skipped 2 file(s) in olist/variants/: only the files of the export's own folder are imported"]


def test_the_default_period_moves_to_the_latest_days_with_leads():
    # leads up to 2023-03-31, a deal closed 2023-09-01 (the as-of): the 90 days before as-of hold no lead
    assert default_period(date(2023, 9, 1), date(2023, 3, 31), 90) == (date(2023, 1, 1), date(2023, 3, 31))
    # a lead created on the first day of the 90: the period stays
    assert default_period(date(2023, 9, 1), date(2023, 6, 4), 90) == (date(2023, 6, 4), date(2023, 9, 1))
    assert default_period(date(2023, 9, 1), None, 90) == (date(2023, 6, 4), date(2023, 9, 1))


def test_last_lead_is_read_from_the_data(export, import_store):
    store = import_store(export)
    assert last_lead_at(store) == datetime(2026, 1, 10)
    # the closes (02-01 .. 02-05) lie after every other event and no won/lost stage entry records them:
    # they are taken as closed at the last event, O4-O8's creation on 01-12 (docs/metrics.md "As of")
    assert store.default_as_of == datetime(2026, 1, 12)


# --- on the pages: the Olist amount caveat, the moved default period (AppTest) ----------------------

OLIST_MQLS = """\
    mql_id,first_contact_date,landing_page_id,origin
    m1,2018-02-01,lp1,organic_search
    m2,2018-02-03,lp1,unknown
    m3,2018-02-05,lp2,paid_search
    """
OLIST_DEALS = """\
    mql_id,seller_id,sdr_id,sr_id,won_date,business_segment,lead_type,lead_behaviour_profile,has_company,has_gtin,average_stock,business_type,declared_product_catalog_size,declared_monthly_revenue
    m1,s1,d1,r1,2018-06-20 10:00:00,pet,online_medium,cat,,,,reseller,,25000.0
    m2,s2,d1,r1,2018-09-01 09:00:00,pet,online_medium,cat,,,,reseller,,0.0
    """


@pytest.fixture
def olist_db(tmp_path):
    from analytics.importers.load import import_folder

    folder = write_export(tmp_path / "olist", {"olist_marketing_qualified_leads_dataset": OLIST_MQLS,
                                               "olist_closed_deals_dataset": OLIST_DEALS})
    db = tmp_path / "olist.duckdb"
    import_folder(folder, db, load_config(), say=lambda _m: None, fmt="olist")
    return db


def _app(monkeypatch, db, lang: str = "en"):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("CLOSED_LOOP_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    return at.run()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", ["pages/revenue.py", "pages/winloss.py"])
def test_revenue_and_winloss_say_the_olist_amount_is_a_declared_revenue(monkeypatch, olist_db, page, lang):
    from analytics.i18n.messages import MESSAGES

    at = _app(monkeypatch, olist_db, lang)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    # declared on m1 only (m2 declared 0 = not declared): 1 of 2 won deals
    expected = MESSAGES[lang]["note.olist_declared_revenue"].format(file="olist_closed_deals_dataset.csv",
                                                                    declared=1, deals=2)
    assert expected in [w.value for w in at.warning]


def test_the_sidebar_says_when_the_default_period_moved(monkeypatch, olist_db):
    from analytics.i18n.messages import t

    at = _app(monkeypatch, olist_db)
    assert not at.exception, [e.value for e in at.exception]
    # as-of 2018-09-01 (m2 won); the last lead was created 2018-02-05: the 90 days up to it
    assert at.sidebar.date_input(key="filter.period").value == (date(2017, 11, 8), date(2018, 2, 5))
    assert at.sidebar.segmented_control(key="filter.preset").value is None
    moved = t("filter.default_moved", days=90, as_of="01 Sep 2018", start="08 Nov 2017", end="05 Feb 2018")
    assert moved in [c.value for c in at.sidebar.caption]
    tiles = {m.label: m.value for m in at.metric}
    assert tiles[t("kpi.new_leads")] == "3"  # m1, m2, m3: not "0 leads, -100%"
