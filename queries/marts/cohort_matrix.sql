-- Purpose: the cohort heatmap: of the leads created in each month, the share that had reached
--   $target_stage within k months of creation (k = 0 .. 12), by $as_of; cells the cohort has
--   not lived through yet are left out.
-- Grain: one row per creation month per month offset.
-- Key: cohort_month, months.
-- Parameters: $target_stage, $as_of, $lead_filter.
with

cohort as (
    select l.lead_id, date_trunc('month', l.created_at)::date as cohort_month, l.created_at
    from filtered_leads($lead_filter) as l
    where l.created_at <= $as_of
),

reached as (
    -- months apart from year * 12 + month (date_diff('month') counts differently on Spark)
    select
        c.cohort_month,
        (year(s.entered_at) * 12 + month(s.entered_at)) - (year(c.cohort_month) * 12 + month(c.cohort_month))
            as months,
    from cohort as c
    join lead_stages as s on s.lead_id = c.lead_id and s.stage = $target_stage and s.entered_at <= $as_of
),

sizes as (
    select cohort_month, count(*) as leads from cohort group by cohort_month
),

offsets as (
    select unnest(generate_series(0, 12)) as months
),

final as (
    select
        z.cohort_month,
        o.months,
        z.leads,
        (select count(*) from reached as r where r.cohort_month = z.cohort_month and r.months <= o.months)
            as reached,
    from sizes as z
    cross join offsets as o
    where z.cohort_month + to_months(o.months::integer) <= $as_of::date
)

select *, reached / leads as share from final
order by cohort_month, months;
