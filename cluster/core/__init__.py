"""The foundations every other package stands on: the clock, errors, deployment settings, the
database engine and sessions, the audit log, stale-edit detection, remembered sums and
permissions."""
