-- Purpose: the one rule for which lead sources are marketing-sourced, and every source label the leads
--   carry with what it counted as. A label matches a label of [sources] marketing ignoring case, spaces,
--   `_` and `-` (source_key); a label named in [sources.aliases] is matched as the label it stands for.
--   The deals mart (is_marketing_sourced), the import summary and the Data page read this table.
-- Grain: one row per distinct leads.source (null = leads without a source). Key: source.
-- Parameters: $marketing_sources (the marketing labels), $alias_labels and $alias_targets (the aliases,
--   pairwise: alias_labels[i] stands for alias_targets[i]).
create table source_labels as
with

marketing as (
    select
        label,
        source_key(label) as label_key,
    from (select unnest($marketing_sources::varchar[]) as label)
),

aliases as (
    -- the lists pairwise: one unnest of positions (two unnests zip on DuckDB but cross-join on Spark)
    select
        source_key(list_extract($alias_labels::varchar[], i)) as alias_key,
        source_key(list_extract($alias_targets::varchar[], i)) as target_key,
    from (select unnest(generate_series(1, len($alias_labels::varchar[]))) as i)
),

counted as (
    select source, count(*) as leads
    from leads
    group by source
),

labels as (
    select
        c.source,
        c.leads,
        coalesce(min(a.target_key), source_key(c.source)) as match_key,
    from counted as c
    left join aliases as a on a.alias_key = source_key(c.source)
    group by c.source, c.leads
),

final as (
    select
        l.source,
        l.leads,
        (select min(m.label) from marketing as m where m.label_key = l.match_key) as marketing_label,
    from labels as l
)

select
    *,
    marketing_label is not null as is_marketing,
from final
order by leads desc, source nulls last;
