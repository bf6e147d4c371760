"""Real-shaped import files built in the tests: the DfE school-level SEN schema and a schools list,
as CSV (in any encoding) or Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from cluster.core.permissions import Actor
from cluster.models import CensusSnapshot, Cluster, LaBenchmark, Role, School, User

NEED_CODES = ("spld", "mld", "sld", "pmld", "semh", "slcn", "hi", "vi", "msi", "pd", "asd", "oth",
              "nsa")
DFE_COLUMNS = (["time_period", "time_identifier", "geographic_level", "country_code",
                "country_name", "region_code", "region_name", "old_la_code", "new_la_code",
                "la_name", "URN", "school_name", "laestab", "phase_type_grouping",
                "type_of_establishment", "Total pupils", "SEN support", "EHC plan"]
               + [f"EHC_Primary_need_{c}" for c in NEED_CODES]
               + [f"SUP_Primary_need_{c}" for c in NEED_CODES] + ["SEN_Unit", "RP_Unit"])


@dataclass(frozen=True)
class CensusSchool:
    urn: str
    name: str
    pupils: int
    sen_support: int
    ehc_plan: int


def dfe_row(school: CensusSchool, period: str = "202526") -> dict[str, object]:
    """One school as the DfE file has it; primary needs spread deterministically over the codes."""
    row: dict[str, object] = {
        "time_period": period, "time_identifier": "January", "geographic_level": "School",
        "country_code": "E92000001", "country_name": "England", "region_code": "E12000006",
        "region_name": "East of England", "old_la_code": "926", "new_la_code": "E10000020",
        "la_name": "Norfolk", "URN": school.urn, "school_name": school.name,
        "laestab": f"926{school.urn[-4:]}", "phase_type_grouping": "State-funded primary",
        "type_of_establishment": "Community school", "Total pupils": school.pupils,
        "SEN support": school.sen_support, "EHC plan": school.ehc_plan, "SEN_Unit": 0,
        "RP_Unit": 0}
    for prefix, total in (("EHC", school.ehc_plan), ("SUP", school.sen_support)):
        left = total
        for index, code in enumerate(NEED_CODES):
            share = left if index == len(NEED_CODES) - 1 else total // len(NEED_CODES)
            row[f"{prefix}_Primary_need_{code}"] = share
            left -= share
    return row


def csv_bytes(rows: Sequence[dict[str, object]], columns: Sequence[str] | None = None,
              encoding: str = "utf-8", *,
              cells: Mapping[tuple[int, str], object] | None = None) -> bytes:
    """The rows as a CSV file; `cells`, by (row from 0, column), are written instead of what the
    rows hold there: a spoiled copy of a file, the rows given left as they were."""
    names = list(columns) if columns is not None else list(rows[0])
    instead = cells or {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for index, row in enumerate(rows):
        writer.writerow([instead.get((index, name), row.get(name, "")) for name in names])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[dict[str, object]], columns: Sequence[str] | None = None) -> bytes:
    names = list(columns) if columns is not None else list(rows[0])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(names)
    for row in rows:
        sheet.append([_number(row.get(name, "")) for name in names])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(value: object) -> object:
    """Excel holds counts and URNs as numbers, as a DfE download opened in Excel does."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return value


OUR_SCHOOLS = (
    CensusSchool("121001", "Aylsham Road Primary School", 410, 52, 14),
    CensusSchool("121002", "Bintree Infant School", 168, 21, 5),
    CensusSchool("121003", "Wensum Valley High School", 1_020, 130, 41),
)
ELSEWHERE = (CensusSchool("139999", "A School Elsewhere", 300, 30, 9),
             CensusSchool("140001", "Another School Elsewhere", 220, 25, 6))


@dataclass(frozen=True)
class Setup:
    actor: Actor
    cluster_id: int
    school_ids: dict[str, int]


def set_up_cluster(engine: Engine) -> Setup:
    """A cluster with three schools and its host, made directly (no demo: fast)."""
    from datetime import date

    with Session(engine, expire_on_commit=False) as session:
        cluster = Cluster(name="Test Cluster", la_code="926", la_name="Norfolk",
                          funded_since=date(2024, 9, 1))
        session.add(cluster)
        session.flush()
        schools = {}
        for spec in OUR_SCHOOLS:
            school = School(cluster_id=cluster.id or 0, urn=spec.urn,
                            laestab=f"926{spec.urn[-4:]}", name=spec.name, phase="primary",
                            school_type="Community school")
            session.add(school)
            session.flush()
            schools[spec.urn] = school.id or 0
        host = User(username="host.test", display_name="Host Test", role=Role.HOST,
                    cluster_id=cluster.id)
        session.add(host)
        session.commit()
        actor = Actor(host.id or 0, host.username, host.display_name, host.role, cluster.id,
                      None)
        return Setup(actor, cluster.id or 0, schools)


def row_counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return (session.exec(select(func.count()).select_from(CensusSnapshot)).one(),
                session.exec(select(func.count()).select_from(School)).one(),
                session.exec(select(func.count()).select_from(LaBenchmark)).one())
