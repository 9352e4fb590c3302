-- Purpose: multi-touch attribution (METRICS.md "Revenue contribution"): the touches of each
--   opportunity's lead up to the opportunity's creation, in time order (ties by touch_id), share
--   its amount by the chosen model; an opportunity with no touches credits "(no touch)".
-- Grain: one row per value of {by} (a touch column, or the content's type / funnel stage).
-- Parameters: $model, $basis ('won': won, closed in the period; 'pipeline': created in the
--   period), $start, $end, $as_of, $handoff_stage, $sources, $regions, $industries, $owners.
with

deals as (
    select o.opportunity_id, o.lead_id, o.created_at, coalesce(o.amount, 0) as amount
    from opportunities as o
    where (o.lead_id in (select lead_id from filtered_leads($sources::varchar[], $regions::varchar[],
                                                               $industries::varchar[], $owners::varchar[]))
           or (o.lead_id is null
               and len($sources::varchar[]) + len($regions::varchar[]) + len($industries::varchar[])
                   + len($owners::varchar[]) = 0))
      and case $basis
          when 'won' then o.status = 'won' and o.closed_at <= $as_of
              and ($start is null or o.closed_at >= $start::date)
              and ($end is null or o.closed_at < $end::date + interval 1 day)
          else o.created_at <= $as_of
              and ($start is null or o.created_at >= $start::date)
              and ($end is null or o.created_at < $end::date + interval 1 day)
      end
),

ordered as (
    select
        d.opportunity_id,
        d.amount,
        d.created_at as opportunity_created_at,
        m.entered_at as handoff_at,
        tc.*,
        row_number() over (partition by d.opportunity_id order by tc.occurred_at, tc.touch_id) as position,
        count(*) over (partition by d.opportunity_id) as touches,
    from deals as d
    join touches as tc on tc.lead_id = d.lead_id and tc.occurred_at <= d.created_at
    left join lead_stages as m on m.lead_id = d.lead_id and m.stage = $handoff_stage
),

roles as (
    select
        *,
        -- W-shaped: the last touch at or before the hand-off entry (null when there is none)
        max(case when occurred_at <= handoff_at then position end)
            over (partition by opportunity_id) as handoff_position,
    from ordered
),

shaped as (
    select
        *,
        (position = 1)::int + coalesce(position = handoff_position, false)::int + (position = touches)::int
            as role_count,
        1 + coalesce(handoff_position not in (1, touches), false)::int + (touches > 1)::int as role_touches,
        0.1 + 0.3 * (handoff_position is null)::int as w_rest,
        pow(2.0, -((epoch(opportunity_created_at) - epoch(occurred_at)) / 86400.0) / 7.0) as decay,
    from roles
),

weighted as (
    select
        *,
        case $model
            when 'first_touch' then (position = 1)::double
            when 'last_touch' then (position = touches)::double
            when 'linear' then 1.0 / touches
            when 'u_shaped' then case
                when touches = 1 then 1.0
                when touches = 2 then 0.5
                when position in (1, touches) then 0.4
                else 0.2 / (touches - 2)
            end
            when 'w_shaped' then 0.3 * role_count + case
                when touches > role_touches then (role_count = 0)::int * w_rest / (touches - role_touches)
                else (role_count > 0)::int * w_rest / role_touches
            end
            when 'time_decay' then decay / sum(decay) over (partition by opportunity_id)
        end as weight,
    from shaped
),

credits as (
    select {by} as by_value, amount * weight as credit, opportunity_id
    from weighted as tc
    left join content as ct on ct.content_id = tc.content_id
    union all
    select '(no touch)', d.amount, d.opportunity_id
    from deals as d
    where not exists (
        select 1 from touches as tc where tc.lead_id = d.lead_id and tc.occurred_at <= d.created_at
    )
),

final as (
    select by_value, sum(credit) as credit, count(distinct opportunity_id) as opportunities
    from credits
    group by by_value
)

select * from final
order by by_value;
