"""Shared vocabulary with no database of its own: the school calendar, money, the need taxonomy,
kinds of provision, the toolkit's content files and pupil-identifier checks."""
