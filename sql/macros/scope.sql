-- Scope and grouping shared by every metric (METRICS.md "Scope" and "Grouping").
-- A post row judged on day d is in scope when its unit is in the chosen unit's subtree on d,
-- its tier is among the chosen tiers, and (if asked) it is a social-work post.
create or replace macro in_unit_scope(unit, day, scope_unit) as
    scope_unit is null or exists (
        select 1 from unit_ancestry as x
        where x.descendant_id = unit and x.ancestor_id = scope_unit and day between x.ancestry_from and x.ancestry_to
    );

create or replace macro in_scope(unit, day, tier, social_work_post, scope_unit, scope_tiers, social_work_only) as
    in_unit_scope(unit, day, scope_unit)
    and (scope_tiers is null or list_contains(scope_tiers, tier))
    and (not social_work_only or social_work_post);

create or replace macro group_of(by_name, grade, tier, unit) as
    case by_name when 'grade' then grade when 'tier' then tier when 'unit' then unit else 'all' end;
