"""Workforce Stability pipelines: read HR extracts, validate, load DuckDB, compute metrics."""
