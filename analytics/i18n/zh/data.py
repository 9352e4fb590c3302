"""简体中文：数据健康页面，以及导入对数据的说明。
键与 analytics/i18n/en/data.py 相同。"""

TEXT: dict[str, str] = {
    # data page
    "data.title": "数据健康",
    "data.intro": "当前数据库包含什么、导入拒绝了什么，以及更多数据能开启什么。侧栏筛选不适用于此页。",
    "data.as_of": "数据截至",
    "data.version": "数据版本",
    "data.imported_at": "导入时间",
    "data.folder": "导入自",
    "data.loaded": "已加载的表",
    "data.loaded_caption": "导入时读取的每个文件一行：加载的行数与被拒绝的行数。",
    "data.rejects": "被拒绝的行",
    "data.rejects_caption": "导入拒绝的行，附出错的文件、行号和列。请在导出中修正后重新导入。",
    "data.rejects_table": "表",
    "data.no_rejects": "导入时没有被拒绝的行。",
    "data.optional": "可选表",
    "data.all_optional": "所有可选表均已加载。",
    "data.missing_caption": "只有 leads 和 stage_history 是必需的。下面每个缺失的表都能开启仪表板的更多功能。",
    "data.rows_axis": "行数",
    "data.table": "表",
    "data.file": "需添加的文件",
    "data.enables": "开启",
    "all": "全部",

    # data page: confidence figures and import from upload
    "data.confidence": "数据可信度",
    "data.coverage": "线索创建时间",
    "data.coverage_value": "{first} – {last}",
    "data.rejected_share": "被拒绝的行",
    "data.skipped_share": "跳过阶段的线索",
    "data.skipped_help": "到达某阶段却没有该阶段进入记录的线索（跳过规则视为已通过，时间取下一个阶段）。"
                         "跳过很多说明阶段历史不完整。",
    "data.no_touch_share": "没有触达的商机",
    "data.no_touch_help": "创建商机之前其线索没有任何营销触达的商机：在归因中记入“(no touch)”。",
    "data.warehouse": "读取自数据仓库（当前版本）",
    "data.upload_warehouse": "本看板读取数据仓库 {path}：在此上传不会改变看板显示的数据。请用 "
                             "`python -m analytics import DIR --warehouse {path}` 导入新的导出文件；"
                             "所有会话在一秒内看到新的版本。",
    "data.upload": "导入一份导出",
    "data.upload_intro": "将导出文件夹打包为一个 .zip 上传（CSV、Parquet 或 .xlsx 文件；最大 {mb} MB）。"
                         "上传后先检查并预览：只有在您确认后，所有人看到的仪表板才会切换到它；当前数据会被保留，"
                         "一键即可恢复。",
    "data.upload_stopped": "{name} 的导入已停止",
    "data.upload_checked": "已检查：{name} 可在下方预览。",
    "data.upload_waiting": "本页底部有一份上传等待您确认；所有人看到的仍是当前数据。",
    "data.preview": "上线前检查：{name}",
    "data.preview_not_live": "尚未上线：在您将此上传上线之前，所有人看到的仍是当前数据。",
    "data.preview_leads": "线索",
    "data.preview_vs_current": "当前数据有 {n} 条",
    "data.preview_loaded": "已加载的行",
    "data.preview_rejected": "被拒绝的行",
    "data.preview_rejected_value": "{rows}（{share}）",
    "data.preview_dates": "线索创建时间",
    "data.preview_as_of": "数据截至",
    "data.preview_as_of_help": "上传中最新的事件：上线后即为仪表板默认的“数据截至”。",
    "data.preview_files": "每个文件加载与被拒绝的行",
    "data.preview_reasons": "行被拒绝的原因",
    "data.preview_reasons_caption": "{total} 个原因中最常见的 {shown} 个（表、列、原因）。上线后，上方“被拒绝的行”"
                                    "部分会列出每一行。",
    "data.preview_no_rejects": "没有行被拒绝。",
    "data.preview_said": "导入过程说明",
    "data.preview_high_rejects": "{share} 的行被拒绝，超过了无需复核即可上线的 {limit}（closed_loop.toml 中的 "
                                 "[import] confirm_reject_share）。请先阅读上面的原因："
                                 "基于这份数据的数字会缺少这些行。",
    "data.preview_ack": "我已阅读被拒绝的行",
    "data.preview_confirm": "为所有人上线",
    "data.preview_cancel": "放弃此上传",
    "data.preview_cancelled": "已放弃上传：数据保持不变。",
    "data.preview_gone": "此处等待的上传已在另一个标签页中被确认或放弃。",
    "data.toast_live": "现已为所有人上线",
    "data.toast_restored": "之前的数据已重新上线",
    "data.toast_discarded": "上传已丢弃",
    "data.previous": "之前的数据",
    "data.previous_caption": "在当前数据替换它时保留：导入于 {imported}，来自 {source}；{leads} 条线索，创建于 "
                             "{first} – {last}；数据截至 {as_of}；{share} 的行被拒绝。",
    "data.previous_button": "恢复导入于 {imported} 的数据",
    "data.previous_help": "所有人将再次看到之前的数据；当前数据会保留在它的位置，再次恢复即可换回。",
    "data.previous_none": "尚未保留之前的数据：您上线的第一份上传会把当前数据保留在这里。",
    "data.restored": "已恢复导入于 {imported} 的数据。被替换的数据已保留：再次恢复即可换回。",
    "col.rejected_rate": "被拒绝比例",
    "data.upload_file": "导出（.zip）",
    "data.upload_format": "格式",
    "data.upload_button": "导入",
    "data.upload_running": "正在导入 {name}…",
    "data.upload_done": "已导入：加载 {rows} 行。{rejected}。仪表板现在显示这份数据。",
    "data.upload_failed": "导入已停止，当前数据不变：{error}",
    "format.canonical": "标准表",
    "format.salesforce": "Salesforce 导出",
    "format.hubspot": "HubSpot 导出",
    "format.olist": "Olist 营销漏斗",
    "format.maven": "Maven CRM 商机",
    "format.mapped": "其他 CRM（zip 内附映射文件）",
    "format.facebook_ads": "标准表加 Facebook 广告花费导出",

    # what an import tells about its data: rejected rows, lead sources, repairs and caveats
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
}
