-- Purpose: the deals behind a row of the attribution models (attribution.sql): the opportunities in the
--   basis ('won': won, closed in the period; 'pipeline': created in it) with a touch whose {by} value is
--   $by_value ("(no touch)": the opportunities without touches), each with the credit it gives that value
--   under every model — the same deals, touches and weights, so each model's column adds up to the row.
-- Grain: one row per opportunity, the largest credit first.
-- Key: opportunity_id.
-- Parameters: $basis, $by_value, $start, $end, $as_of, $lead_filter, $currency.
with

deals as (
    select o.opportunity_id, o.lead_id, coalesce(o.amount, 0) as amount, o.status, o.created_at, o.closed_at,
        o.owner_id
    from basis_deals($lead_filter, $currency, $basis, $start, $end, $as_of) as o
),

credits as (
    select
        {by} as by_value,
        d.opportunity_id,
        d.amount * tc.w_first_touch as first_touch,
        d.amount * tc.w_last_touch as last_touch,
        d.amount * tc.w_linear as linear,
        d.amount * tc.w_u_shaped as u_shaped,
        d.amount * tc.w_w_shaped as w_shaped,
        d.amount * tc.w_time_decay as time_decay,
    from deals as d
    join opportunity_touches as tc using (opportunity_id)
    left join content as ct on ct.content_id = tc.content_id
    union all
    select '(no touch)', d.opportunity_id, d.amount, d.amount, d.amount, d.amount, d.amount, d.amount
    from deals as d
    anti join opportunity_touches as tc using (opportunity_id)
),

per_deal as (
    select
        opportunity_id,
        count(*) as touches,
        sum(first_touch) as first_touch,
        sum(last_touch) as last_touch,
        sum(linear) as linear,
        sum(u_shaped) as u_shaped,
        sum(w_shaped) as w_shaped,
        sum(time_decay) as time_decay,
    from credits
    where by_value = $by_value
    group by opportunity_id
),

final as (
    select d.lead_id, d.opportunity_id, d.amount, d.status, d.created_at, d.closed_at, d.owner_id,
        p.* exclude (opportunity_id),
    from per_deal as p
    join deals as d using (opportunity_id)
)

select * from final
order by linear desc, opportunity_id;
