-- Purpose: every opportunity with what might explain its outcome: its own columns, its lead's
--   columns, and the journey (touches before it was created, content types touched, whether the
--   follow-up SLA was met, cycle length), read from deal_facts (one row per opportunity with its
--   lead's columns and journey facts, built at import); the base of win/loss and revenue contribution.
--   Marketing-sourced: the lead's source counted as marketing in source_labels (the one rule).
-- Grain: one row per opportunity (created or closed by $as_of), opportunity columns first.
-- Key: opportunity_id.
-- Parameters: $as_of, $follow_up_hours, $lead_filter.
with

deals as (
    select *
    from deal_facts as j
    where j.created_at <= $as_of
      -- as opportunities_in_scope: a deal without a lead counts only when no lead filter is set
      and case when j.has_lead
          then lead_in_scope(j.source, j.region, j.industry, j.lead_owner_id,
                             $lead_filter)
          else no_lead_filter($lead_filter)
      end
),

final as (
    select
        d.opportunity_id,
        d.lead_id,
        d.created_at,
        case when d.closed_at <= $as_of then d.closed_at end as closed_at,
        case when d.closed_at <= $as_of then d.status else 'open' end as status,
        coalesce(d.amount, 0) as amount,
        d.* exclude (opportunity_id, lead_id, account_id, created_at, closed_at, status, amount, has_lead,
                     lead_owner_id, lead_account_id, lead_created_at, is_handed_off, score_band, response_hours,
                     touches_before, content_types),
        coalesce(d.account_id, d.lead_account_id) as account_id,
        d.score_band,
        coalesce(m.is_marketing, false) as is_marketing_sourced,
        d.touches_before > 0 as is_marketing_influenced,
        case
            when d.touches_before = 0 then '0 touches'
            when d.touches_before <= 2 then '1-2 touches'
            when d.touches_before <= 5 then '3-5 touches'
            else '6+ touches'
        end as touches_band,
        d.content_types,
        case
            when not d.is_handed_off then 'not handed off'
            when d.response_hours <= $follow_up_hours then 'met'
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
    left join source_labels as m on m.source = d.source
)

select * from final;
