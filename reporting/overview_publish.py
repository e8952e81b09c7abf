"""The overview cards in publication mode: what each card is 'based on' in words, written so that no count of
1 to 4 people can be read or worked out, and the card's value hidden ('c') when it rests on such a count
(the same rule as every published table; see reporting/suppression.py)."""

from reporting.suppression import is_small

NOT_PUBLISHED = "a number not published (small numbers)"


def _get(row, name):
    return getattr(row, name)  # a metric row: a named tuple or a pandas Series


def _words(value, hidden: bool) -> str:
    if not hidden:
        return f"{value:,}"
    return "fewer than 5" if is_small(value) else NOT_PUBLISHED


def _fte(value) -> str:
    return "—" if value is None else f"{value:,.1f}"


def part_of_whole_hidden(part: int, whole: int) -> bool:
    """A share of people (cover among holders, stayers among staff) rests on small numbers when the part, the
    rest (whole minus part: permanent holders, leavers) or the whole is 1 to 4 people."""
    return is_small(part) or is_small(whole - part) or is_small(whole)


def turnover_hidden(leavers: int, avg_headcount: float) -> bool:
    return is_small(leavers) or is_small(avg_headcount)


def published_basis(card) -> tuple[str, bool]:
    """(the 'Based on' words, whether the card's value must be hidden) for publication."""
    row = card.basis
    if row is None:
        return card.note or card.denominator, False
    key = card.key
    if key in ("interim_ratio", "stability"):
        part, whole = (("cover_headcount", "occupied_headcount") if key == "interim_ratio"
                       else ("stable", "headcount_start"))
        p, w = int(_get(row, part)), int(_get(row, whole))
        # whole minus part counts people too (permanent holders; leavers), so a small difference hides the part
        hide_part, hide_whole = part_of_whole_hidden(p, w), is_small(w)
        if key == "interim_ratio":
            text = f"{_words(p, hide_part)} of {_words(w, hide_whole)} people in management posts are cover"
            if not hide_part:
                text += f" ({_fte(_get(row, 'cover_fte'))} of {_fte(_get(row, 'occupied_fte'))} FTE)"
        else:
            text = f"{_words(p, hide_part)} of {_words(w, hide_whole)} staff in post a year earlier stayed"
        return text, hide_part or hide_whole
    if key == "turnover":
        leavers, base = int(_get(row, "leavers")), float(_get(row, "avg_headcount"))
        hide = turnover_hidden(leavers, base)
        base_words = "fewer than 5" if is_small(base) else f"{base:,.1f}"
        return f"{_words(leavers, is_small(leavers))} leavers over an average headcount of {base_words}", hide
    if key == "agency_rate":
        agency = float(_get(row, "agency_fte"))
        # no headcount is shown beside the agency FTE, so below 5 it stands for a small count of people
        if is_small(agency):
            return "fewer than 5 agency FTE", True
        return card.denominator, False
    if key == "median_days_to_fill":
        filled = int(_get(row, "filled"))  # a filled vacancy is an appointment of a person; empty posts are posts
        return (f"{_words(filled, is_small(filled))} vacancies filled in 12 months; {_get(row, 'open')} open, "
                f"{_get(row, 'open_over_180_days')} of them over 180 days"), False
    if key == "caseload":
        over = int(_get(row, "over_threshold"))
        if is_small(over):
            return card.denominator.rsplit(";", 1)[0] + "; fewer than 5 above the caseload threshold", False
    return card.denominator, False
