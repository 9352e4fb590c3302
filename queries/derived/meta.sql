-- Purpose: what this database holds: its version, where it came from, and the default "as of": the
--   latest recorded event or deal close (closes were repaired not to lie beyond it: deal_dates.sql).
-- Grain: one row.
-- Parameters: $data_version (a new id per import), $folder (the export folder read), $schema_version
--   (the shape of the derived tables; a reader refuses another one and asks for a re-import).
create table meta as
select
    $data_version as data_version,
    $schema_version as schema_version,
    $folder as source_folder,
    (now() at time zone 'UTC') as imported_at,
    greatest(last_recorded_event(), (select max(closed_at) from opportunities)) as default_as_of,
    (select min(created_at) from leads) as first_lead_at;
