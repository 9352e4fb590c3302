-- Purpose: the dates of deals as events (docs/metrics.md, "as of"; docs/metrics.md "Planned dates are not
--   events"), and the one deal policy of every importer: a deal is kept and repaired, never dropped.
--   1. an open deal's close date is its expected close (expected_close_at), not an event;
--   2. a closed deal whose close date lies after the export's last recorded event (a lead created, a
--      stage entered, a touch, an activity, feedback, a deal created) takes the time of its closing
--      stage change (the lead's latest won/lost entry) when the export records one, else that event;
--   3. a deal closed before it was created (entered in the CRM after it closed) is taken as created
--      when it closed.
--   Runs at import on the loaded tables, before anything is derived from them; "the export's last
--   recorded event" is last_recorded_event() (macros/events.sql).
-- Grain: deal_repairs: one row per opportunity and repair (repair, before_at, after_at).
-- Key: deal_repairs (opportunity_id, repair).
-- Parameters: $won_stage, $lost_stage.
create table deal_repairs as
select opportunity_id, 'expected_close' as repair, closed_at as before_at, closed_at as after_at
from opportunities
where status = 'open' and closed_at is not null;

update opportunities
set expected_close_at = coalesce(expected_close_at, closed_at), closed_at = null
where status = 'open' and closed_at is not null;

create temp table last_event as
select last_recorded_event() as event_at;

insert into deal_repairs
select
    o.opportunity_id,
    'future_close',
    o.closed_at,
    coalesce(
        (select max(h.entered_at)
         from stage_history as h
         where h.lead_id = o.lead_id
             and h.stage = case o.status when 'won' then $won_stage else $lost_stage end),
        e.event_at
    ),
from opportunities as o, last_event as e
where o.status in ('won', 'lost') and o.closed_at > e.event_at;

update opportunities as o
set closed_at = r.after_at
from deal_repairs as r
where r.repair = 'future_close' and r.opportunity_id = o.opportunity_id;

insert into deal_repairs
select opportunity_id, 'closed_before_created', created_at, closed_at
from opportunities
where closed_at < created_at;

update opportunities
set created_at = closed_at
where closed_at < created_at;
