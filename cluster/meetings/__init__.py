"""The half-termly meeting: attendance and quorum, the suggested split, decisions and their
confirmation, urgent decisions, minutes, actions, letters and papers."""
