"""The rest of the demo LA: six more Norfolk clusters beside Wensum Valley, so the LA adviser has
something to compare across clusters.

Each school's pupils and EHC plans are a real Norfolk school's January 2021 census row from the
DfE file in shared/data/dfe (the file has no names, phases or SEN-support counts, so the demo
names and phases the schools, and draws SEN support from England's rate with variation). Three
years of history come from the same demo story as Wensum Valley (`cluster.demo.history`); then
each cluster's awards are re-decided with a planted generosity factor on the award as a share of
the ask, so the LA's consistency (moderation) view has real differences to find.

The history is written as rows directly, as `cluster.demo.history` does for Wensum Valley: the
rows are those the request and decision services write (request, pupils, outcome, cost lines,
status changes, award, reviews, impact, instalments), without the service round trip, which
would take minutes for ~500 decisions.
"""

from __future__ import annotations

import csv
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, col, select

from cluster.common.calendar import AcademicYear
from cluster.common.money import round_down_to, share_of
from cluster.demo.history import (
    FUNDING_ROUNDS,
    REASONS,
    STORIES,
    _funding_year,
    _meetings,
    seed_history,
)
from cluster.demo.needs_led import plant_the_move
from cluster.models import (
    Award,
    CensusSnapshot,
    Cluster,
    Decision,
    Meeting,
    RequestOutcome,
    RequestPupil,
    Review,
    ReviewStatus,
    Role,
    School,
    SupportRequest,
    User,
)

# The shared data folder sits beside the checkout; CLUSTER_DFE_FILE points elsewhere.
DFE_FILE = Path(os.environ.get(
    "CLUSTER_DFE_FILE", Path(__file__).resolve().parents[3] / "shared" / "data" / "dfe"
    / "sen_school_level_2021_trimmed.csv"))
NORFOLK = "Norfolk"
# England, January 2021 (DfE, Special educational needs in England): 12.2% of pupils on SEN support.
ENGLAND_SEN_SUPPORT_RATE = 0.122
NUMBERS_PER_CLUSTER = 100  # each cluster's schools take a block of URNs and LAESTABs
SECONDARY_PUPILS = 700  # the file has no phase: a school this size or more is called secondary

DATA_NOTE = (
    "The demo LA's other six clusters use real Norfolk schools' pupil and EHC-plan numbers "
    "(DfE school-level census, January 2021). The file has no school names, phases or "
    "SEN-support counts, so the demo invents the names, calls a school of 700 or more pupils "
    "secondary, and draws SEN support from England's rate (12.2%) with variation. Each "
    "cluster's decisions were made more or less generous on purpose, for the LA's "
    "consistency view to find."
)


@dataclass(frozen=True)
class DemoCluster:
    code: str  # two letters: the pupil reference prefix and the host's username
    name: str
    villages: tuple[str, ...]
    schools: int  # 8 to 14
    generosity: float  # the planted factor on awards as a share of the ask (1 = the LA's norm)


LA_CLUSTERS: tuple[DemoCluster, ...] = (
    DemoCluster("BH", "Breckland Heath Cluster",
                ("Swaffham", "Necton", "Sporle", "Narborough", "Castle Acre", "Ashill",
                 "Bradenham", "Holme Hale", "Hilborough", "Cockley Cley"), 10, 1.30),
    DemoCluster("BV", "Broadland Villages Cluster",
                ("Acle", "Blofield", "Brundall", "Lingwood", "Reedham", "Freethorpe",
                 "Cantley", "Strumpshaw", "Hemblington", "Upton", "Halvergate", "Beighton"),
                12, 1.18),
    DemoCluster("YV", "Yare Valley Cluster",
                ("Loddon", "Chedgrave", "Hales", "Thurlton", "Bergh Apton", "Alpington",
                 "Rockland", "Surlingham"), 8, 1.10),
    DemoCluster("NC", "North Coast Cluster",
                ("Cromer", "Sheringham", "Overstrand", "Mundesley", "Northrepps", "Roughton",
                 "Aldborough", "Aylmerton", "Beeston Regis", "West Runton", "Gresham",
                 "Southrepps", "Trimingham", "Felbrigg"), 14, 0.90),
    DemoCluster("FE", "Fens Edge Cluster",
                ("Downham Market", "Hilgay", "Denver", "Southery", "Stow Bardolph", "Wimbotsham",
                 "Nordelph", "Upwell", "Outwell", "Welney", "Runcton Holme"), 11, 0.80),
    DemoCluster("WM", "Waveney Marshes Cluster",
                ("Diss", "Harleston", "Redenhall", "Pulham", "Dickleburgh", "Scole", "Roydon",
                 "Bressingham", "Burston"), 9, 0.70),
)


@dataclass(frozen=True)
class CensusRow:
    pupils: int
    ehc_plan: int


def norfolk_rows(path: Path = DFE_FILE) -> list[CensusRow]:
    """Norfolk's schools in the DfE file, in the file's order (schools with pupils only)."""
    if not path.is_file():
        raise FileNotFoundError(
            f"The demo LA's clusters are built from the DfE school-level census file, not found "
            f"at {path}. Set CLUSTER_DFE_FILE to where sen_school_level_2021_trimmed.csv is.")
    with path.open(newline="", encoding="utf-8") as handle:
        return [CensusRow(int(row["Total pupils"]), int(row["EHC plan"]))
                for row in csv.DictReader(handle)
                if row["la_name"] == NORFOLK and int(row["Total pupils"]) > 0]


NeedsMix = Callable[[int, random.Random], dict[str, int]]


def seed_la_clusters(session: Session, la_code: str, current: AcademicYear, on: date,
                     password_hash: str, needs: NeedsMix) -> list[Cluster]:
    """Seeds the six clusters, each with its schools, census, host accounts and three years of
    decided requests at its planted generosity. `needs` splits a school's SEN pupils by primary
    need (the demo's own mix, passed in by the seed)."""
    rows = norfolk_rows()
    secondaries = [r for r in rows if r.pupils >= SECONDARY_PUPILS]
    primaries = [r for r in rows if r.pupils < SECONDARY_PUPILS]
    made = []
    used = 0
    for index, spec in enumerate(LA_CLUSTERS):
        census = [secondaries[index]] + primaries[used:used + spec.schools - 1]
        used += spec.schools - 1
        made.append(_seed_cluster(session, spec, index, census, la_code, current, on,
                                  password_hash, needs))
    return made


def _seed_cluster(session: Session, spec: DemoCluster, index: int, census: list[CensusRow],
                  la_code: str, current: AcademicYear, on: date, password_hash: str,
                  needs: NeedsMix) -> Cluster:
    rng = random.Random(9260 + index)
    cluster = Cluster(name=spec.name, la_code=la_code, la_name=NORFOLK,
                      funded_since=date(current.start_year - 3, 9, 1))
    session.add(cluster)
    session.flush()
    assert cluster.id is not None
    schools = _schools(session, cluster.id, spec, index, census, la_code, current, rng, needs)
    _funding_year(session, cluster.id, current, read_only=False)
    _meetings(session, cluster.id, current, FUNDING_ROUNDS)
    host, deputy = _hosts(session, cluster.id, spec, schools, password_hash)
    _sencos(session, cluster.id, spec, schools, password_hash)
    seed_history(session, cluster, schools, current, on, rng, host, deputy)
    _plant_generosity(session, cluster.id, spec.generosity, rng)
    plant_the_move(session, cluster.id, current.start_year)
    _confirm_reviews(session, cluster.id)
    _tidy_story(session, cluster.id, spec, schools[0])
    return cluster


def _schools(session: Session, cluster_id: int, spec: DemoCluster, index: int,
             census: list[CensusRow], la_code: str, current: AcademicYear,
             rng: random.Random, needs: NeedsMix) -> list[School]:
    schools = []
    for position, row in enumerate(census):
        village = spec.villages[position % len(spec.villages)]
        secondary = row.pupils >= SECONDARY_PUPILS
        number = index * NUMBERS_PER_CLUSTER + position
        school = School(cluster_id=cluster_id, urn=f"{980001 + number}",
                        laestab=f"{la_code}{3001 + number:04d}",
                        name=f"{village} {'High School' if secondary else 'Primary School'}",
                        phase="secondary" if secondary else "primary",
                        school_type="Academy converter" if position % 3 == 0
                        else "Community school")
        session.add(school)
        session.flush()
        schools.append(school)
        for back in range(3, -1, -1):
            # This year's census is the school's real row; earlier years drift back from it.
            pupils = row.pupils if back == 0 else max(10, round(row.pupils * (1 - 0.01 * back)
                                                                + rng.randint(-5, 5)))
            ehc = row.ehc_plan if back == 0 else max(0, row.ehc_plan - rng.randint(0, back))
            support = round(pupils * ENGLAND_SEN_SUPPORT_RATE * rng.uniform(0.7, 1.4))
            session.add(CensusSnapshot(school_id=school.id or 0,
                                       census_year=current.start_year - back, pupils=pupils,
                                       sen_support=support, ehc_plan=ehc,
                                       primary_needs=needs(support + ehc, rng)))
    return schools


def _hosts(session: Session, cluster_id: int, spec: DemoCluster, schools: list[School],
           password_hash: str) -> tuple[str, str]:
    host_name = f"Cluster host ({spec.code})"
    deputy_name = f"Deputy host ({spec.code})"
    for username, display, title, school in (
            (f"host.{spec.code.lower()}", host_name, "Cluster SEN host", schools[0]),
            (f"deputy.{spec.code.lower()}", deputy_name, "Deputy host", schools[1])):
        session.add(User(username=username, display_name=display, role=Role.HOST, title=title,
                         cluster_id=cluster_id, school_id=school.id, password_hash=password_hash,
                         is_demo=True))
    return host_name, deputy_name


def _sencos(session: Session, cluster_id: int, spec: DemoCluster, schools: list[School],
            password_hash: str) -> None:
    """Each school's SENCO, who writes its requests in the story (their history says who)."""
    for position, school in enumerate(schools, start=1):
        session.add(User(username=f"senco.{spec.code.lower()}{position:02d}",
                         display_name=f"SENCO ({spec.code}{position:02d})", role=Role.SCHOOL,
                         title="SENCO", cluster_id=cluster_id, school_id=school.id,
                         password_hash=password_hash, is_demo=True))
    session.flush()


def planted_share(need_score: float, generosity: float, rng: random.Random) -> float:
    """The share of the ask a cluster awards a request it funds: more for greater need, scaled
    by the cluster's generosity, never under 30% nor over the ask."""
    base = 0.80 + 0.035 * (need_score - 6.25)
    return min(1.0, max(0.30, base * generosity + rng.gauss(0, 0.05)))


def _plant_generosity(session: Session, cluster_id: int, generosity: float,
                      rng: random.Random) -> None:
    """Re-decides the cluster's funded awards at its planted share of the ask; awards of
    nothing and deferrals stay as the story made them."""
    rows = session.exec(
        select(Award, SupportRequest)
        .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
        .join(Meeting, col(Meeting.id) == Award.meeting_id)
        .where(Meeting.cluster_id == cluster_id, Award.amount_pence > 0)
        .order_by(col(Award.id))).all()
    for award, request in rows:
        share = planted_share(request.need_score or 6.0, generosity, rng)
        # The meeting agrees whole pounds: the full award is the ask less any odd pence.
        full = round_down_to(request.amount_pence, 100)
        amount = min(full, max(request.minimum_pence,
                               round_down_to(share_of(request.amount_pence, share, 1), 100)))
        award.decision = Decision.FULL if amount >= full else Decision.PART
        award.amount_pence = award.suggested_pence = amount
        award.terms = 3 if award.decision == Decision.FULL else 2
        award.reason = REASONS[award.decision]
        session.add(award)
        for review in session.exec(select(Review).where(Review.award_id == award.id)).all():
            if review.spend_to_date_pence is not None:
                review.spend_to_date_pence = amount // 2
                session.add(review)
    session.flush()


def _confirm_reviews(session: Session, cluster_id: int) -> None:
    """Each review the story holds confirmed says who confirmed it and when, as Wensum Valley's
    do (cluster.demo.reviews): the round's chair, on the review meeting's day, drafted a week
    before; and each impact record what the child can do now."""
    from cluster.demo.reviews import impact_details

    stories = {story.outcome: story for story in STORIES}
    awards = session.exec(
        select(Award).join(Meeting, col(Meeting.id) == Award.meeting_id)
        .where(Meeting.cluster_id == cluster_id, Award.amount_pence > 0)
        .order_by(col(Award.id))).all()
    for award in awards:
        reviews = list(session.exec(select(Review).where(Review.award_id == award.id)
                                    .order_by(col(Review.due_on))).all())
        for review in reviews:
            if review.status == ReviewStatus.CONFIRMED:
                review.drafted_on = review.due_on - timedelta(days=7)
                review.confirmed_on = review.due_on
                review.confirmed_by = award.decided_by
                session.add(review)
        outcome = session.exec(select(RequestOutcome).where(
            RequestOutcome.request_id == award.request_id)).first()
        impact_details(session, award, stories.get(outcome.description) if outcome else None,
                       reviews)
    session.flush()


def _tidy_story(session: Session, cluster_id: int, spec: DemoCluster, venue: School) -> None:
    """The shared story was written for Wensum Valley: give this cluster its own venue and
    pupil-reference prefix."""
    session.execute(update(Meeting).where(col(Meeting.cluster_id) == cluster_id)
                    .values(venue=f"{venue.name}, hall"))
    requests = select(SupportRequest.id).join(School).where(School.cluster_id == cluster_id)
    for pupil in session.exec(select(RequestPupil).where(
            col(RequestPupil.request_id).in_(requests))).all():
        pupil.reference = spec.code + pupil.reference[2:]
        session.add(pupil)
    session.flush()
