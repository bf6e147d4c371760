"""Every session-state key in one place. Values are plain data, never ORM rows or sessions."""

ACTOR = "actor"
SIGN_IN_MESSAGE = "sign_in_message"
FLASH = "flash_message"  # a success message that survives the rerun after a save

# The year, meetings and agendas, terms of reference, reconsiderations (issue 7).
CLUSTER_CHOSEN = "year.cluster_chosen"  # an LA adviser's choice of cluster
TIMELINE_YEAR = "year.timeline_year"
MEETINGS_YEAR = "year.meetings_year"
MEETING_CHOSEN = "year.meeting_chosen"
MEETING_DRAWN = "year.meeting_drawn"  # + ".<meeting id>": the MeetingRow the edit form was drawn from
MEETINGS_MESSAGE = "year.meetings_message"
TERMS_DRAWN = "year.terms_drawn"  # the version of the terms of reference the edit form was drawn from
TERMS_MESSAGE = "year.terms_message"
RECONSIDERATION_MESSAGE = "year.reconsideration_message"
GUIDE_CHOSEN = "year.guide_chosen"
