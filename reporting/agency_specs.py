"""Agency chart specs (the page, stamped exports and the Word pack's Agency section draw the same ones).

The pack carries counts and pounds, never the list of engagements: an engagement id with its unit and
job type can point at one worker, so that list stays on the dashboard."""

import pandas as pd
import plotly.graph_objects as go

from reporting import agency as vm
from reporting import charts
from reporting.chart_spec import ChartSpec
from reporting.filters import Filters
from reporting.source import DataSource
from reporting.suppression import INTERNAL, is_small

RESULT_COLOURS = {"Breach": "#D55E00", "Unknown": "#8A6100", "Exempt": "#5C5C5C", "Pass": "#007A5E"}
RESULT_PATTERNS = {"Breach": "x", "Unknown": ".", "Exempt": "/", "Pass": ""}


def rule_counts_spec(current: Filters, counts: pd.DataFrame) -> ChartSpec:
    title = f"Agency engagements by rule and result, as at {current.as_at:%d %b %Y}"

    def draw(table: pd.DataFrame) -> go.Figure:
        fig = go.Figure()
        rules = [c for c in table.columns if c != "Result"]
        for _, row in table[table["Result"] != vm.ACTIVE].iterrows():
            values = [row[rule] for rule in rules]
            fig.add_trace(go.Bar(y=rules, x=values, name=row["Result"], orientation="h",
                                 marker={"color": RESULT_COLOURS[row["Result"]],
                                         "pattern": {"shape": RESULT_PATTERNS[row["Result"]]}},
                                 text=[("" if v is None or pd.isna(v) else f"{v:.0f}") for v in values],
                                 textposition="inside"))
        charts.base_layout(fig, title, x_title="Engagements active on the as-at date")
        fig.update_layout(barmode="stack")
        fig.update_yaxes(autorange="reversed", rangemode=None)
        return fig

    return ChartSpec(name=f"agency-rules-{current.as_at:%Y-%m-%d}", title=title, table=counts, draw=draw,
                     rules=vm.RULE_COUNT_RULES, metric="agency_rules",
                     alt_text="Stacked bars, one per rule, of engagements that breach, lack evidence, are exempt or pass.")


def quarterly_breaches_spec(current: Filters, table: pd.DataFrame) -> ChartSpec:
    title = f"Agency engagements breaching each rule at quarter ends, {vm.rules_start():%b %Y} to {current.as_at:%b %Y}"

    def draw(shown: pd.DataFrame) -> go.Figure:
        plotted = shown.assign(**{"Quarter end": pd.to_datetime(shown["Quarter end"])})
        fig = charts.line_chart(plotted, "Quarter end", "Engagements with a breach", "Rule", title,
                                "Engagements with a breach")
        fig.update_yaxes(rangemode="tozero", dtick=1 if (pd.to_numeric(shown["Engagements with a breach"],
                                                                        errors="coerce").max() or 0) <= 8 else None)
        return fig

    return ChartSpec(name=f"agency-breaches-by-quarter-{current.as_at:%Y-%m-%d}", title=title, table=table,
                     draw=draw, rules=vm.QUARTER_RULES, metric="agency_rules")


def _cost_figure(table: pd.DataFrame, label: str, title: str, horizontal: bool) -> go.Figure:
    fig = go.Figure()
    for index, column in enumerate(("Agency cost (£)", "Permanent equivalent (£)")):
        values, names = table[column], table[label]
        fig.add_trace(go.Bar(
            x=values if horizontal else names, y=names if horizontal else values, name=column.removesuffix(" (£)"),
            orientation="h" if horizontal else "v",
            marker={"color": charts.PALETTE[index], "pattern": {"shape": ["", "/"][index]}},
            hovertemplate="%{y}: £%{x:,.0f}<extra></extra>" if horizontal else "%{x}: £%{y:,.0f}<extra></extra>"))
    charts.base_layout(fig, title, y_title="" if horizontal else "£", x_title="£" if horizontal else "")
    fig.update_layout(barmode="group")
    if horizontal:
        fig.update_yaxes(autorange="reversed", rangemode=None)
        fig.update_layout(height=max(360, 44 * len(table) + 170))  # two bars a row, every label readable
    return fig


def cost_month_spec(current: Filters, table: pd.DataFrame) -> ChartSpec:
    title = f"Agency cover cost and the same hours from our own staff, by month, {current.period_from:%b %Y} to " \
            f"{current.as_at:%b %Y}"
    return ChartSpec(name=f"agency-cost-by-month-{current.as_at:%Y-%m-%d}", title=title, table=table,
                     draw=lambda shown: _cost_figure(shown, "Month", title, horizontal=False), rules=vm.COST_RULES,
                     metric="agency_cost")


def cost_group_spec(current: Filters, table: pd.DataFrame, by: str) -> ChartSpec:
    label = table.columns[0]
    title = f"Agency cover cost by {label.lower()}, {current.period_from:%b %Y} to {current.as_at:%b %Y}"
    return ChartSpec(name=f"agency-cost-by-{by}-{current.as_at:%Y-%m-%d}", title=title, table=table,
                     draw=lambda shown: _cost_figure(shown, label, title, horizontal=True), rules=vm.COST_RULES,
                     metric="agency_cost")


def pack_specs(src: DataSource, current: Filters, mode: str) -> list[ChartSpec]:
    """The Word pack's Agency section: the committee's sentence, rule results now, breaches by quarter,
    and the cost by month and unit. Empty (the section says so) when no engagements are loaded."""
    sentence = vm.committee_sentence(src, current)
    judged = vm.compliance_on(src, current)
    months = vm.cost_by_month(src, current)
    if sentence.row["engagements"] == 0 and judged.empty and (months.empty or months["Engagements"].sum() == 0):
        return []
    specs = []
    monthly = cost_month_spec(current, months)
    monthly.summary = sentence.text(mode)
    specs.append(monthly)
    if not judged.empty:
        counts = rule_counts_spec(current, vm.rule_counts(judged))
        breaches = int(judged["any_breach"].sum())
        shown = "fewer than 5" if mode != INTERNAL and is_small(breaches) else f"{breaches:,}"
        active = "fewer than 5" if mode != INTERNAL and is_small(len(judged)) else f"{len(judged):,}"
        counts.summary = (f"On {current.as_at:%d %B %Y}, {active} agency "
                          f"{'engagement was' if active == '1' else 'engagements were'} active; {shown} of them "
                          "breached at least one of DfE's rules on agency social workers.")
        specs.append(counts)
    quarterly = vm.breaches_by_quarter(src, current)
    if len(quarterly):
        specs.append(quarterly_breaches_spec(current, quarterly))
    by_unit = vm.cost_by(src, current, "unit")
    if len(by_unit):
        specs.append(cost_group_spec(current, by_unit, "unit"))
    return specs
