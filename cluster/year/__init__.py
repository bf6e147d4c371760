"""The academic year: its six meetings and their deadlines, the terms of reference, the timeline and
the rollover into the next year."""
