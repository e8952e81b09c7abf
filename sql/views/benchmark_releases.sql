-- grain: one row per DfE file imported (kind, file, checksum, when, latest reporting year), newest first
select kind, file_name, sha256, imported_at, latest_time_period, row_count
from dfe_releases
order by imported_at desc, kind
