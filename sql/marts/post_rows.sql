-- grain: one establishment post per validity interval; valid_until is the inclusive last day
select
    *,
    coalesce(valid_to, date '9999-12-31') as valid_until,
    tier in ('director', 'assistant_director', 'head_of_service', 'team_manager') as is_management
from stg_posts
