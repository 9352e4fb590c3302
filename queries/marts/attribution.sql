-- Purpose: multi-touch attribution (docs/metrics.md "Revenue contribution"): each opportunity's amount
--   shared over its touch sequence (queries/derived/opportunity_touches.sql) by the chosen model;
--   an opportunity with no touches credits "(no touch)", a touch with no value "(none)".
-- Grain: one row per value of {by} (a touch column, or the content's type / funnel stage).
-- Key: by_value.
-- Parameters: $model, $basis ('won': won, closed in the period; 'pipeline': created in the
--   period), $start, $end, $as_of, $lead_filter, $currency (the deals
--   whose amount is in it: money_currency(), queries/macros/money.sql).
with

deals as (
    select o.opportunity_id, coalesce(o.amount, 0) as amount
    from basis_deals($lead_filter, $currency, $basis, $start, $end, $as_of) as o
),

credits as (
    select
        {by} as by_value,
        d.amount * case $model
            when 'first_touch' then tc.w_first_touch
            when 'last_touch' then tc.w_last_touch
            when 'linear' then tc.w_linear
            when 'u_shaped' then tc.w_u_shaped
            when 'w_shaped' then tc.w_w_shaped
            when 'time_decay' then tc.w_time_decay
        end as credit,
        d.opportunity_id,
    from deals as d
    join opportunity_touches as tc using (opportunity_id)
    left join content as ct on ct.content_id = tc.content_id
    union all
    select '(no touch)', d.amount, d.opportunity_id
    from deals as d
    anti join opportunity_touches as tc using (opportunity_id)
),

final as (
    select by_value, sum(credit) as credit, count(distinct opportunity_id) as opportunities
    from credits
    group by by_value
)

select * from final
order by by_value;
