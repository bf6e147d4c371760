"""Imports: the school census (DfE school-level SEN schema) and the schools list, keyed by URN, and
LA benchmarks from the DfE national file. CSV or Excel (.xlsx), columns by name, all or nothing."""

from cluster.imports.benchmarks import Benchmark, import_benchmarks
from cluster.imports.census import ImportReport, check_census_file, import_census
from cluster.imports.files import MAX_FILE_BYTES, ImportProblem, ImportRejected
from cluster.imports.school_list import check_schools_file, import_schools

__all__ = [
    "MAX_FILE_BYTES",
    "Benchmark",
    "ImportProblem",
    "ImportRejected",
    "ImportReport",
    "check_census_file",
    "check_schools_file",
    "import_benchmarks",
    "import_census",
    "import_schools",
]
