-- Purpose: the touch sequence of every opportunity (docs/metrics.md "Revenue contribution"): the
--   touches of its lead up to its creation, in time order (ties by touch_id), with each touch's
--   weight under every attribution model, so attribution at query time is a filtered sum.
-- Grain: one row per opportunity per touch at or before the opportunity's creation.
-- Parameters: none; built at import (the hand-off stage comes from stage_config's roles).
create table opportunity_touches as
with

ordered as (
    select
        o.opportunity_id,
        o.created_at as opportunity_created_at,
        m.entered_at as handoff_at,
        tc.*,
        row_number() over (partition by o.opportunity_id order by tc.occurred_at, tc.touch_id) as position,
        count(*) over (partition by o.opportunity_id) as touches,
        pow(2.0, -((epoch(o.created_at) - epoch(tc.occurred_at)) / 86400.0) / 7.0) as decay,
    from opportunities as o
    join touches as tc on tc.lead_id = o.lead_id and tc.occurred_at <= o.created_at
    left join lead_stages as m
        on m.lead_id = o.lead_id and m.stage = (select stage from stage_config where role = 'handoff')
),

per_opportunity as (
    -- per opportunity, as aggregates (they spill to disk; windows over these wide rows could not at 30M
    -- leads): the W-shaped hand-off touch, the last at or before the hand-off entry (null when there is
    -- none), and the sum of the time-decay weights
    select
        opportunity_id,
        max(case when occurred_at <= handoff_at then position end) as handoff_position,
        sum(decay) as decay_sum,
    from ordered
    group by opportunity_id
),

shaped as (
    select
        o.*,
        p.handoff_position,
        p.decay_sum,
        (o.position = 1)::int + coalesce(o.position = p.handoff_position, false)::int + (o.position = o.touches)::int
            as role_count,
        1 + coalesce(p.handoff_position not in (1, o.touches), false)::int + (o.touches > 1)::int as role_touches,
        0.1 + 0.3 * (p.handoff_position is null)::int as w_rest,
    from ordered as o
    join per_opportunity as p using (opportunity_id)
),

final as (
    select
        * exclude (role_count, role_touches, w_rest, decay, decay_sum, handoff_at, opportunity_created_at),
        (position = 1)::double as w_first_touch,
        (position = touches)::double as w_last_touch,
        1.0 / touches as w_linear,
        case
            when touches = 1 then 1.0
            when touches = 2 then 0.5
            when position in (1, touches) then 0.4
            else 0.2 / (touches - 2)
        end as w_u_shaped,
        -- roles that fall on one touch add up; the rest (10%, or 40% without a hand-off touch) goes
        -- to the other touches, or when there are none, to the distinct role touches
        0.3 * role_count + case
            when touches > role_touches then (role_count = 0)::int * w_rest / (touches - role_touches)
            else (role_count > 0)::int * w_rest / role_touches
        end as w_w_shaped,
        decay / decay_sum as w_time_decay,
    from shaped
)

select * from final
order by opportunity_id, position;

-- Per opportunity, its own columns, its lead's (so the deal marts read one narrow-enough table
-- instead of joining a million leads) and what the journey before it looked like (win/loss
-- factors). Lead columns keep the leads table's names, except the ones the opportunity has too,
-- which get a lead_ prefix.
create table deal_facts as
with

journey as (
    select
        t.opportunity_id,
        count(*) as touches_before,
        -- no content type: null (list() over no rows is null on DuckDB but [] on Spark, so say it)
        case when count(c.content_type) > 0
            then list_sort(list_distinct(list(c.content_type) filter (where c.content_type is not null)))
        end as content_types,
    from opportunity_touches as t
    left join content as c on c.content_id = t.content_id
    group by t.opportunity_id
)

select
    o.*,
    l.lead_id is not null as has_lead,
    l.owner_id as lead_owner_id,
    l.account_id as lead_account_id,
    l.created_at as lead_created_at,
    l.* exclude (lead_id, created_at, owner_id, account_id),
    h.lead_id is not null as is_handed_off,
    h.score_band,
    h.response_hours,
    coalesce(j.touches_before, 0) as touches_before,
    j.content_types,
from opportunities as o
left join leads as l on l.lead_id = o.lead_id
left join handoffs as h on h.lead_id = o.lead_id
left join journey as j on j.opportunity_id = o.opportunity_id
order by o.opportunity_id;
