-- Purpose: the four levers of sales velocity per month (docs/metrics.md): opportunities open at the
--   month's end, win rate, average won amount and average sales cycle of the deals closed in it.
-- Grain: one row per month from the first opportunity to $as_of.
-- Key: month_start.
-- Parameters: $as_of, $currency (the average won amount is of the won deals in it).
with

months as (
    select unnest(generate_series(
        date_trunc('month', (select min(created_at) from opportunities)),
        date_trunc('month', $as_of::timestamp),
        interval 1 month))::date as month_start
),

bounds as (
    select month_start, least(month_start + interval 1 month, $as_of::timestamp + interval 1 microsecond) as month_end
    from months
),

open_at_end as (
    -- the opportunities open at each month's end (a join, not a correlated subquery: portable)
    select b.month_start, count(o.opportunity_id) as open_opportunities
    from bounds as b
    left join opportunities as o
        on o.created_at < b.month_end and (o.closed_at is null or o.closed_at >= b.month_end)
    group by b.month_start
),

closed_in as (
    select
        b.month_start,
        count(o.opportunity_id) filter (where o.status in ('won', 'lost')) as closed_deals,
        count(o.opportunity_id) filter (where o.status = 'won') as won_deals,
        avg(o.amount) filter (where o.status = 'won' and o.amount_currency = money_currency($currency)) as avg_won_amount,
        avg((epoch(o.closed_at) - epoch(o.created_at)) / 86400.0) filter (where o.status = 'won') as avg_cycle_days,
    from bounds as b
    left join opportunities as o on o.closed_at >= b.month_start and o.closed_at < b.month_end
    group by b.month_start, b.month_end
),

levers as (
    select
        c.month_start,
        e.open_opportunities,
        c.closed_deals,
        c.won_deals,
        c.avg_won_amount,
        c.avg_cycle_days,
    from closed_in as c
    join open_at_end as e using (month_start)
)

select * from levers
order by month_start;
