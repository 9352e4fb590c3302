-- Purpose: what this database holds: its version, where it came from, and the default "as of".
-- Grain: one row.
-- Parameters: $data_version (a new id per import), $folder (the export folder read), $schema_version
--   (the shape of the derived tables; a reader refuses another one and asks for a re-import).
create table meta as
with

event_times as (
    select max(created_at) as event_at from leads
    union all select max(entered_at) from stage_history
    union all select max(occurred_at) from touches
    union all select max(occurred_at) from activities
    union all select max(created_at) from feedback
    union all select max(created_at) from opportunities
    union all select max(closed_at) from opportunities
)

select
    $data_version as data_version,
    $schema_version as schema_version,
    $folder as source_folder,
    (now() at time zone 'UTC') as imported_at,
    (select max(event_at) from event_times) as default_as_of,
    (select min(created_at) from leads) as first_lead_at;
