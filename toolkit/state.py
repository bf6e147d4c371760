"""Every session-state key in one place. Values are plain data, never ORM rows or sessions."""

ACTOR = "actor"
SIGN_IN_MESSAGE = "sign_in_message"
