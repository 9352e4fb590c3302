-- Purpose: the leads behind a row of the cohort heatmap (cohort_matrix.sql): the leads in scope created
--   in $month by $as_of, when each reached $target_stage by $as_of and how many calendar months after
--   its creation month (the offset the heatmap counts it at).
-- Grain: one row per lead created in the month, the lead's facts after its own columns.
-- Key: lead_id.
-- Parameters: $month (its first day), $target_stage, $as_of, $lead_filter.
with

cohort as (
    select l.lead_id, l.created_at
    from filtered_leads($lead_filter) as l
    where l.created_at <= $as_of
      and date_trunc('month', l.created_at)::date = $month::date
),

reached as (
    select c.lead_id, s.entered_at as reached_at
    from cohort as c
    join lead_stages as s on s.lead_id = c.lead_id and s.stage = $target_stage and s.entered_at <= $as_of
),

final as (
    select
        c.lead_id,
        c.created_at,
        r.reached_at,
        r.reached_at is not null as is_converted,
        (year(r.reached_at) * 12 + month(r.reached_at)) - (year($month::date) * 12 + month($month::date))
            as months_to_reach,
        f.* exclude (lead_id),
    from cohort as c
    left join reached as r using (lead_id)
    left join lead_facts() as f using (lead_id)
)

select * from final
order by created_at, lead_id;
