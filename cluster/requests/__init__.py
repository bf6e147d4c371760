"""Support-for-learning requests: the school's side of the toolkit's request process.

- `forms`: what a school fills in (plain frozen data);
- `identifiers`: UPNs, ULN/NHS numbers, dates of birth and names in free text;
- `costing`: the provision map costed from the cluster's staff rate table;
- `need_score`: the need matrix and the score with its parts;
- `checks`: every check, each with a reason a person can read;
- `settings` / `year_setup`: each year's rates, rules and matrix, and the host's edits;
- `status`: changes of a request's status (save a draft, submit, withdraw, return), all through
  one `change_status` that writes the status, its history and the audit together;
- `reading`: the reads each role may make; `screens`: the plain data the screens are given;
- `lookups`: what those services look up inside one session;
- `visibility`: who may read which request, and when;
- `budget`: what is left to award (a stand-in for the funding service).
"""
