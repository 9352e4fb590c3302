"""数据驱动归因模型与以客户（公司）为买方的视图（收入贡献页，issue 18）的中文消息。"""

TEXT: dict[str, str] = {
    "revenue.model.markov": "马尔可夫（数据驱动）",
    "revenue.model.shapley": "Shapley（数据驱动）",
    "col.markov": "马尔可夫",
    "col.shapley": "Shapley",
    "col.credit": "归因金额",
    "col.conversions": "归因转化数",
    "col.credit_low": "归因 95% 下限",
    "col.credit_high": "归因 95% 上限",
    "col.sampling_error": "抽样误差",
    "col.is_noise": "与零无显著差别",
    "journey.col.person": "人员",
    "attribution.data_driven": "数据驱动模型：归因有多稳定",
    "attribution.intro": "马尔可夫与 Shapley 模型从每条触达路径（无论是否转化）中学习：马尔可夫按去掉某渠道后会损失多少"
                         "转化来归因，Shapley 按渠道对转化路径的平均贡献来归因。两者都把每笔交易的金额完整分配，"
                         "因此与上面的规则模型一样与入账金额核对一致。",
    "attribution.dd_model": "数据驱动模型",
    "attribution.order": "马尔可夫阶数",
    "attribution.order_help": "1：下一次触达只取决于当前触达；2 或 3：取决于最近两次或三次（需要多得多的路径）。",
    "attribution.grain": "买方",
    "attribution.grain.lead": "线索本人",
    "attribution.grain.account": "客户公司（采购委员会）",
    "attribution.grain_help": "客户公司：计入该交易所属公司每个人在交易创建前的触达，而不只是其本身线索的触达。",
    "attribution.chart_caption": "{model}，{basis}，{start} – {end}：圆点为归因金额，横条为其 95% 自助法区间"
                                 "（对路径重抽样 {draws} 次，固定随机种子）。横条触及零表示该归因可能只是噪声。"
                                 "转化路径 {paths} 条，未转化路径 {nulls} 条；共归因 {total}，即入账金额。",
    "attribution.noise": "与零无显著差别：{values}。其归因可能只是哪些交易碰巧成交的偶然结果，不要据此调整预算。",
    "attribution.few_non_converting": "只有 {nulls} 条路径未转化（少于 {minimum}）：模型无法区分失败与成功的路径，"
                                      "其归因会接近规则模型。请放宽时间段，或导入未购买的线索。",
    "attribution.nothing": "{start} – {end} 在当前筛选下没有可归因的交易。",
    "attribution.method": "马尔可夫：由触达路径加 (start)、(conversion)、(null) 构成的一阶（或更高阶）链；"
                          "渠道的移除效应 = "
                          "1 − 去掉该渠道后的转化概率 ÷ 转化概率；每笔交易的金额按其触达的移除效应比例分配。"
                          "Shapley：一组渠道的价值为恰好触达该组渠道的路径的转化率；每条转化路径的金额按各渠道的 "
                          "Shapley 值分配（路径上不超过 15 个渠道时精确计算，"
                          "超过时抽样 2,000 个顺序并给出抽样误差）。"
                          "已与 ChannelAttribution 和 DP6 程序包核对（docs/metrics.md）。",
    "attribution.accounts": "以客户公司为买方",
    "attribution.accounts_intro": "B2B 交易由多人共同购买：这里计入客户公司的每个人，转化的是公司。",
    "attribution.accounts_engaged": "有触达的客户公司",
    "attribution.accounts_with_opportunity": "有商机",
    "attribution.accounts_won": "赢单",
    "attribution.committee_share": "有两人以上触达的赢单收入占比",
    "attribution.accounts_caption": "{start} – {end}：其任何人有触达的客户公司 → 其中创建了商机的 → 赢单的。"
                                    "{won} 赢单收入中有 {committee} 来自在交易创建前有两人或以上被触达的公司。",
}
