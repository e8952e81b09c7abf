"""The signed-in user's Access (reporting/access.py) for this run. The rules are read here; they are enforced
in reporting.source.DataSource, which dashboard/data.py builds with the Access returned by current_access()."""

from pathlib import Path

import streamlit as st

from dashboard import sign_in
from pipelines.errors import UsageError
from reporting.access import NO_ACCESS, OPEN_ACCESS, Access, AccessRules, load_rules, rules_path


@st.cache_resource(max_entries=4, show_spinner=False)
def _rules(path: str, mtime_ns: int) -> AccessRules:
    return load_rules(path)


def rules() -> AccessRules:
    """The access rules, read again whenever the file changes (no restart needed to grant or remove access)."""
    path = rules_path()
    return _rules(str(path), Path(path).stat().st_mtime_ns if Path(path).exists() else 0)


def current_access() -> Access | None:
    """Everything in open local mode; in sign-in mode the first matching rule, or None (no rule: the user sees
    who to ask). Raises UsageError when the rules file is wrong, so nobody sees figures on a guess."""
    if sign_in.mode() == "open":
        return OPEN_ACCESS
    claims = sign_in.user_claims()
    if claims is None:
        return None
    return rules().for_user(claims)


def access_or_nothing() -> Access:
    """For the data source: the user's Access, or one that sees nothing (never everything by mistake)."""
    try:
        return current_access() or NO_ACCESS
    except UsageError:
        return NO_ACCESS
