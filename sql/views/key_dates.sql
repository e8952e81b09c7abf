-- grain: one key date (inspection, leadership change, restructure) inside $date_from..$date_to
select event_date, label, category
from stg_key_dates
where event_date between $date_from and $date_to
order by event_date, label
