-- Purpose: the leads behind a content-lift row (content_progress.sql): the leads in scope that touched
--   $content_id while in one of $stages (content_touch_stages(), the macro the mart counts with), when
--   they first did, and whether they reached the next main stage by $as_of.
-- Grain: one row per lead per stage it touched the item in, the lead's facts after its own columns.
-- Key: lead_id, stage.
-- Parameters: $content_id, $stages (stage names), $as_of, $lead_filter.
with

touched as (
    select t.lead_id, t.stage, t.touched_at, t.next_stage_at, t.progressed as is_progressed
    from content_touch_stages($as_of, $lead_filter) as t
    where t.content_id = $content_id
      and list_contains($stages::varchar[], t.stage)
),

final as (
    select t.*, f.* exclude (lead_id)
    from touched as t
    left join lead_facts() as f using (lead_id)
)

select * from final
order by touched_at, lead_id, stage;
