"""Strategy: the business units on the growth–share matrix (what to build, hold, harvest or drop, with
the uncertain placements marked) and where this period's growth in bookings came from."""
import polars as pl
import streamlit as st

from analytics.engine import strategy
from analytics.i18n.messages import dimension_label, fmt_date, t
from analytics.ui import calls, lookups, state, url, widgets
from analytics.ui.store import get_store
from analytics.views import labels as labels_views
from analytics.views import strategy as views

state.ensure_frame()

store, cfg = get_store(), get_store().cfg
chosen = state.lead_filters(state.filters())
st.title(t("strategy.title"))
if note := labels_views.missing(lookups.tables_present(), "opportunities"):
    st.info(note, icon=":material/info:")
    st.stop()

pick_period, pick_unit, pick_basis = st.columns([1, 1.4, 1.4])
periods = calls.cached(strategy.period_choices)
period = url.choice(pick_period.selectbox, "period", t("strategy.period"), periods, key="strategy.period",
                    index=periods.index(calls.cached(strategy.default_period)), format_func=views.period_label)
columns = calls.cached(strategy.unit_columns)
unit = tuple(url.choice(pick_unit.multiselect, "unit", t("strategy.unit"), columns, key="strategy.unit", multi=True,
                        default=[c for c in cfg.unit_columns if c in columns], format_func=dimension_label,
                        max_selections=3) or cfg.unit_columns)
auto = calls.cached(strategy.portfolio, period, None, unit, chosen)  # the basis the data suggests
basis = url.choice(pick_basis.segmented_control, "relative", t("strategy.relative"), list(strategy.BASES),
                   key="strategy.relative", default=auto["basis"][0] if auto.height else "bookings",
                   format_func=lambda b: t(f"strategy.relative.{b}"))
table = auto if basis in (None, *auto["basis"][:1]) else calls.cached(strategy.portfolio, period, basis, unit, chosen)
paths = calls.cached(strategy.growth_paths, period, unit, chosen)
windows = strategy.periods(period, store.default_as_of)
span = {"current": f"{fmt_date(windows.current.start)} – {fmt_date(windows.current.end)}",
        "prior": f"{fmt_date(windows.prior.start)} – {fmt_date(windows.prior.end)}"}
st.caption(t("strategy.intro", **span, as_of=state.period_text(windows.current.end, windows.current.end)["as_of"]))
st.caption(t("strategy.filters_note"))
widgets.caveats("money")
first = store.first_lead_at.date() if store.first_lead_at else None
if first and windows.prior.start < first:
    st.warning(t("strategy.short_prior", first=fmt_date(first), start=fmt_date(windows.prior.start)),
               icon=":material/warning:")
if table.is_empty():
    widgets.info("strategy.no_deals", **span)
    st.stop()
label = lookups.unit_label(unit)
named = views.named_units(table, label)

st.subheader(t("strategy.summary_title"))
st.markdown("\n".join(f"- {line}" for line in views.summary(named, cfg.growth_line, cfg.share_line)))
st.markdown(views.paths_sentence(paths))

st.subheader(t("strategy.matrix"))
widgets.chart(views.matrix_chart(named, cfg.growth_line, cfg.share_line),
              t("strategy.matrix_caption", basis=t(f"strategy.relative.{named['basis'][0]}").lower(),
                growth_line=f"{cfg.growth_line:.0%}", share_line=f"{cfg.share_line:g}"),
              key="strategy.matrix")
if named.height > views.LABELLED:
    st.caption(t("strategy.labels_note", n=views.LABELLED))
if missing := views.not_placed(named):
    st.caption(t("strategy.not_placed", units=", ".join(missing)))
st.markdown(f"**{t('strategy.table')}**")
raw_of = dict(zip(named["unit"], table["unit"], strict=True))
unit_row = widgets.pick(named.drop("basis", "period"), f"portfolio_{period}", "strategy.table",
                        shown=views.shown_portfolio(named), percent=("growth", "win_rate"))
with st.expander(t("strategy.how"), icon=":material/functions:"):
    st.caption(t("strategy.how_text"))
    st.table(views.intervals(named).to_arrow())
if unit_row is None:
    st.caption(t("strategy.pick_unit"))
else:
    deals = calls.cached(strategy.path_deals, period, unit, chosen).filter(pl.col("unit") == raw_of[unit_row["unit"]])
    widgets.leads_table(views.deals_in_words(deals, label), "strategy.table",
                        t("strategy.unit_deals", unit=unit_row["unit"]))

st.subheader(t("strategy.paths"))
market = (t("strategy.market.account_id") if cfg.market_column == "account_id"
          else dimension_label(cfg.market_column).lower())
widgets.chart(views.paths_waterfall(paths), t("strategy.paths_caption", **span, market=market, months=cfg.new_months),
              key="strategy.waterfall")
if first and windows.prior.start < strategy.months_back(first, -cfg.new_months):
    st.caption(t("strategy.paths_new_data", date=fmt_date(strategy.months_back(first, -cfg.new_months)),
                 months=cfg.new_months))
row = widgets.pick_breakdown(paths, f"growth_paths_{period}", "strategy.paths_rows", hint="strategy.pick_path",
                             shown=views.shown_paths(paths, market))
if row and row["path"] != "total":
    deals = calls.cached(strategy.path_deals, period, unit, chosen).filter(pl.col("path") == row["path"])
    widgets.leads_table(views.deals_in_words(deals, label).drop("path"), "strategy.paths_rows",
                        t("strategy.path_deals", path=t(f"strategy.path.{row['path']}")))
