"""Consistency across clusters (LA adviser): do similar needs get similar support? Each cluster's
effect on the award as a share of the ask, from one model fitted on every decided request in the
LA, ranked, with plain words where a difference is more than chance; bands of similar requests
decided differently by two clusters; and the moderation pack (PDF and Excel)."""

from __future__ import annotations

import streamlit as st

from cluster.common.money import share_points
from cluster.papers.document import Table
from cluster.papers.pdf import PDF_MIME, render_pdf
from cluster.papers.workbook import XLSX_MIME, render_xlsx
from cluster.reporting.moderation import (
    BAND_MINIMUM,
    Consistency,
    band_table,
    effect_table,
    effect_words,
    la_band_comparison,
    la_consistency,
    moderation_pack,
)
from toolkit import state
from toolkit.components.charts import bars, chart_and_table, display_frame
from toolkit.engine import engine
from toolkit.guard import guard_view


def rows_of(block: Table) -> list[dict[str, object]]:
    """A pack table as the screen's rows: one set of figures for screen, PDF and Excel."""
    return [dict(zip(block.headers, row, strict=True)) for row in block.rows]


def render() -> None:
    actor = guard_view(__file__)
    st.title("Consistency across clusters")
    st.caption(f"{actor.display_name} · every decided request in the local authority")
    result = la_consistency(engine(), actor)
    if result.requests == 0:
        st.info("No cluster has decided requests to compare yet.")
        return
    _ranking(result)
    first, second = _drill_down(result)
    _downloads(first, second)


def _ranking(result: Consistency) -> None:
    st.markdown(
        "Would a request with the same need, kind, area and cost get the same share of what it "
        f"asks in every cluster? Across {result.requests:,} decided requests the LA awards "
        f"**{share_points(result.la_average_share):.0f}%** of the ask on average. "
        "A cluster's effect is how many points of the ask more (+) or less (−) it awards than "
        "the LA would expect for the same needs.")
    for effect in result.effects:
        if effect.flagged:
            st.markdown(f"- {effect_words(effect, result.la_average_share)}")
    points = [{"Cluster": e.cluster_name, "Points of the ask": round(share_points(e.effect), 1)}
              for e in result.effects if e.effect is not None]
    chart_and_table(bars(points, category="Cluster", value="Points of the ask",
                         value_title="more (+) or less (−) than the LA would expect"),
                    rows_of(effect_table(result)), key="moderation-clusters",
                    title="Clusters ranked", notes=[result.method])
    with st.expander("How this is worked out"):
        st.markdown(result.method)


def _drill_down(result: Consistency) -> tuple[int | None, int | None]:
    st.subheader("Similar requests decided differently")
    ranked = [e for e in result.effects if e.effect is not None]
    if len(ranked) < 2:
        st.info("Two clusters with decided requests are needed to compare.")
        return None, None
    names = {e.cluster_id: e.cluster_name for e in ranked}
    ids = list(names)
    left, right = st.columns(2)
    first = left.selectbox("Cluster", ids, index=0, format_func=names.__getitem__,
                           key=state.MODERATION_FIRST)
    second = right.selectbox("Beside", ids, index=len(ids) - 1, format_func=names.__getitem__,
                             key=state.MODERATION_SECOND)
    if first == second:
        st.warning("Choose two different clusters to set side by side.")
        return first, None
    bands = la_band_comparison(engine(), guard_view(__file__), first, second)
    st.caption(f"Bands of similar requests (kind × area of need × need score); a band is shown "
               f"only where each cluster holds {BAND_MINIMUM} or more requests in it.")
    if not bands:
        st.info(f"No band holds {BAND_MINIMUM} or more requests in both clusters.")
        return first, second
    block = band_table(bands, names[first], names[second])
    st.dataframe(display_frame(rows_of(block)), hide_index=True, width="stretch")
    return first, second


def _downloads(first: int | None, second: int | None) -> None:
    actor = guard_view(__file__)
    left, right = st.columns(2)
    # Made when asked for: the pack refits the model, which every rerun need not pay for.
    left.download_button("Download the moderation pack (PDF)",
                         data=lambda: render_pdf(moderation_pack(engine(), actor, first, second)),
                         file_name="moderation-pack.pdf", mime=PDF_MIME,
                         icon=":material/picture_as_pdf:", key="moderation-pack-pdf",
                         on_click="ignore")
    right.download_button("Download the moderation pack (Excel)",
                          data=lambda: render_xlsx(moderation_pack(engine(), actor, first,
                                                                   second)),
                          file_name="moderation-pack.xlsx", mime=XLSX_MIME,
                          icon=":material/table_view:", key="moderation-pack-xlsx",
                          on_click="ignore")


render()
