"""Who may see what: the access rules of data/access.toml, and the Access a signed-in user is given.

The rules are read here (the command line checks them: `python -m pipelines access check`) and enforced in
one place only, reporting.source.DataSource, which every chart, table, download, image, Word pack and
benchmark comparison goes through (reporting/access.py says who may ask what). Pages never decide access.

Rules are tried in file order and the first one that matches the user wins, so put the narrowest first.
A rule matches on the user's e-mail, on one of their `groups` claims or on one of their `roles` claims
(Entra ID app roles are preferred to groups: Entra leaves the groups claim out above 200 groups)."""

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipelines.errors import UsageError

ACCESS_ENV = "WFS_ACCESS"
DEFAULT_RULES = Path(__file__).resolve().parent.parent / "data" / "access.toml"

ADMIN, MANAGER, VIEWER = "admin", "manager", "viewer"
ROLES = (ADMIN, MANAGER, VIEWER)
ROLE_WORDS = {ADMIN: "admin (HR analytics)", MANAGER: "manager", VIEWER: "viewer (publication figures only)"}
ALL_UNITS = "all"
RULE_KEYS = {"name", "access", "units", "emails", "groups", "roles", "internal_exports"}
DEFAULT_ASK = "the HR analytics team that runs Workforce Stability"


@dataclass(frozen=True)
class Access:
    """What one user may see. units None: the whole service; else these unit ids and everything below them,
    as the structure stood on the as-at date."""

    role: str
    units: tuple[str, ...] | None
    internal_exports: bool
    rule: str  # the rule's name, for the audit log and the sidebar

    @property
    def whole_service(self) -> bool:
        return self.units is None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def publication_only(self) -> bool:
        """Viewers see small numbers suppressed on screen too, and may only export for publication."""
        return self.role == VIEWER

    @property
    def may_export_internal(self) -> bool:
        return self.role == ADMIN or (self.role == MANAGER and self.internal_exports)

    def allowed_mode(self, mode: str) -> str:
        """The export mode this user gets when asking for `mode`: internal only where the rule allows it."""
        return mode if mode != "internal" or self.may_export_internal else "publication"

    @property
    def scope_words(self) -> str:
        return "all units" if self.units is None else ", ".join(self.units) + " and the units below"


# Open local mode (sign-in off): one analyst on their own machine, or the demo; everything is visible.
OPEN_ACCESS = Access(ADMIN, None, True, "sign-in off")
# A signed-in user with no rule, or a rules file that cannot be read: no unit, no admin page, nothing.
NO_ACCESS = Access(VIEWER, (), False, "no access")


@dataclass(frozen=True)
class Rule:
    name: str
    access: Access
    emails: frozenset[str]
    groups: frozenset[str]
    roles: frozenset[str]

    def matches(self, claims: dict) -> bool:
        email = user_email(claims).lower()
        return (bool(email) and email in self.emails) or bool(self.groups & _claim_set(claims, "groups")) \
            or bool(self.roles & _claim_set(claims, "roles"))


@dataclass(frozen=True)
class AccessRules:
    rules: tuple[Rule, ...]
    ask: str  # who a signed-in user with no rule should ask
    source: str

    def for_user(self, claims: dict) -> Access | None:
        """The first rule that matches the signed-in user's claims, or None (they see who to ask)."""
        for rule in self.rules:
            if rule.matches(claims):
                return rule.access
        return None

    def unit_ids(self) -> set[str]:
        return {unit for rule in self.rules for unit in (rule.access.units or ())}


def user_email(claims: dict) -> str:
    """The e-mail an identity provider gives: `email`, else Entra's `preferred_username` or `upn`."""
    for key in ("email", "preferred_username", "upn"):
        value = claims.get(key)
        if isinstance(value, str) and "@" in value:
            return value.strip()
    return ""


def _claim_set(claims: dict, key: str) -> set[str]:
    value = claims.get(key)
    if isinstance(value, str):
        return {value}
    if isinstance(value, (list, tuple)):
        return {str(v) for v in value}
    return set()


def rules_path(path: str | Path | None = None) -> Path:
    return Path(path or os.environ.get(ACCESS_ENV) or DEFAULT_RULES)


def load_rules(path: str | Path | None = None) -> AccessRules:
    """The rules file; no file means no rules (every signed-in user sees who to ask). A file that cannot be
    read as rules raises UsageError in words, so the app shows no figures rather than guess."""
    source = rules_path(path)
    if not source.exists():
        return AccessRules((), DEFAULT_ASK, str(source))
    try:
        doc = tomllib.loads(source.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UsageError(f"The access rules file {source} is not readable TOML ({error}).") from None
    unknown = set(doc) - {"ask", "rule"}
    if unknown:
        raise UsageError(f"The access rules file {source} has unknown setting(s): {', '.join(sorted(unknown))} "
                         "(expected `ask` and [[rule]] tables).")
    ask = doc.get("ask", DEFAULT_ASK)
    if not isinstance(ask, str) or not ask.strip():
        raise UsageError(f"The access rules file {source}: `ask` must say who to ask for access, in words.")
    entries = doc.get("rule", [])
    if not isinstance(entries, list):
        raise UsageError(f"The access rules file {source}: rules are written as [[rule]] tables.")
    return AccessRules(tuple(_rule(entry, number, source) for number, entry in enumerate(entries, 1)),
                       ask.strip(), str(source))


def _strings(entry: dict, key: str, where: str) -> frozenset[str]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise UsageError(f"{where}: `{key}` must be a list of texts.")
    return frozenset(v.strip().lower() if key == "emails" else v.strip() for v in value)


def _rule(entry, number: int, source: Path) -> Rule:
    where = f"The access rules file {source}, rule {number}"
    if not isinstance(entry, dict):
        raise UsageError(f"{where}: a rule is a [[rule]] table.")
    unknown = set(entry) - RULE_KEYS
    if unknown:
        raise UsageError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (expected "
                         f"{', '.join(sorted(RULE_KEYS))}).")
    name = entry.get("name", f"rule {number}")
    role = entry.get("access")
    if role not in ROLES:
        raise UsageError(f"{where}: `access` must be one of {', '.join(ROLES)}.")
    emails, groups, roles = (_strings(entry, key, where) for key in ("emails", "groups", "roles"))
    if not (emails or groups or roles):
        raise UsageError(f"{where}: says nobody it applies to (give `emails`, `groups` or `roles`).")
    internal = entry.get("internal_exports", role == ADMIN)
    if not isinstance(internal, bool):
        raise UsageError(f"{where}: `internal_exports` must be true or false.")
    units = entry.get("units")
    if role == ADMIN:
        if units not in (None, ALL_UNITS):
            raise UsageError(f"{where}: an admin sees every unit; leave `units` out.")
        chosen = None
    elif units == ALL_UNITS:
        chosen = None
    else:
        chosen = tuple(sorted(_strings(entry, "units", where))) if units is not None else ()
        if not chosen:
            raise UsageError(f"{where}: a {role} needs `units` (unit ids from the org_units extract, "
                             'or "all" for the whole service).')
    if role == VIEWER and internal:
        raise UsageError(f"{where}: a viewer only ever sees publication figures; remove `internal_exports`.")
    return Rule(str(name), Access(role, chosen, bool(internal), str(name)), emails, groups, roles)
