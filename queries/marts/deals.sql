-- Purpose: every opportunity with what might explain its outcome: its own columns, its lead's
--   columns, and the journey (touches before it was created, content types touched, whether the
--   follow-up SLA was met, cycle length; journey facts from deal_facts, built at import); the
--   base of win/loss and revenue contribution.
-- Grain: one row per opportunity (created or closed by $as_of), opportunity columns first.
-- Parameters: $as_of, $follow_up_hours, $marketing_sources, $sources, $regions, $industries, $owners.
with

deals as (
    select o.*
    from opportunities_in_scope($sources::varchar[], $regions::varchar[], $industries::varchar[], $owners::varchar[]) as o
    where o.created_at <= $as_of
),

final as (
    select
        d.opportunity_id,
        d.lead_id,
        d.created_at,
        case when d.closed_at <= $as_of then d.closed_at end as closed_at,
        case when d.closed_at <= $as_of then d.status else 'open' end as status,
        coalesce(d.amount, 0) as amount,
        d.* exclude (opportunity_id, lead_id, account_id, created_at, closed_at, status, amount),
        l.* exclude (lead_id, created_at, owner_id, account_id),
        coalesce(d.account_id, l.account_id) as account_id,
        h.score_band,
        coalesce(list_contains($marketing_sources::varchar[], l.source), false) as is_marketing_sourced,
        coalesce(j.touches_before, 0) > 0 as is_marketing_influenced,
        case
            when coalesce(j.touches_before, 0) = 0 then '0 touches'
            when j.touches_before <= 2 then '1-2 touches'
            when j.touches_before <= 5 then '3-5 touches'
            else '6+ touches'
        end as touches_band,
        j.content_types,
        case
            when h.lead_id is null then 'not handed off'
            when h.first_activity_at is not null
                 and sla_hours(h.handoff_at, h.first_activity_at) <= $follow_up_hours then 'met'
            else 'breached'
        end as follow_up_sla,
        case when d.closed_at <= $as_of then
            case
                when (epoch(d.closed_at) - epoch(d.created_at)) / 86400.0 < 30 then 'under 30 days'
                when (epoch(d.closed_at) - epoch(d.created_at)) / 86400.0 < 60 then '30-59 days'
                when (epoch(d.closed_at) - epoch(d.created_at)) / 86400.0 < 90 then '60-89 days'
                else '90+ days'
            end
        end as cycle_band,
        case when d.closed_at <= $as_of then (epoch(d.closed_at) - epoch(d.created_at)) / 86400.0 end
            as cycle_days,
    from deals as d
    left join leads as l on l.lead_id = d.lead_id
    left join handoffs as h on h.lead_id = d.lead_id
    left join deal_facts as j on j.opportunity_id = d.opportunity_id
)

select * from final;
