-- Purpose: the latest thing that happened in the export (a lead created, a stage entered, a touch, an
--   activity, feedback, a deal created), deals' closes left out: the clock the deal repairs
--   (deal_dates.sql), the money rates (deal_money.sql) and the default as-of (meta.sql) start from.
-- Grain: a scalar macro (one time).
-- Parameters (of the macro): none.

-- the latest thing that happened, deals' closes left out (meta's as-of adds them once repaired)
create macro last_recorded_event() as (
    select max(event_at)
    from (
        select max(created_at) as event_at from leads
        union all select max(entered_at) from stage_history
        union all select max(occurred_at) from touches
        union all select max(occurred_at) from activities
        union all select max(created_at) from feedback
        union all select max(created_at) from opportunities
    )
);
