-- Purpose: the deals a forecast at the cut-off $as_of starts from (docs/metrics.md "Forecast"): the open
--   pipeline at $as_of in the state each deal had then (deal_states), and the deals won in
--   [$from_at, $as_of] (bookings so far), with owner and lead for the names.
-- Grain: one row per deal: kind 'open' (open at $as_of) or 'won' (won in the window).
-- Key: opportunity_id.
-- Parameters: $as_of (the cut-off), $from_at (the earliest period start), $currency.
with

deals as (
    select *
    from opportunities
    where amount_currency = money_currency($currency) and created_at <= $as_of
),

open_deals as (
    select
        'open' as kind,
        d.opportunity_id,
        d.lead_id,
        d.owner_id,
        coalesce(s.amount, 0)::double as amount,
        s.stage,
        coalesce(s.stage_rank, 0) as stage_rank,
        s.probability,
        s.expected_close_at,
        (epoch($as_of::timestamp) - epoch(d.created_at)) / 86400.0 as age_days,
        null::timestamp as closed_at,
    from deals as d
    join deal_states as s
        on s.opportunity_id = d.opportunity_id
        and s.valid_from <= $as_of
        and (s.valid_to is null or s.valid_to > $as_of)
    where d.closed_at is null or d.closed_at > $as_of
),

won_deals as (
    select
        'won',
        opportunity_id,
        lead_id,
        owner_id,
        coalesce(amount, 0)::double,
        null::varchar,
        null::bigint,
        null::double,
        expected_close_at,
        null::double,
        closed_at,
    from deals
    where status = 'won' and closed_at >= $from_at and closed_at <= $as_of
),

final as (
    select * from open_deals
    union all
    select * from won_deals
)

select * from final
order by kind, opportunity_id;
