-- Purpose: the lead filter and the period every mart reads leads through: the one rule for which leads
--   (and opportunities) a figure counts, and for a time falling in a period.
-- Grain: filtered_leads, lead_facts: one row per lead; opportunities_in_scope: one row per opportunity;
--   lead_in_scope / no_lead_filter / in_period: scalar predicates for queries that join leads themselves.
-- Parameters (of the macros): lead_filter, a struct of the lists sources, regions, industries, owners
--   (empty = all; what a mart binds as its lead_filter parameter); start_date, end_date (a period, null = open).

-- t falls in the period [start_date, end_date] (dates, inclusive; null = open)
create macro in_period(t, start_date, end_date) as
    (start_date is null or t >= start_date::date)
    and (end_date is null or t < end_date::date + interval 1 day);

create macro lead_in_scope(source, region, industry, owner_id, lead_filter) as
    (len(lead_filter.sources) = 0 or list_contains(lead_filter.sources::varchar[], coalesce(source, '(none)')))
    and (len(lead_filter.regions) = 0 or list_contains(lead_filter.regions::varchar[], coalesce(region, '(none)')))
    and (len(lead_filter.industries) = 0
         or list_contains(lead_filter.industries::varchar[], coalesce(industry, '(none)')))
    and (len(lead_filter.owners) = 0 or list_contains(lead_filter.owners::varchar[], coalesce(owner_id, '(none)')));

-- true when no lead filter is set (then records without a lead, e.g. an opportunity, count too)
create macro no_lead_filter(lead_filter) as
    len(lead_filter.sources) + len(lead_filter.regions) + len(lead_filter.industries) + len(lead_filter.owners) = 0;

create macro filtered_leads(lead_filter) as table
    select *
    from leads
    where lead_in_scope(source, region, industry, owner_id, lead_filter);

-- What a list of leads shows of each lead after its own columns (the drill-down marts).
create macro lead_facts() as table
    select lead_id, source, region, industry, owner_id, score
    from leads;

-- The opportunities of the leads in scope; one without a lead counts only when no lead filter is set.
-- (Two branches, one of them empty: without a filter no lead is read — a join with every lead cost
-- ~0.3 s a query at 10M leads.)
create macro opportunities_in_scope(lead_filter) as table
    select o.*
    from opportunities as o
    where no_lead_filter(lead_filter)
    union all
    select o.*
    from opportunities as o
    join leads as l on l.lead_id = o.lead_id
    where not no_lead_filter(lead_filter)
      and lead_in_scope(l.source, l.region, l.industry, l.owner_id, lead_filter);
