-- grain: one establishment post per validity interval, as extracted (typed; open end = null)
select
    post_id,
    post_title,
    unit_id,
    grade,
    tier,
    cast(social_work_post as boolean) as social_work_post,
    cast(budgeted_fte as decimal(18, 8)) as budgeted_fte,
    cast(valid_from as date) as valid_from,
    cast(valid_to as date) as valid_to
from raw_posts
