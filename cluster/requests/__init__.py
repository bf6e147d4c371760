"""Support-for-learning requests: the school's side of the toolkit's request process.

- `forms`: what a school fills in (plain frozen data);
- `identifiers`: UPNs, ULN/NHS numbers, dates of birth and names in free text;
- `costing`: the provision map costed from the cluster's staff rate table;
- `need_score`: the need matrix and the score with its parts;
- `checks`: every check, each with a reason a person can read;
- `settings` / `year_setup`: each year's rates, rules and matrix, and the host's edits;
- `service`: the lifecycle (draft, submit, withdraw, return) and the reads each role may make;
- `visibility`: who may read which request, and when;
- `budget`: what is left to award (a stand-in for the funding service).
"""
