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
    select
        source_key(unnest($alias_labels::varchar[])) as alias_key,
        source_key(unnest($alias_targets::varchar[])) as target_key,
),

labels as (
    select
        source,
        count(*) as leads,
        coalesce((select min(a.target_key) from aliases as a where a.alias_key = source_key(source)),
                 source_key(source)) as match_key,
    from leads
    group by source
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
