-- Purpose: the timeline of one lead, or of every lead of one account: stage entries, marketing
--   touches and content, score changes, sales activities, feedback and opportunities; campaigns and
--   reps by name (their id when the export has no name); `person`: who the lead is (the name, with the
--   id when two people of the account share it; the id when there is no name).
-- Grain: one row per event.
-- Key: none (a timeline: two events may share every column).
-- Parameters: $lead_id (or null), $account_id (or null).
with

named as (  -- leads, with lead_name null when the export has no names ({person_columns}, as lead_search.sql)
    select {person_columns}
    from leads as l
),

people as (
    select
        lead_id,
        case
            when lead_name is null then lead_id
            when count(*) over (partition by lead_name) > 1 then lead_name || ' (' || lead_id || ')'
            else lead_name
        end as person,
    from named
    where lead_id = $lead_id or ($account_id is not null and account_id = $account_id)
),

events as (
    select h.lead_id, h.entered_at as event_at, 'stage' as kind, h.stage as what, null as detail
    from stage_history as h join people using (lead_id)
    union all
    select t.lead_id, t.occurred_at, 'touch', coalesce(t.touch_type, t.channel, 'touch'),
           concat_ws(' · ', t.channel, c.title, c.content_type, coalesce(k.name, t.campaign_id))
    from touches as t join people using (lead_id) left join content as c using (content_id)
    left join campaigns as k using (campaign_id)
    union all
    select s.lead_id, s.scored_at, 'score', s.score::varchar, null
    from score_history as s join people using (lead_id)
    union all
    select a.lead_id, a.occurred_at, 'activity', coalesce(a.activity_type, 'activity'), coalesce(r.name, a.rep_id)
    from activities as a join people using (lead_id) left join reps as r on r.rep_id = a.rep_id
    union all
    select f.lead_id, f.created_at, 'feedback', f.verdict,
           concat_ws(' · ', f.reason, case when f.rating is not null then 'rating ' || f.rating end,
                     coalesce(r.name, f.rep_id))
    from feedback as f join people using (lead_id) left join reps as r on r.rep_id = f.rep_id
    union all
    select o.lead_id, o.created_at, 'opportunity', 'created',
           concat_ws(' · ', o.opportunity_id, o.product, 'amount ' || o.amount::varchar, coalesce(r.name, o.owner_id))
    from opportunities as o join people using (lead_id) left join reps as r on r.rep_id = o.owner_id
    union all
    select o.lead_id, o.closed_at, 'opportunity', o.status,
           concat_ws(' · ', o.opportunity_id, o.loss_reason, o.win_reason, o.competitor)
    from opportunities as o join people using (lead_id)
    where o.closed_at is not null
)

select e.*, p.person
from events as e
join people as p using (lead_id)
order by e.event_at, e.lead_id, e.kind;
