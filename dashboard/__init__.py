"""Streamlit helpers: data access with caching, shared filters, charts, and page components."""
