-- grain: one kind of extract with data-quality warnings: how many, and the dates they span
select kind, count(*) as warnings, min(day) as first_day, max(day) as last_day
from data_quality_warnings
group by kind
order by kind
