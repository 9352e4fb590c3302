-- Purpose: the leads the journey's search box finds by id, person's name, e-mail, company or account
--   (any part, any case); exact matches first. An export without names or e-mails is searched by id.
-- Grain: one row per lead.
-- Key: lead_id.
-- Parameters: $q (the text searched), $limit (rows returned at most).
with

people as (  -- leads, with the name columns null when the export has none ({person_columns}: the
    -- runner's `l.*, null::varchar as x` for each of lead_name, email, company_name it lacks)
    select {person_columns}
    from leads as l
),

matched as (
    select
        lead_id,
        lead_name,
        company_name,
        email,
        account_id,
        source,
        owner_id,
        created_at,
        case
            when lower(lead_id) = lower($q) or lower(email) = lower($q) then 0
            when lower(lead_name) = lower($q) or lower(company_name) = lower($q)
                or lower(account_id) = lower($q) then 1
            else 2
        end as match_rank,
    from people
    where contains(lower(lead_id), lower($q))
        or contains(lower(coalesce(lead_name, '')), lower($q))
        or contains(lower(coalesce(email, '')), lower($q))
        or contains(lower(coalesce(company_name, '')), lower($q))
        or contains(lower(coalesce(account_id, '')), lower($q))
),

final as (
    select * exclude (match_rank)
    from matched
    order by match_rank, lead_name, lead_id
    limit $limit
)

select * from final;
