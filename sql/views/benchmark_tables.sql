-- grain: one row per DfE benchmark table present in the database (none before the first import), with its rows
select table_name, estimated_size as row_count
from duckdb_tables()
where table_name in ('dfe_indicators', 'dfe_statistical_neighbours', 'dfe_cla_sw_count', 'dfe_releases')
order by table_name
