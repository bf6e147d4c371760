"""The demo cluster: fictional Norfolk schools and people, generated deterministically from the
clock.

Every name here is invented; pupils appear only as school-made references such as "WV-HS-014".
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.calendar import HALF_TERMS, AcademicYear, academic_year_of, half_term_start
from cluster.common.money import pence_from_pounds
from cluster.core.clock import today
from cluster.core.db import write_session
from cluster.demo.history import FUNDING_ROUNDS, confirm_past_rounds, seed_history
from cluster.demo.needs_led import plant_the_move
from cluster.demo.schools import DEMO_SCHOOLS
from cluster.models import (
    CensusSnapshot,
    Cluster,
    FundingYear,
    Meeting,
    RequestPupil,
    RequestStatus,
    Role,
    School,
    SupportRequest,
    TopSlice,
    User,
)
from cluster.people.accounts import hash_password

DEMO_PASSWORD = "cluster-demo-1"
DEMO_CLUSTER_NAME = "Wensum Valley Cluster"
NORFOLK_LA_CODE = "926"
# Norfolk's January 2021 census rates (shared/data/dfe): 3.79% EHC plans; SEN support about 13%.
EHC_RATE = 0.0379
SEN_SUPPORT_RATE = 0.131
FUNDING_RATE_PENCE = 2_150
FIXED_SUM_PENCE = 400_000


_FIRST_NAMES = ("Sam", "Priya", "Gareth", "Helen", "Tomasz", "Aisha", "Rachel", "Owen", "Mei",
                "Declan", "Fiona", "Imran", "Jo", "Kate", "Lewis", "Nadia", "Paul", "Ruth",
                "Simon", "Tara", "Usha", "Victor", "Wendy", "Yusuf", "Zoe", "Bev", "Colin")
_SURNAMES = ("Hardy", "Okafor", "Lindqvist", "Marsh", "Ellison", "Kowalski", "Brennan", "Patel",
             "Whitlock", "Nguyen", "Ashby", "Fairweather", "Goodridge", "Holloway", "Ingram",
             "Jarvis", "Keable", "Loveday", "Moss", "Nunn", "Oakes", "Pegg", "Quinton", "Rix")


def seed_if_empty(engine: Engine) -> bool:
    """Seeds the demo cluster into an empty database; True when it did."""
    with write_session(engine) as session:
        if session.exec(select(Cluster)).first() is not None:
            return False
        _seed(session, today())
    return True


def _seed(session: Session, on: date) -> None:
    rng = random.Random(926)
    year = academic_year_of(on)
    cluster = Cluster(name=DEMO_CLUSTER_NAME, la_code=NORFOLK_LA_CODE, la_name="Norfolk",
                      funded_since=date(year.start_year - 3, 9, 1))
    session.add(cluster)
    session.flush()
    schools = _seed_schools(session, cluster, year, rng)
    _seed_funding_year(session, cluster, year)
    meetings = _seed_meetings(session, cluster, year)
    _seed_users(session, cluster, schools)
    _seed_history(session, cluster, schools, year, on)
    _seed_funding(session, cluster, schools, year)
    seed_waiting_requests(session, schools, meetings, year, on, rng)
    _seed_request_examples(session, schools, year, on)
    _seed_reviews_and_impact(session, cluster, on)
    plant_the_move(session, cluster.id or 0, year.start_year)
    _seed_payments(session, cluster)
    confirm_past_rounds(session, cluster.id or 0, on)
    _seed_la_clusters(session, year, on)


def _seed_la_clusters(session: Session, year: AcademicYear, on: date) -> None:
    """The LA's six other clusters, for the LA adviser's comparisons (cluster.demo.la_clusters)."""
    from cluster.demo.la_clusters import seed_la_clusters
    from cluster.funding.payments import backfill_schedules

    for made in seed_la_clusters(session, NORFOLK_LA_CODE, year, on,
                                 hash_password(DEMO_PASSWORD), _needs):
        backfill_schedules(session, made.id or 0)
        # Their past rounds confirmed on their day, as Wensum Valley's. Only Wensum Valley's
        # story carries stored letters: these clusters are there for the LA's comparisons, and
        # their letters are stored on first download (cluster/meetings/issue.py).
        confirm_past_rounds(session, made.id or 0, on, store_letters=False)


def _seed_schools(session: Session, cluster: Cluster, year: AcademicYear,
                  rng: random.Random) -> list[School]:
    schools = []
    for index, spec in enumerate(DEMO_SCHOOLS):
        school = School(cluster_id=cluster.id or 0, urn=f"{990101 + index * 7}",
                        laestab=f"{NORFOLK_LA_CODE}{2101 + index * 3:04d}", name=spec.name,
                        phase=spec.phase, school_type=spec.school_type)
        session.add(school)
        session.flush()
        schools.append(school)
        for back in range(3, -1, -1):
            pupils = round(spec.pupils * (1 - 0.01 * back) + rng.randint(-6, 6))
            ehc = max(1, round(pupils * EHC_RATE * rng.uniform(0.6, 1.5)))
            support = round(pupils * SEN_SUPPORT_RATE * rng.uniform(0.7, 1.4))
            session.add(CensusSnapshot(school_id=school.id or 0, census_year=year.start_year - back,
                                       pupils=pupils, sen_support=support, ehc_plan=ehc,
                                       primary_needs=_needs(support + ehc, rng)))
    return schools


def _needs(total: int, rng: random.Random) -> dict[str, int]:
    weights = {"SLCN": 24, "ASD": 14, "SEMH": 19, "MLD": 14, "SpLD": 10, "SLD": 2, "PD": 3,
               "HI": 2, "VI": 1, "MSI": 1, "PMLD": 1, "OTH": 4, "NSA": 5}
    counts = dict.fromkeys(weights, 0)
    for code in rng.choices(list(weights), weights=list(weights.values()), k=total):
        counts[code] += 1
    return counts


def _seed_funding_year(session: Session, cluster: Cluster, year: AcademicYear) -> None:
    funding = FundingYear(cluster_id=cluster.id or 0, academic_year=year.start_year,
                          per_pupil_rate_pence=FUNDING_RATE_PENCE,
                          fixed_sum_per_school_pence=FIXED_SUM_PENCE,
                          carried_forward_pence=1_240_000, psf_redistributed_pence=310_000,
                          reserve_percent=5.0)
    session.add(funding)
    session.flush()
    for label, pence in (("Host's time (one day a week)", 950_000),
                         ("Shared speech and language therapist", 1_400_000),
                         ("Cluster training programme", 300_000)):
        session.add(TopSlice(funding_year_id=funding.id or 0, label=label, amount_pence=pence))


def _seed_meetings(session: Session, cluster: Cluster, year: AcademicYear) -> list[Meeting]:
    meetings = []
    agendas = _exemplar_agendas()
    for half_term in HALF_TERMS:
        held_on = _third_wednesday(half_term_start(year, half_term))
        meeting = Meeting(cluster_id=cluster.id or 0, academic_year=year.start_year,
                          half_term=half_term, held_on=held_on,
                          venue="Wensum Valley High School, library",
                          is_funding_round=half_term in FUNDING_ROUNDS,
                          agenda_md=agendas.get(half_term, ""))
        session.add(meeting)
        meetings.append(meeting)
    session.flush()
    return meetings


def _exemplar_agendas() -> dict[str, str]:
    """The toolkit's exemplar agendas, as a host setting up the year would start from them.

    They are content files in toolkit/content/agendas; the loader there has no Streamlit in it.
    """
    from cluster.common.content import agenda_exemplars

    return {name: exemplar.body_md for name, exemplar in agenda_exemplars().items()}


def _third_wednesday(start: date) -> date:
    first_wednesday = start + timedelta(days=(2 - start.weekday()) % 7)
    return first_wednesday + timedelta(weeks=2)


def _seed_history(session: Session, cluster: Cluster, schools: list[School], year: AcademicYear,
                  on: date) -> None:
    session.flush()
    chairs = {u.username: u.display_name for u in session.exec(
        select(User).where(col(User.username).in_(("host", "deputy")))).all()}
    seed_history(session, cluster, schools, year, on, random.Random(2012), chairs["host"],
                 chairs["deputy"])


def _seed_users(session: Session, cluster: Cluster, schools: list[School]) -> None:
    names = iter(f"{f} {s}" for s, f in zip(_SURNAMES * 3, _FIRST_NAMES * 3, strict=False))
    password = hash_password(DEMO_PASSWORD)

    def add(username: str, role: Role, title: str, school: School | None = None) -> None:
        session.add(User(username=username, display_name=next(names), role=role, title=title,
                         cluster_id=cluster.id, school_id=school.id if school else None,
                         password_hash=password, is_demo=True))

    add("host", Role.HOST, "Cluster SEN host", schools[0])
    add("deputy", Role.HOST, "Deputy host", schools[1])
    for spec, school in zip(DEMO_SCHOOLS, schools, strict=True):
        add(f"head.{spec.code.lower()}", Role.SCHOOL, "Headteacher", school)
        add(f"senco.{spec.code.lower()}", Role.SCHOOL, "SENCO", school)
    add("governor", Role.GOVERNOR, "Cluster link governor")
    add("governor.ap", Role.GOVERNOR, "SEN governor", schools[1])
    add("la.adviser", Role.LA_ADVISER, "LA SEND adviser")


def seed_waiting_requests(session: Session, schools: list[School], meetings: list[Meeting],
                           year: AcademicYear, on: date, rng: random.Random,
                           count: int = 8) -> None:
    """`count` submitted requests waiting for the next funding round (the load benchmark asks
    for a large cluster's 75), from the schools in turn."""
    upcoming = [m for m in meetings if m.is_funding_round and m.held_on >= on]
    if not upcoming:
        return
    meeting = upcoming[0]
    areas = ("Communication and interaction", "Cognition and learning",
             "Social, emotional and mental health", "Sensory and/or physical")
    needs = ("SLCN", "MLD", "SEMH", "PD")
    for index in range(count):
        school = schools[index % len(schools)]
        area = index % 4
        request = SupportRequest(
            school_id=school.id or 0, meeting_id=meeting.id, kind="individual",
            status=RequestStatus.SUBMITTED, title=f"Targeted support: {areas[area].lower()}",
            main_area=areas[area], academic_year=year.start_year,
            amount_pence=pence_from_pounds(rng.randrange(2_000, 12_000, 250)),
            minimum_pence=150_000,
            school_spend_pence=600_000, parents_involved=True, consent_given=True,
            # Submitted in the fortnight before today: never a date still to come.
            start_term=meeting.half_term, submitted_on=on - timedelta(days=2 + index % 14))
        session.add(request)
        session.flush()
        session.add(RequestPupil(request_id=request.id or 0, reference=f"WV-{index + 1:03d}",
                                 year_group="Year 3", sen_status="sen_support",
                                 primary_need=needs[area]))


def _seed_request_examples(session: Session, schools: list[School], year: AcademicYear,
                           on: date) -> None:
    """The request process's demo: the year's rates, rules and need matrix; outcomes,
    costs and need scores for the waiting requests; drafts, a returned and a withdrawn request."""
    from cluster.demo.requests import seed_request_examples

    seed_request_examples(session, schools, year, on)


def _seed_funding(session: Session, cluster: Cluster, schools: list[School],
                  year: AcademicYear) -> None:
    """Release plans on the funding rounds, inherited protected funding, LA benchmarks."""
    from cluster.demo.funding import seed_funding

    seed_funding(session, cluster, schools, year)


def _seed_reviews_and_impact(session: Session, cluster: Cluster, on: date) -> None:
    """Per-outcome reviews, returned money, one stopped award and fuller impact."""
    from cluster.demo.reviews import seed_reviews_and_impact

    seed_reviews_and_impact(session, cluster, on)


def _seed_payments(session: Session, cluster: Cluster) -> None:
    """The payment schedule of every award already made: equal instalments a term."""
    from cluster.funding.payments import backfill_schedules

    session.flush()
    backfill_schedules(session, cluster.id or 0)
