"""Pieces several views share: widgets, links, flashes, charts and the sections of big screens."""
