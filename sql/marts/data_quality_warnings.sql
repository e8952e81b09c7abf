-- grain: one warning about loaded data that is valid but worth checking (no row is held back for it)
with unit_lifetimes as (
    select series_key as unit_id, island_from, island_to from interval_islands where series = 'unit_exists'
),
post_lifetimes as (
    select series_key as post_id, island_from, island_to from interval_islands where series = 'post_exists'
),
unit_gaps as (
    select unit_id, valid_from, lag(valid_until) over (partition by unit_id order by valid_from) as previous_until
    from unit_rows
),
post_gaps as (
    select post_id, valid_from, lag(valid_until) over (partition by post_id order by valid_from) as previous_until
    from post_rows
)
select 'org_units' as kind, r.unit_id as subject, r.valid_from as day,
    'parent ' || r.parent_unit_id || ' has no row valid on ' || strftime(r.valid_from, '%Y-%m-%d')
        || ', when this row of ' || r.unit_id || ' starts' as message
from unit_rows as r
where r.parent_unit_id is not null and not exists (
    select 1 from unit_rows as p
    where p.unit_id = r.parent_unit_id and r.valid_from between p.valid_from and p.valid_until)
union all
select 'org_units', r.unit_id, l.island_to + 1,
    'parent ' || r.parent_unit_id || ' stops existing after ' || strftime(l.island_to, '%Y-%m-%d')
        || ' while this row of ' || r.unit_id || ' is still valid'
from unit_rows as r
join unit_lifetimes as l
    on l.unit_id = r.parent_unit_id and r.valid_from between l.island_from and l.island_to
where l.island_to < r.valid_until
union all
select 'org_units', unit_id, previous_until + 1,
    'no row of ' || unit_id || ' is valid from ' || strftime(previous_until + 1, '%Y-%m-%d')
        || ' to ' || strftime(valid_from - 1, '%Y-%m-%d') || ' (a gap between two rows)'
from unit_gaps where previous_until + 1 < valid_from
union all
-- one warning per loop and date range (each of its units has the same row in unit_cycles)
select distinct 'org_units', split_part(cycle_units, ', ', 1), cycle_from,
    case when cycle_units like '%, %'
         then 'units ' || regexp_replace(cycle_units, ', ([^,]*)$', ' and \1') || ' are each other''s parents in a loop'
         else 'unit ' || cycle_units || ' is its own parent' end
        || ' from ' || strftime(cycle_from, '%Y-%m-%d')
        || case when cycle_to = date '9999-12-31' then ' onwards' else ' to ' || strftime(cycle_to, '%Y-%m-%d') end
        || case when cycle_units like '%, %' then '; on those days each is treated as a top unit (its parent is ignored)'
                else '; on those days it is treated as a top unit' end
from unit_cycles
union all
select 'posts', post_id, previous_until + 1,
    'no row of post ' || post_id || ' is valid from ' || strftime(previous_until + 1, '%Y-%m-%d')
        || ' to ' || strftime(valid_from - 1, '%Y-%m-%d') || ' (a gap between two rows)'
from post_gaps where previous_until + 1 < valid_from
union all
select 'assignments', a.assignment_id, a.start_date,
    'assignment ' || a.assignment_id || ' runs on days when post ' || a.post_id
        || ' has no valid row; it is not counted on those days'
from stg_assignments as a
where not exists (
    select 1 from post_lifetimes as l
    where l.post_id = a.post_id and a.start_date >= l.island_from
        and coalesce(a.end_date, date '9999-12-31') <= l.island_to)
union all
select 'caseloads', null, snapshot_date,
    cast(count(*) as varchar) || ' caseload row(s) on ' || strftime(snapshot_date, '%Y-%m-%d')
        || ' are for people with no assignment active that day; they are counted as unmatched'
from caseload_matches
where not is_matched
group by snapshot_date
union all
-- an agency engagement row running outside the assignment it fills: those days are costed all the same
select 'agency_engagements', e.engagement_id, e.valid_from,
    'engagement ' || e.engagement_id || ' has a row from ' || strftime(e.valid_from, '%Y-%m-%d')
        || ' that runs outside the dates of its assignment ' || e.assignment_id
        || '; its days outside them are still counted in the cost of cover'
from stg_agency_engagements as e
join stg_assignments as a on a.assignment_id = e.assignment_id
where e.valid_from < a.start_date
    or coalesce(e.valid_to, date '9999-12-31') > coalesce(a.end_date, date '9999-12-31')
union all
select kind, subject, day, message
from read_warnings
