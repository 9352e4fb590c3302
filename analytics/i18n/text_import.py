"""Messages of what an import tells about its data: rejected rows and reasons, the lead source labels
and whether each counted as marketing, and the caveats an importer stores (part of the one table)."""
TEXT = {
    "en": {
        "data.rejected_rows": "Rows rejected: {rows}",
        "data.rejected_rows_reasons": "Rows rejected: {rows} ({reasons} reasons: a row can be refused for several, "
                                      "and the rejects table lists each reason)",
        "data.sources": "Lead sources",
        "data.sources_caption": "Every source label the leads carry, with its leads and whether it counts as "
                                "marketing-sourced: it matches a label of [sources] marketing in closed_loop.toml "
                                "ignoring case, spaces, _ and - (directly or through [sources.aliases]). Any other "
                                "source, and no source, is sales-sourced.",
        "col.marketing_label": "Counted as",
        "col.is_marketing": "Marketing-sourced",
        "filter.default_moved": "No lead was created in the {days} days up to the data's as-of ({as_of}), so the "
                                "period starts as the {days} days up to the last lead created: {start} – {end}.",
        "data.repairs": "What the import repaired",
        "data.repairs_caption": "Deals are never dropped for their dates: the rules below (docs/metrics.md) repair "
                                "them, and money in a currency without an exchange rate is never added to another.",
        "note.deals_expected_close": "{n} open deals carry a close date: it is their expected close, not an event, "
                                     "and never moves the data's as-of.",
        "note.deals_future_close": "{n} closed deals have a close date after the export's last recorded event: "
                                   "each is taken as closed at its closing stage change, or at that last event "
                                   "({ids}).",
        "note.deals_closed_before_created": "{n} deals closed before they were created (entered in the CRM after "
                                            "they closed): kept, and taken as created when they closed ({ids}).",
        "note.money_converted": "Amounts converted to {corporate} with the exchange rates: {currencies} deals.",
        "note.money_unconverted": "No exchange rate to {corporate} for {currencies} deals: their amounts stay in "
                                  "their own currency, never added to others; choose the currency in the sidebar. "
                                  "Add exchange_rates.csv (currency, valid_from, rate) to convert them.",
        "note.money_campaign_costs": "Campaign costs in {currencies} have no exchange rate to {corporate}: their "
                                     "ROI is empty unless revenue is shown in that currency.",
        "note.olist_declared_revenue": "Amounts here are not deal values: in the Olist export (\"{file}\") the "
                                       "amount is the seller's declared monthly revenue, declared on {declared} of "
                                       "{deals} won deals. Won amounts, pipeline and ROI add up those declarations.",
    },
    "zh": {
        "data.rejected_rows": "被拒绝的行：{rows}",
        "data.rejected_rows_reasons": ("被拒绝的行：{rows}（{reasons} 条原因：一行可能因多个原因被拒绝，"
                                      "拒绝表逐条列出每个原因）"),
        "data.sources": "线索来源",
        "data.sources_caption": "线索中出现的每个来源标签、其线索数，以及是否算作营销来源：与 closed_loop.toml 中 "
                                "[sources] marketing 的标签匹配（忽略大小写、空格、_ 和 -，可直接匹配或经由 "
                                "[sources.aliases]）。其他来源以及没有来源的线索算作销售来源。",
        "col.marketing_label": "计为",
        "col.is_marketing": "营销来源",
        "filter.default_moved": "数据截至日（{as_of}）之前的 {days} 天内没有新建线索，"
                                "因此默认时段为最后一条线索创建日之前的 {days} 天：{start} – {end}。",
        "data.repairs": "导入时修正的内容",
        "data.repairs_caption": "商机从不因日期问题被丢弃：以下规则（docs/metrics.md）对其修正；"
                                "没有汇率的币种金额从不与其他币种相加。",
        "note.deals_expected_close": "{n} 笔未结商机带有成交日期：那是预计成交日期，不是已发生的事件，"
                                     "不会推动数据截至时间。",
        "note.deals_future_close": "{n} 笔已结商机的成交日期晚于导出中最后记录的事件：每笔按其关闭阶段变更时间计，"
                                   "否则按该最后事件计（{ids}）。",
        "note.deals_closed_before_created": "{n} 笔商机的关闭早于创建（在成交之后才录入 CRM）：保留，"
                                            "并按关闭时间视为创建时间（{ids}）。",
        "note.money_converted": "已按汇率换算为 {corporate} 的金额：{currencies} 笔商机。",
        "note.money_unconverted": "{currencies} 笔商机没有兑换为 {corporate} 的汇率：其金额保留原币种，"
                                  "从不与其他币种相加；请在侧栏选择币种。添加 exchange_rates.csv"
                                  "（currency、valid_from、rate）即可换算。",
        "note.money_campaign_costs": "{currencies} 的活动成本没有兑换为 {corporate} 的汇率："
                                     "除非收入以该币种显示，否则其 ROI 为空。",
        "note.olist_declared_revenue": "此处金额不是成交金额：在 Olist 导出（\"{file}\"）中，"
                                       "金额是卖家自报的月收入，{deals} 笔赢单中只有 {declared} 笔填写。"
                                       "赢单金额、管道和 ROI 都是这些自报值之和。",
    },
}
