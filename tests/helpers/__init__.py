"""Builders the tests share: demo actors and private copies of the seeded demo database."""
