-- Purpose: the sales-ready score threshold (docs/metrics.md "Score threshold"): for each candidate
--   threshold t, the leads handed off with score at hand-off >= t (volume), how many reached the
--   qualified stage by $as_of, precision and recall against all qualified hand-offs.
-- Grain: one row per candidate threshold ($step apart from $score_min to $score_max).
-- Key: threshold.
-- Parameters: $score_min, $score_max, $step, $start, $end (hand-off dates), $as_of, $lead_filter.
with

scored as (
    select h.handoff_score as score, coalesce(h.qualified_at <= $as_of, false) as is_qualified
    from handoffs as h  -- a hand-off row carries its lead's columns
    where lead_in_scope(h.source, h.region, h.industry, h.owner_id, $lead_filter)
      and h.handoff_at <= $as_of
      and h.handoff_score is not null
      and in_period(h.handoff_at, $start, $end)
),

candidates as (
    select unnest(generate_series($score_min::integer, $score_max::integer, $step::integer))::double as threshold
),

final as (
    select
        c.threshold,
        count(s.score) as handed_off,
        count(s.score) filter (where s.is_qualified) as qualified,
        (select count(*) filter (where is_qualified) from scored) as all_qualified,
    from candidates as c
    left join scored as s on s.score >= c.threshold
    group by c.threshold
)

select * from final
order by threshold;
