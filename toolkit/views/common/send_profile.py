"""The SEND profile: pupils with SEN in each school and the cluster, year by year, by broad area of
need, against Norfolk and England, and whether the LA's formula follows need (FAQ 22)."""

from __future__ import annotations

import streamlit as st

from cluster.common.file_names import file_slug
from cluster.core.permissions import Actor
from cluster.disclosure.suppression import HIDDEN_FIGURE, HIDDEN_NOTE
from cluster.funding.budget import CLUSTER_ROW, ShareRow
from cluster.models import Role
from cluster.reporting.profile import SendProfile, send_profile
from toolkit import state
from toolkit.components.charts import bars, chart_and_table, grouped_bars, lines_over, pct, shown
from toolkit.components.shared import open_tab
from toolkit.components.year import choose_cluster
from toolkit.engine import engine
from toolkit.guard import guard_view

SOURCE = ("Source: the schools' January census (SEN support = census code K; EHC plan = code E). "
          "Norfolk and England: DfE 'Special educational needs in England', school-level data, "
          "January 2021, Open Government Licence v3.0.")
SUPPRESSION_NOTE = HIDDEN_NOTE
YEARS, AREAS, BENCHMARKS = "Year by year", "Areas of need", "Against the LA and England"
SECTIONS = (YEARS, AREAS, BENCHMARKS, "Does the formula follow need?")


def render() -> None:
    actor = guard_view(__file__)
    st.title("SEND profile")
    cluster = choose_cluster(actor)
    profile = send_profile(engine(), actor, cluster.id)
    st.caption(f"{profile.cluster_name} · January census "
               f"{', '.join(str(y) for y in profile.census_years) or 'not imported yet'}"
               + (f" · {SUPPRESSION_NOTE}" if profile.suppressed else ""))
    if not profile.census_years:
        st.info("No census figures yet. The host imports the school census on "
                "'Census and school imports'.")
        return
    name = _choose(actor, profile)
    notes = [SOURCE] + ([SUPPRESSION_NOTE] if profile.suppressed else [])
    section, tab = open_tab(SECTIONS, state.PROFILE_SECTION)
    with tab:
        if section == YEARS:
            _trend(profile, name, notes)
        elif section == AREAS:
            _areas(profile, name, notes)
        elif section == BENCHMARKS:
            _benchmarks(profile, name, notes)
        else:
            _formula_follows_need(profile, notes)


def _choose(actor: Actor, profile: SendProfile) -> str:
    names = list(profile.names)
    # A school's own people start on their school; everyone else on the whole cluster.
    default = 0 if actor.role in (Role.SCHOOL, Role.GOVERNOR) else names.index(CLUSTER_ROW)
    return st.selectbox("School or the whole cluster", names, index=default,
                        format_func=lambda n: "The whole cluster" if n == CLUSTER_ROW else n,
                        key=state.PROFILE_CHOSEN)


def _label(name: str) -> str:
    return "the cluster" if name == CLUSTER_ROW else name


def _trend(profile: SendProfile, name: str, notes: list[str]) -> None:
    st.subheader(f"Pupils with SEN, year by year: {_label(name)}")
    rows = profile.for_name(name)
    table = [{"Census": f"January {r.census_year}", "Pupils on roll": r.pupils,
              "SEN support": shown(r.sen_support), "SEN support %": pct(r.sen_support_pct),
              "EHC plans": shown(r.ehc_plan), "EHC plan %": pct(r.ehc_pct)} for r in rows]
    points = []
    for r in rows:
        points.append({"Census": f"January {r.census_year}", "Measure": "SEN support %",
                       "Percent": r.sen_support_pct})
        points.append({"Census": f"January {r.census_year}", "Measure": "EHC plan %",
                       "Percent": r.ehc_pct})
    chart = lines_over(points, x="Census", y="Percent", series="Measure",
                       y_title="% of pupils on roll")
    chart_and_table(chart, table, key=f"send-trend-{_slug(name)}", title="SEN year by year",
                    notes=notes)


def _areas(profile: SendProfile, name: str, notes: list[str]) -> None:
    latest = profile.latest(name)
    if latest is None or not latest.areas:
        return
    st.subheader(f"Primary need by broad area, January {latest.census_year}: {_label(name)}")
    total = latest.sen_pupils
    table = [{"Area of need": area, "Pupils (SEN support and EHC plans)": shown(count),
              "% of pupils with SEN": pct(None if count is None or not total
                                          else 100 * count / total)}
             for area, count in latest.areas]
    chart = bars([{"Area of need": area, "Pupils": count} for area, count in latest.areas],
                 category="Area of need", value="Pupils", value_title="Pupils",
                 sort=[area for area, _ in latest.areas])
    chart_and_table(chart, table, key=f"send-areas-{_slug(name)}", title="Areas of need",
                    notes=notes, caption="Census primary needs grouped into the SEND Code of "
                    "Practice's four broad areas; OTH and NSA stand apart.")


def _benchmarks(profile: SendProfile, name: str, notes: list[str]) -> None:
    st.subheader(f"Against {profile.la_name} and England")
    ours = [r for r in (profile.latest(name), profile.latest(CLUSTER_ROW)) if r is not None]
    seen: set[str] = set()
    table, points = [], []
    for r in ours:
        if r.name in seen:
            continue
        seen.add(r.name)
        label = "The cluster" if r.is_cluster else r.name
        table.append({"Who": label, "Census": f"January {r.census_year}", "Pupils": r.pupils,
                      "EHC plan %": pct(r.ehc_pct, 2),
                      "SEN support %": pct(r.sen_support_pct, 2)})
        points.append({"Who": f"{label}, January {r.census_year}", "EHC plan %": r.ehc_pct})
    for b in profile.benchmarks:
        table.append({"Who": b.label, "Census": f"January {b.census_year}",
                      "Pupils": b.pupils, "EHC plan %": pct(b.ehc_pct, 2),
                      "SEN support %": pct(b.sen_support_pct, 2) if b.sen_support_pct is not None
                      else "not in the national file"})
    # One bar per benchmark, its latest census, labelled with the year: never two years added.
    points += [{"Who": f"{b.label}, January {b.census_year}", "EHC plan %": b.ehc_pct}
               for b in profile.latest_benchmarks()]
    if not profile.benchmarks:
        st.info("No LA benchmarks yet: the host imports the DfE national file on 'Census and "
                "school imports'.")
    chart = bars(points, category="Who", value="EHC plan %", value_title="% of pupils with an EHC "
                 "plan", sort=[str(p["Who"]) for p in points])
    chart_and_table(chart, table, key=f"send-benchmarks-{_slug(name)}", title="Benchmarks",
                    notes=notes)


def _formula_follows_need(profile: SendProfile, notes: list[str]) -> None:
    st.subheader("Does the formula follow need?")
    st.caption("Each school's share of the LA formula money (pupils × rate + a fixed sum) beside "
               "its share of the cluster's pupils with SEN (SEN support and EHC plans). A gap "
               f"below zero means the formula gives the school less than its share of need: the "
               f"evidence for a need element in the LA's formula (FAQ 22). Formula year "
               f"{profile.formula_year_label}.")
    rows = [r for r in profile.formula_vs_need if not r.is_cluster] or list(profile.formula_vs_need)
    table = [_share_row(r) for r in profile.formula_vs_need]
    points = []
    for r in rows:
        points.append({"School": r.school, "Share": "Formula share %", "Percent": r.formula_share})
        points.append({"School": r.school, "Share": "Need share %", "Percent": r.need_share})
    chart = grouped_bars(points, category="School", value="Percent", group="Share",
                         value_title="% of the cluster")
    chart_and_table(chart, table, key="formula-follows-need", title="Formula and need",
                    notes=notes)


def _share_row(r: ShareRow) -> dict[str, object]:
    gap = r.gap
    # The gap is what the page is about: beside the school's name, so it is in view at 1,366 px
    # in the table's half of the screen; the counts behind it follow.
    return {"School": "The cluster" if r.is_cluster else r.school,
            "Gap (points)": HIDDEN_FIGURE if gap is None else f"{gap:+.1f}",
            "Formula share %": pct(r.formula_share), "Need share %": pct(r.need_share),
            "Pupils with SEN": shown(r.sen_pupils), "Pupils on roll": r.pupils}


def _slug(name: str) -> str:
    return file_slug(name)[:40]

render()
