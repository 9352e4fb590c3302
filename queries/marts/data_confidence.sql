-- Purpose: how far to trust today's numbers: rows loaded and rejected (rows, and reasons: one row can
--   be refused for several reasons, each a row of rejects), the period the data covers,
--   leads with a skipped stage, opportunities without touches, leads without stage history.
-- Grain: one row.
-- Key: none (one row).
-- Parameters: none.
select
    (select coalesce(sum(rows_loaded), 0)::bigint from import_files) as rows_loaded,
    (select count(distinct (table_name, file, line)) from rejects) as rows_rejected,
    (select count(*) from rejects) as reject_reasons,
    (select min(created_at) from leads) as first_lead_at,
    (select max(created_at) from leads) as last_lead_at,
    (select default_as_of from meta) as as_of,
    (select count(*) from leads) as leads,
    (select count(distinct lead_id) from lead_stages where not is_recorded) as leads_with_skipped_stage,
    (select count(*) from leads as l
      anti join stage_history as h on h.lead_id = l.lead_id) as leads_without_history,
    (select count(*) from opportunities) as opportunities,
    (select count(*) from opportunities as o
      anti join touches as t on t.lead_id = o.lead_id and t.occurred_at <= o.created_at) as opportunities_without_touches;
