"""Accounts, the host's user administration, the cluster's schools, who chairs an item, and data
protection (subject access, retention and erasure)."""
