"""The dashboard's side of the audit trail (pipelines/audit.py): page views, downloads and Word packs.

Recording never stands in a reader's way: when the log cannot be written (a read-only disk, a full one)
the dashboard goes on working and says so once per session.

Downloads are recorded when the file is actually made. Every download button gets its data as a callable
(`recorded(...)`), which Streamlit runs when the button is clicked, in its own thread and outside any
script run; the callable builds the file, then appends the entry. So a download needs no rerun
(on_click stays "ignore"), each click is one entry, and a page drawn but never downloaded from records
nothing. A callback (on_click=callable) would also see every click, but costs a full rerun of the page per
download.
"""

from datetime import UTC, date, datetime

import pandas as pd
import streamlit as st

from dashboard import sign_in
from pipelines import audit
from reporting.filters import Filters

EVENTS = audit.EVENTS
PROBLEM_KEY, WARNED_KEY, LAST_VIEW_KEY = "audit_problem", "audit_warned", "audit_last_view"


NOT_SIGNED_IN = {"user_email": "not signed in", "user_subject": "none", "role": "not signed in", "scope": "nothing"}


def identity() -> dict:
    """Who is using the dashboard: e-mail, subject id, role and scope. In open local mode everyone is the
    same local user; with sign-in on, the signed-in user's e-mail and subject id (the provider's stable id), and
    the role and units their access rule gives them (reporting/access.py)."""
    from dashboard import access_control
    from reporting.access import NO_ACCESS, ROLE_WORDS

    if sign_in.mode() == "open":
        return dict(audit.OPEN_MODE)
    claims = sign_in.user_claims()
    if claims is None:  # the sign-in screen records nothing; a safe answer all the same
        return dict(NOT_SIGNED_IN)
    access = access_control.access_or_nothing()
    role, scope = (("no access rule", "nothing") if access is NO_ACCESS else
                   (ROLE_WORDS.get(access.role, access.role), access.scope_words))
    return {"user_email": sign_in.email_of(claims), "user_subject": str(claims.get("sub") or "unknown"),
            "role": role, "scope": scope}


def _issued_at(claims: dict) -> str | None:
    """When the provider signed the user in: the identity token's issue time, in UTC."""
    issued = claims.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, (int, float)):
        return None
    return datetime.fromtimestamp(issued, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_in(claims: dict) -> None:
    """Record sign_in once per sign-in. Streamlit keeps the identity in a cookie, so every new tab or reload
    of a signed-in browser starts a new session without signing in again: the identity token's issue time
    tells a new sign-in from a returning one, and the log itself remembers which ones are recorded (across
    restarts and replicas). Without an issue time, once per session."""
    who = identity()
    issued = _issued_at(claims)
    if issued is not None:
        try:
            earlier = audit.read(user=who["user_subject"], event="sign_in",
                                 date_from=datetime.fromisoformat(issued).date())
        except audit.AuditUnavailable:
            earlier = []  # recording will fail too, and say so
        if any(entry.details.get("signed_in_at") == issued for entry in earlier):
            return
    problem = _record("sign_in", who, {"signed_in_at": issued} if issued else {})
    if problem:
        st.session_state[PROBLEM_KEY] = problem


def signed_out() -> None:
    problem = _record("sign_out", identity(), {})
    if problem:
        st.session_state[PROBLEM_KEY] = problem


def filter_details(current: Filters) -> dict:
    """The filter set in words an auditor can read back: unit id, dates, period, tiers, mode."""
    from dashboard.filters import export_mode as allowed_export_mode  # filters records through this module

    details = {"unit": current.unit or "whole service", "as_at": current.as_at, "period_months": current.months,
               "tiers": list(current.tiers), "social_work_only": current.social_work_only,
               "export_mode": allowed_export_mode()}
    if current.start is not None:
        details["period_from"] = current.start
    return details


def _record(event: str, who: dict, details: dict) -> str | None:
    """Append one entry; the problem in words when the log cannot be written, else None."""
    try:
        audit.record(event, **who, details=details)
    except audit.AuditUnavailable as problem:
        return str(problem)
    return None


def page_view(page, current: Filters) -> None:
    """One page_view per page and filter set: a rerun that changes neither (a chart's tab, a table's row
    selection, a download) records nothing. Coming back to a page after another one records it again."""
    details = {"page": page.title, "url_path": page.url_path or "overview", **filter_details(current)}
    key = tuple(sorted((k, str(v)) for k, v in details.items()))
    if st.session_state.get(LAST_VIEW_KEY) == key:
        return
    st.session_state[LAST_VIEW_KEY] = key
    problem = _record("page_view", identity(), details)
    if problem:
        st.session_state[PROBLEM_KEY] = problem


def refused(page) -> None:
    """A page view refused because the address asked for a unit outside the user's access: worth an entry."""
    from dashboard.filters import REFUSED_KEY

    details = {"page": page.title, "url_path": page.url_path or "overview", "refused": "unit outside access",
               "unit": st.session_state.get(REFUSED_KEY)}
    problem = _record("page_view", identity(), details)
    if problem:
        st.session_state[PROBLEM_KEY] = problem


def warn_if_unavailable() -> None:
    """Say once per session that the audit log cannot be written; the dashboard works on regardless."""
    problem = st.session_state.get(PROBLEM_KEY)
    if problem and not st.session_state.get(WARNED_KEY):
        st.session_state[WARNED_KEY] = True
        st.warning(f"{problem} The dashboard works as normal, but page views and downloads are not being "
                   "recorded. Please tell whoever runs the dashboard.", icon=":material/history_toggle_off:")


def recorded(make, event: str = "download", **details):
    """The data for st.download_button: a callable that makes the file (from `make`, bytes or a callable),
    then records `event` with `details` (chart or table name, format, mode, file name; sections for a pack).
    The user is taken now, while the page is drawn; the entry is written when the file is made."""
    who = identity()
    audit.clean_details(details)  # a wrong detail fails while the page is drawn, not silently on a click

    def build():
        content = make() if callable(make) else make
        _record(event, who, details)  # a log that cannot be written never stops the download
        return content

    return build




def audit_entries(user: str | None, date_from: date | None, date_to: date | None,
                  event: str | None) -> pd.DataFrame:
    """The Audit page's data: admins only (and everyone in open local mode, where everyone is the admin)."""
    from dashboard import access_control
    from reporting.access import ADMIN_ONLY, OutOfScope

    sign_in.stop_unless_signed_in()  # the entries name people: the same door as the workforce data
    if not access_control.access_or_nothing().is_admin:
        raise OutOfScope(ADMIN_ONLY)
    entries = audit.read(user=user, date_from=date_from, date_to=date_to, event=event)
    return pd.DataFrame({
        "Time (UTC)": [e.at_utc.strftime("%Y-%m-%d %H:%M:%S") for e in entries],
        "User": [e.user_email for e in entries],
        "Subject id": [e.user_subject for e in entries],
        "Role": [e.role for e in entries],
        "Scope": [e.scope for e in entries],
        "Event": [e.event for e in entries],
        "Details": [audit.details_words(e.details) for e in entries],
    })


def audit_users() -> list[str]:
    from dashboard import access_control

    sign_in.stop_unless_signed_in()
    return audit.users() if access_control.access_or_nothing().is_admin else []


def log_problem() -> str | None:
    """Why the audit log cannot be written, if it cannot (tried now, without adding an entry)."""
    try:
        audit.check_writable()
    except audit.AuditUnavailable as problem:
        return str(problem)
    return None
