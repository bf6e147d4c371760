"""The demo cluster, generated deterministically through the same services a live cluster uses."""
