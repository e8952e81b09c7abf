"""The scope macros query unit_ancestry inside a subquery, where a caller's bare column name binds to
unit_ancestry's own column if it has one of that name: the unit scope was once silently ignored that
way. unit_ancestry's column names must therefore appear in no other table."""

import duckdb


def test_unit_ancestry_shares_no_column_name_with_any_other_table(fixture_db):
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        rows = con.execute("select table_name, column_name from information_schema.columns").fetchall()
    ancestry = {column for table, column in rows if table == "unit_ancestry"}
    elsewhere = {column for table, column in rows if table != "unit_ancestry"}
    assert ancestry == {"descendant_id", "ancestor_id", "ancestry_from", "ancestry_to"}
    assert not ancestry & elsewhere
