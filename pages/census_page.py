"""Census returns: what the authority's DfE workforce census returns tell, by year and by role."""

import streamlit as st

from dashboard import census_blocks, components, data
from reporting import census as vm

src = data.source()
st.title("Census returns")
st.markdown(f"*{components.QUESTIONS['census']}*")
if not vm.has_returns(src):
    components.empty_state("No census returns have been loaded into this database. Import the XML returns your "
                           "authority sent DfE (one per year): `python -m pipelines census import FILE.xml "
                           f"[FILE.xml ...] --db {src.path}`. See docs/CENSUS.md.")
    st.stop()

years = vm.years(src)
left, right = st.columns(2)
year = left.selectbox("Census year (to 30 September)", list(reversed(years)), key="census_year")
role = right.selectbox("Role", vm.role_choices(src), format_func=vm.role_label, key="census_role",
                       help="The worker's role as recorded in the census return: senior manager, middle manager, first line manager, "
                            "senior practitioner, case holder, or qualified without cases.")
scope = f"Whole authority, year to 30 September {year}, {vm.role_label(role).lower()}"
st.caption(f"{vm.SOURCE_WORDS}, as at 30 September {year} (the census date). Returns cover the whole authority, "
           "so the unit, tier and social-work filters of the HR pages do not apply. Rates follow DfE's definitions, "
           "rounded half up to one decimal place as DfE publishes them.")

figures = vm.figures_table(src, role)
this_year = figures[figures["Year to 30 Sep"] == year]
if len(this_year):
    row = this_year.iloc[0]
    with st.container(horizontal=True, gap="medium"):
        st.metric("In post (census return)", f"{int(row['In post (headcount)']):,} people", border=True,
                  help=f"{row['In post (FTE)']} FTE; non-agency workers with no leaving date inside the year.")
        st.metric("Turnover (census return)", vm.shown(row["Turnover (FTE, %)"], "%"), border=True,
                  help="Leavers' FTE over FTE in post on 30 September.")
        st.metric("Agency rate (census return)", vm.shown(row["Agency rate (FTE, %)"], "%"), border=True,
                  help="Agency FTE over agency plus in-post FTE on 30 September.")
        st.metric("Caseload (census return)", vm.shown(row["Caseload (cases per FTE)"], " cases per FTE"), border=True,
                  help="Cases held on 30 September over the FTE of the workers holding them (agency included).")
        st.metric("Absence rate (census return)", vm.shown(row["Absence rate (%)"], "%"), border=True,
                  help="Working days lost over FTE in post times 253 working days.")

st.subheader("Figures by year")
census_blocks.chart_block(vm.figures_spec(src, role), f"Whole authority, every census year, "
                                                      f"{vm.role_label(role).lower()}")

st.subheader(f"By role, year to 30 September {year}")
census_blocks.chart_block(vm.roles_spec(src, year), f"Whole authority, year to 30 September {year}, every role",
                          note="Roles as recorded in the census return. Vacancies are returned for the whole "
                               "authority only, so there is no vacancy rate by role.")

st.subheader(f"Starters and leavers, year to 30 September {year}")
starters = vm.starters_by_origin(src, year, role)
if starters.empty:
    components.empty_state("No starters in this return for this role.")
else:
    census_blocks.chart_block(vm.count_spec(f"census-starters-{year}", f"Starters by where they came from, year to "
                                                                       f"30 September {year}", starters, "Starters"),
                              scope)
for what, title in (("reason", "Leavers by reason for leaving"), ("destination", "Leavers by where they went")):
    table = vm.leavers_by(src, year, what, role)
    if table.empty:
        components.empty_state("No leavers in this return for this role.")
        break
    census_blocks.chart_block(vm.count_spec(f"census-leavers-{what}-{year}", f"{title}, year to 30 September {year}",
                                            table, "Leavers"), scope)
to_agency = vm.leavers_to_agency(src, year, role)
st.markdown(f"**{to_agency:,}** of the leavers went to agency or consultancy social work in England.")

st.subheader(f"Caseloads on 30 September {year}")
spread = vm.caseload_spread(src, year, role)
if spread.empty:
    components.empty_state("No worker in post held cases on the census date for this role.")
else:
    census_blocks.chart_block(vm.count_spec(f"census-caseloads-{year}", f"Case holders by cases held, 30 September "
                                                                        f"{year}", spread, "Case holders"), scope,
                              note="Workers in post, agency included, holding 1 case or more.")

st.subheader(f"Length of service on 30 September {year}")
service = vm.length_of_service(src, year, role)
if service.empty:
    components.empty_state("No non-agency worker in post for this role.")
else:
    census_blocks.chart_block(vm.count_spec(f"census-service-{year}", f"Time in the role, 30 September {year}",
                                            service, "Workers in post"), scope,
                              note="From the day they started in their role to the census date; non-agency workers in post.")

st.subheader(f"Absence, year to 30 September {year}")
absent = vm.absence(src, year, role)
if absent.empty:
    components.empty_state("No non-agency worker in post for this role.")
else:
    census_blocks.chart_block(vm.absence_spec(absent, year), scope, note="The absence rate above is working days lost over FTE in post "
                                                "times 253 working days; this is who was away on the census date.")

st.subheader("Year-on-year retention")
retention = vm.retention_spec(src, role)
if retention.table.empty:
    components.empty_state("Retention needs two consecutive years' returns: load the return for the year before.")
else:
    census_blocks.chart_block(retention, f"Whole authority, {vm.role_label(role).lower()}",
                              note="The same workers, linked across years by their pseudonymised SWE number: of "
                                   "the non-agency workers in post a year earlier, how many are in post again.")

with st.expander("Returns loaded", icon=":material/table:"):
    components.table_block(vm.returns_loaded(src), name="census-returns-loaded")
if vm.has_hr(src):
    st.caption("Every figure on this page comes from the census returns. The other pages' figures come from the HR "
               "extracts; the Benchmarks page puts the two beside DfE's published figure.")
else:
    st.info("Only HR extracts give interim leadership by post, restructures, the drill-down to teams and how long "
            "vacancies stay open. Load them with `python -m pipelines ingest FOLDER --db PATH`.",
            icon=":material/info:")
