"""Small-number protection for everything a governor, an LA adviser or the public sees."""
