-- grain: one data-quality warning about loaded data (the rows loaded, but are worth checking).
-- $kind: one kind of extract, or null for every kind.
select kind, subject, day, message
from data_quality_warnings
where $kind is null or kind = $kind
order by kind, day, subject
