"""Every session-state key in one place. Values are plain data, never ORM rows or sessions."""

ACTOR = "actor"
SIGN_IN_MESSAGE = "sign_in_message"
SIGN_IN_SESSION = "sign_in.session"  # the id of this browser's sign-in session (never its token)
SIGN_IN_CODE = "sign_in.code"  # the one-time code the browser is still to trade for its cookie
SIGNED_OUT = "sign_in.signed_out"  # the browser is still to drop its cookie (and start afresh?)
SIGN_IN_COOKIE_READ = "sign_in.cookie_read"  # the cookie this page was opened with has been read
FLASH = "flash_message"  # a success message that survives the rerun after a save
# FORM_UNSAVED + ".<form>": what was typed when a save was refused as stale, shown to copy back.
FORM_UNSAVED = "forms.unsaved"

# The year, meetings and agendas, terms of reference, reconsiderations.
CLUSTER_CHOSEN = "year.cluster_chosen"  # an LA adviser's choice of cluster
TIMELINE_YEAR = "year.timeline_year"
MEETINGS_YEAR = "year.meetings_year"
MEETING_CHOSEN = "year.meeting_chosen"
# MEETING_DRAWN + ".<meeting id>": the MeetingRow the edit form was drawn from.
MEETING_DRAWN = "year.meeting_drawn"
MEETINGS_MESSAGE = "year.meetings_message"
# The version of the terms of reference the edit form was drawn from.
TERMS_DRAWN = "year.terms_drawn"
TERMS_MESSAGE = "year.terms_message"
RECONSIDERATION_MESSAGE = "year.reconsideration_message"
GUIDE_CHOSEN = "year.guide_chosen"
GUIDE_MESSAGE = "year.guide_message"
FINANCE_MESSAGE = "finance.message"

# The request process.
REQUEST_FORM = "request.form"  # + ".<field>": the New request form's widget keys
REQUEST_EDITING = "request.editing"  # (request id, version, drawn_from) the form saves over
REQUEST_STORED = "request.stored"  # the fields' values as stored for the request being edited
REQUEST_MESSAGE = "request.message"  # what the last save or submit said, shown after the rerun
REQUEST_SUBMITTED = "request.submitted"  # the request just submitted: said once, form not drawn
REQUEST_SETTINGS_MESSAGE = "request.settings_message"  # after the host saves rates/rules/matrix

# The pot, PSF, census import and the SEND profile.
PROFILE_CHOSEN = "funding.profile_chosen"  # the school (or the cluster) the SEND profile shows
FINANCE_YEAR = "funding.finance_year"
FINANCE_SECTION = "funding.finance_section"  # the Finance tab open
PROFILE_SECTION = "profile.section"  # the SEND profile tab open
FUNDING_YEAR_CHOSEN = "funding.year_chosen"
# FUNDING_DRAWN + ".<year>": (version, drawn_from) the funding-year form saves over.
FUNDING_DRAWN = "funding.drawn"
FUNDING_MESSAGE = "funding.message"
PROTECTED_MESSAGE = "funding.protected_message"
IMPORT_KIND = "imports.kind"
IMPORT_FILE = "imports.file"  # + ".<kind index>": the uploader
IMPORT_CENSUS_YEAR = "imports.census_year"
IMPORT_VALID_ROWS = "imports.valid_rows"

# Reviews and impact, the governors' dashboard, the parents' extract, the LA's view.
IMPACT_SCOPE = "impact.scope"  # 0 for the whole cluster, else a school id
IMPACT_YEAR = "impact.year"
REVIEW_CHOSEN = "impact.review_chosen"  # the review a school user or the host is working on
REVIEW_MESSAGE = "impact.review_message"  # what the last draft or confirmation said
IMPACT_AWARD_CHOSEN = "impact.award_chosen"  # the ended award whose impact is being recorded
IMPACT_MESSAGE = "impact.impact_message"
SEN_REPORT_SCHOOL = "impact.sen_report_school"
SEN_REPORT_YEAR = "impact.sen_report_year"
LA_YEAR = "impact.la_year"
NEED_SUPPORT_RATE = "impact.need_support_rate"  # £ per SEN-support pupil in the scenario
NEED_EHC_RATE = "impact.need_ehc_rate"  # £ per EHC plan in the scenario
MODERATION_FIRST = "impact.moderation_first"  # the two clusters whose similar requests are set
MODERATION_SECOND = "impact.moderation_second"  # side by side in the consistency view

# Running a meeting, suggesting a split, urgent decisions, papers and payments.
RUN_MEETING_CHOSEN = "meeting_run.meeting_chosen"
RUN_MEETING_ITEM = "meeting_run.agenda_item"  # the agenda item being walked
RUN_MEETING_MESSAGE = "meeting_run.message"  # what the last save said, after the rerun
ATTENDANCE_DRAWN = "meeting_run.attendance_drawn"  # + ".<meeting id>": the AttendanceSheet drawn
REGISTER_OPEN = "meeting_run.register_open"  # + ".<meeting id>": "Change the register" is open
DECISIONS_DRAWN = "meeting_run.decisions_drawn"  # + ".<meeting id>": the MeetingDecisions drawn
DECISIONS_EDITOR = "meeting_run.decisions_editor"  # + ".<meeting id>.<generation>": the editor
DECISIONS_GENERATION = "meeting_run.decisions_generation"  # + ".<meeting id>": bumps on reload
DECISIONS_MESSAGE = "meeting_run.decisions_message"  # what the last save of a decision said
DECISION_DETAILS_OPEN = "meeting_run.details_open"  # + ".<meeting id>": each request's details
MINUTES_DRAWN = "meeting_run.minutes_drawn"  # + ".<meeting id>": the MinutesState drawn
SPLIT_ROUND = "split.round"
SPLIT_RESULT = "split.result"  # + ".<meeting id>": True once the host has run the suggestion
SPLIT_LOCKS = "split.locks"  # + ".<meeting id>": the locks editor
SPLIT_LIMITS = "split.limits"  # + ".<meeting id>": the floors and caps editor
SPLIT_OBJECTIVE = "split.objective"  # + ".<meeting id>"
SPLIT_MESSAGE = "split.message"
URGENT_MESSAGE = "urgent.message"
PAPERS_MEETING = "papers.meeting"
PAPERS_SCHOOL = "papers.school"
PAYMENTS_YEAR = "payments.year"
PAYMENTS_MESSAGE = "payments.message"

RETENTION_CHECK = "privacy.retention_check"  # the host asked to see what erasure is due
STORED_NAMES_CHECK = "privacy.stored_names_check"  # the host asked for names in stored text
DISCLOSURE_CHECK = "privacy.disclosure_check"  # the host asked for the disclosure audit
STORED_NAMES_TICK = "privacy.stored_names_tick"  # + ".<row key>": the host confirmed the row
# NAMES_PROMPT + ".<form>": (message, words) a save asked about, until confirmed or saved.
NAMES_PROMPT = "text_check.names_prompt"
# The audit log's filters: who, what kind of record, its number, first and last day.
AUDIT_PERSON = "audit.person"
AUDIT_RECORD = "audit.record"
AUDIT_RECORD_ID = "audit.record_id"
AUDIT_FROM = "audit.from"
AUDIT_TO = "audit.to"
