-- Purpose: each deal's state over time (docs/metrics.md "Pipeline movement"): stage, amount, expected
--   close and probability from opportunity_history, each valid from its change until the next one; the
--   first state reaches back to the deal's creation. A deal without history has one state, what the
--   export says now. Amounts are converted at the deal's own rate (deal_money.sql: amount ÷
--   original_amount), so a deal's history and its figures share one currency (`amount_currency`).
--   A history value left empty keeps the previous one. stage_ranks orders the stage labels of the
--   history: by their mean probability where exported, else by where they come in deals' histories.
--   deal_snapshots: the open pipeline as it stood every Monday 00:00 (UTC) from the first deal on, each
--   deal in the state it had then: what the forecast learns from (forecast_training.sql).
-- Grain: stage_ranks: one row per history stage label; deal_states: one row per deal and state;
--   deal_snapshots: one row per Monday and deal open then.
-- Key: stage_ranks.stage; deal_states (opportunity_id, state_no); deal_snapshots (snapshot_at, opportunity_id).
-- Parameters: none.
create table stage_ranks as
with

positions as (
    select
        stage,
        probability,
        row_number() over (partition by opportunity_id order by changed_at, stage, amount, expected_close_at)
            as position,
    from opportunity_history
    where stage is not null
),

final as (
    select
        stage,
        avg(probability) as mean_probability,
        avg(position) as mean_position,
    from positions
    group by stage
)

select
    stage,
    mean_probability,
    dense_rank() over (order by mean_probability nulls last, mean_position, stage) as stage_rank,
from final;

create table deal_states as
with

deals as (
    select
        opportunity_id,
        created_at,
        amount_currency,
        case when original_amount > 0 then amount / original_amount else 1.0 end as rate,
        amount,
        expected_close_at,
    from opportunities
),

changes as (
    select
        h.opportunity_id,
        h.changed_at,
        row_number() over (partition by h.opportunity_id
                           order by h.changed_at, h.stage, h.amount, h.expected_close_at, h.probability) as state_no,
        last_value(h.stage ignore nulls) over w as stage,
        last_value(h.amount ignore nulls) over w as amount,
        last_value(h.expected_close_at ignore nulls) over w as expected_close_at,
        last_value(h.probability ignore nulls) over w as probability,
    from opportunity_history as h
    join deals as d using (opportunity_id)
    window w as (partition by h.opportunity_id
                 order by h.changed_at, h.stage, h.amount, h.expected_close_at, h.probability
                 rows between unbounded preceding and current row)
),

with_history as (
    select
        c.opportunity_id,
        c.state_no,
        case when c.state_no = 1 then least(c.changed_at, d.created_at) else c.changed_at end as valid_from,
        lead(c.changed_at) over (partition by c.opportunity_id order by c.state_no) as valid_to,
        c.stage,
        coalesce(c.amount * d.rate, d.amount) as amount,
        coalesce(c.expected_close_at, d.expected_close_at) as expected_close_at,
        c.probability,
        d.amount_currency,
    from changes as c
    join deals as d using (opportunity_id)
),

without_history as (
    select
        d.opportunity_id,
        1 as state_no,
        d.created_at as valid_from,
        null::timestamp as valid_to,
        null::varchar as stage,
        d.amount,
        d.expected_close_at,
        null::double as probability,
        d.amount_currency,
    from deals as d
    where not exists (select 1 from opportunity_history as h where h.opportunity_id = d.opportunity_id)
),

final as (
    select * from with_history
    union all
    select * from without_history
)

select
    f.*,
    r.stage_rank,
from final as f
left join stage_ranks as r on r.stage = f.stage;  -- (USING would move stage first on Spark)

create table deal_snapshots as
with

bounds as (
    select
        date_trunc('week', min(created_at)) + interval 7 day as first_at,
        greatest(max(created_at), coalesce(max(closed_at), max(created_at))) as last_at,
    from opportunities
),

mondays as (
    select unnest(generate_series(b.first_at, b.last_at, interval 7 day)) as snapshot_at
    from bounds as b
),

final as (
    select
        m.snapshot_at,
        o.opportunity_id,
        o.amount_currency,
        coalesce(s.amount, 0) as amount,
        coalesce(s.stage_rank, 0) as stage_rank,
        s.expected_close_at,
        (epoch(m.snapshot_at) - epoch(o.created_at)) / 86400.0 as age_days,
        o.status,
        o.closed_at,
        -- whole days since 1970 and buckets, so that the forecast's training is integer arithmetic
        floor(epoch(m.snapshot_at) / 86400)::integer as snapshot_day,
        case when o.status = 'won' then epoch(o.closed_at) / 86400.0 end as won_day,
        epoch(s.expected_close_at) / 86400.0 as expected_day,
        case
            when epoch(m.snapshot_at) - epoch(o.created_at) < 30 * 86400 then 0
            when epoch(m.snapshot_at) - epoch(o.created_at) < 90 * 86400 then 1
            else 2
        end as age_bucket,
    from mondays as m
    join opportunities as o
        on o.created_at <= m.snapshot_at
        and (o.closed_at is null or o.closed_at > m.snapshot_at)
    join deal_states as s
        on s.opportunity_id = o.opportunity_id
        and s.valid_from <= m.snapshot_at
        and (s.valid_to is null or s.valid_to > m.snapshot_at)
)

select * from final;
