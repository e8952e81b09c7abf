-- grain: one problem that held a row back in the latest load (a row with two problems appears twice).
-- row_values is never selected, and person ids quoted in a reason (a repeated caseload row names
-- its person_id) are masked: only where the problem is and why reach the page.
-- $kind: one kind of extract, or null for every kind.
select
    kind,
    file_name,
    row_number,
    column_name,
    case
        when column_name = 'person_id' then regexp_replace(reason, '''[^'']*''', '(value not shown)', 'g')
        else reason
    end as reason
from (
    select kind, file_name, row_number, column_name,
        regexp_replace(reason, 'person_id [^ ,;]+', 'person_id (not shown)', 'g') as reason
    from load_quarantine
    where load_id = (select max(load_id) from loads)
) as q
where $kind is null or kind = $kind
order by kind, file_name, row_number, column_name
