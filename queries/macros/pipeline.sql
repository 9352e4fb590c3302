-- Purpose: what moved the quarter's open pipeline in each week or month (docs/metrics.md "Pipeline
--   movement"), deal by deal, written once for the deal list (marts/pipeline_movement.sql) and the
--   waterfall's sums (marts/pipeline_waterfall.sql). The pipeline of a period is the open deals (created
--   by then, not closed by then) whose expected close lies before the end of the quarter the period starts
--   in (no expected close counts as in it). Opening = that pipeline at the period's start, closing = at its
--   end (or as_of). In between each deal moves: created or pulled_in (it entered: its amount), advanced or
--   moved_back (stage rank up/down, stayed in: no effect), amount_change (in at the start, its amount at
--   the end or at its close minus the opening one), pushed_out (expected close moved past the quarter:
--   minus its opening amount), won or lost (closed in the period: minus the booked amount). So per
--   period opening + Σ net_amount = closing and opening + Σ net_deals = closing, exactly. States come
--   from deal_states (opportunity_history, else the deal as exported); only deals whose amount is in the
--   currency shown (money_currency(chosen)).
-- Grain: pipeline_moves: one row per period, deal and movement (opening and closing rows included).
-- Parameters (of the macro): lead_filter, start_date, end_date (dates: periods starting in [start_date's
--   period, end_date]), grain_name ('week' or 'month'), as_of, chosen (a currency code or null).
create macro pipeline_moves(lead_filter, start_date, end_date, grain_name, as_of, chosen) as table
    with

    periods as (  -- one interval type per expression (Spark has no CASE over day and month intervals)
        select
            p.period_start,
            least(case grain_name when 'week' then p.period_start + interval 7 day
                                  else p.period_start + interval 1 month end,
                  as_of::timestamp) as period_close,
            date_trunc('quarter', p.period_start) + interval 3 month as scope_end,
        from (
            select unnest(generate_series(date_trunc('week', start_date::date)::timestamp,
                                          least(end_date::date, as_of::date)::timestamp, interval 7 day))
                as period_start
            from (select 1 as one) as w
            where grain_name = 'week'
            union all
            select unnest(generate_series(date_trunc('month', start_date::date)::timestamp,
                                          least(end_date::date, as_of::date)::timestamp, interval 1 month))
                as period_start
            from (select 1 as one) as m
            where grain_name <> 'week'
        ) as p
    ),

    deals as (
        select
            o.opportunity_id,
            o.lead_id,
            o.account_id,
            o.owner_id,
            o.created_at,
            case when o.closed_at <= as_of then o.closed_at end as closed_at,
            case when o.closed_at <= as_of then o.status else 'open' end as status,
            coalesce(o.amount, 0) as booked_amount,
        from opportunities_in_scope(lead_filter) as o
        where o.created_at <= as_of
          and o.amount_currency = money_currency(chosen)
    ),

    candidates as (
        select p.*, d.*,
        from periods as p
        join deals as d
            on d.created_at <= p.period_close
            and (d.closed_at is null or d.closed_at > p.period_start)
    ),

    states as (
        select
            c.*,
            s0.stage as stage_from,
            s0.stage_rank as rank_from,
            coalesce(s0.amount, 0) as amount_from,
            s0.expected_close_at as close_from,
            s1.stage as stage_to,
            s1.stage_rank as rank_to,
            coalesce(s1.amount, 0) as amount_to,
            s1.expected_close_at as close_to,
            c.created_at <= c.period_start
                and (s0.expected_close_at is null or s0.expected_close_at < c.scope_end) as is_in_at_start,
            c.closed_at is not null and c.closed_at <= c.period_close as is_closed_in_period,
            (c.closed_at is null or c.closed_at > c.period_close)
                and (s1.expected_close_at is null or s1.expected_close_at < c.scope_end) as is_in_at_end,
        from candidates as c
        left join deal_states as s0
            on s0.opportunity_id = c.opportunity_id
            and c.created_at <= c.period_start
            and s0.valid_from <= c.period_start
            and (s0.valid_to is null or s0.valid_to > c.period_start)
        left join deal_states as s1
            on s1.opportunity_id = c.opportunity_id
            and s1.valid_from <= c.period_close
            and (s1.valid_to is null or s1.valid_to > c.period_close)
    ),

    moves as (
        select
            *,
            case when is_closed_in_period then booked_amount else amount_to end as amount_after,
            case when is_closed_in_period then closed_at else close_to end as close_after,
            case when is_closed_in_period then status else stage_to end as stage_after,
        from states
    ),

    moved as (
        -- each movement with its deal's states (a deal has one row per period in moves)
        select m.*, 'opening' as movement, 1 as net_deals, amount_from as amount,
            amount_from as net_amount
        from moves as m where is_in_at_start
        union all
        select m.*, case when created_at > period_start then 'created' else 'pulled_in' end,
            1, amount_after, amount_after
        from moves as m where not is_in_at_start and (is_closed_in_period or is_in_at_end)
        union all
        select m.*, case when rank_to > rank_from then 'advanced' else 'moved_back' end,
            0, amount_to, 0.0
        from moves as m where is_in_at_start and is_in_at_end and rank_to <> rank_from
        union all
        select m.*, 'pushed_out', -1, amount_from, -amount_from
        from moves as m where is_in_at_start and not is_closed_in_period and not is_in_at_end
        union all
        select m.*, 'amount_change', 0, amount_after - amount_from, amount_after - amount_from
        from moves as m where is_in_at_start and (is_closed_in_period or is_in_at_end) and amount_after <> amount_from
        union all
        select m.*, status, -1, booked_amount, -booked_amount
        from moves as m where is_closed_in_period
        union all
        select m.*, 'closing', 1, amount_to, amount_to
        from moves as m where is_in_at_end
    ),

    final as (
        select
            r.period_start::date as period_start,
            r.movement,
            r.opportunity_id,
            r.lead_id,
            r.account_id,
            r.owner_id,
            r.net_deals,
            r.amount::double as amount,
            r.net_amount::double as net_amount,
            case when r.movement in ('created', 'pulled_in') then null else r.stage_from end as stage_from,
            case when r.movement = 'opening' then null else r.stage_after end as stage_to,
            case when r.movement in ('created', 'pulled_in') then null else r.amount_from end as amount_from,
            case when r.movement = 'opening' then null else r.amount_after end as amount_to,
            case when r.movement in ('created', 'pulled_in') then null else r.close_from end as close_from,
            case when r.movement = 'opening' then null else r.close_after end as close_to,
            case r.movement
                when 'opening' then 0 when 'created' then 1 when 'advanced' then 2 when 'moved_back' then 3
                when 'pushed_out' then 4 when 'pulled_in' then 5 when 'amount_change' then 6 when 'won' then 7
                when 'lost' then 8 else 9
            end as movement_order,
        from moved as r
    )

    select * from final;
