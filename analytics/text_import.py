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
        "note.olist_declared_revenue": "此处金额不是成交金额：在 Olist 导出（\"{file}\"）中，"
                                       "金额是卖家自报的月收入，{deals} 笔赢单中只有 {declared} 笔填写。"
                                       "赢单金额、管道和 ROI 都是这些自报值之和。",
    },
}
