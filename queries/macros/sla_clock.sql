-- Purpose: the clock SLA hours are counted on (docs/metrics.md "SLA compliance"): wall-clock hours, or office
--   hours on weekdays (Monday to Friday, office_hours.start_hour to end_hour in office_hours.tz).
-- Grain: scalar macros (hours between two times).
-- Parameters (of the macros): t, t1, t2 (times).

create macro office_local(t) as timezone((select tz from office_hours), timezone('UTC', t));

create macro office_day(t) as date_diff('day', date '1970-01-05', office_local(t)::date);

-- office hours from Monday 1970-01-05 00:00 (local) to t: whole weekdays, then the part of t's day
create macro office_hours_since_1970(t) as
    (office_day(t) // 7 * 5 + least(office_day(t) % 7, 5))
        * ((select end_hour from office_hours) - (select start_hour from office_hours))
    + case when office_day(t) % 7 < 5
        then least(greatest((epoch(office_local(t)) - epoch(office_local(t)::date)) / 3600.0,
                            (select start_hour from office_hours)),
                   (select end_hour from office_hours))
             - (select start_hour from office_hours)
        else 0
    end;

create macro sla_hours(t1, t2) as
    case when (select enabled from office_hours)
        then office_hours_since_1970(t2) - office_hours_since_1970(t1)
        else (epoch(t2) - epoch(t1)) / 3600.0
    end;
