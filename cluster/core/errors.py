"""Errors a service raises for a person to read. Each carries a message fit for the screen."""

from __future__ import annotations


class ClusterError(Exception):
    """Base: the message is written for the user, not for a developer."""

    @property
    def message(self) -> str:
        return str(self)


class NotAllowed(ClusterError):  # noqa: N818 - named for what the person is told, as views and tests import it
    # Set by cluster.core.audit once the refusal is in the log, so a service called from another
    # audited service does not log the same refusal twice.
    audit_logged: bool = False


class NotFound(ClusterError):  # noqa: N818 - named for what the person is told, as views and tests import it
    pass


class InvalidInput(ClusterError):  # noqa: N818 - named for what the person is told, as views and tests import it
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class StaleEdit(ClusterError):  # noqa: N818 - named for what the person is told, as views and tests import it
    """Someone saved this record after the screen was drawn; nothing was written."""

    def __init__(self, changes: list[str], changed_by: str | None) -> None:
        who = changed_by or "someone else"
        detail = "; ".join(changes) if changes else "the record was saved again"
        super().__init__(
            f"Not saved: {who} changed this since your screen was drawn ({detail}). "
            "Your screen now shows the latest version; check it and save again if still needed."
        )
        self.changes = changes
        self.changed_by = changed_by


class ConcurrentSave(StaleEdit):
    """Two saves raced past the service's check; the row's version column stopped the later one."""

    def __init__(self) -> None:
        super().__init__(["another save landed at the same moment"], None)


class NotOpenToYou(NotAllowed, NotFound):  # noqa: N818 - named for what the person is told, like the errors above
    """The one refusal for a record that does not exist and for one that exists but is not the
    person's to open (another school's, another cluster's, outside its agenda window).

    Both cases raise this class with the same words, built by `not_open_words`, so a refusal never
    tells whether someone else's record exists, where it is or when it could be read. It is a
    `NotAllowed`, so an audited service logs it as a refusal like any other; and a `NotFound`, so
    code that expected "not found" still catches it."""

    def __init__(self, thing: str, number: int | str | None = None) -> None:
        super().__init__(not_open_words(thing, number))
        self.thing = thing
        self.number = number


def not_open_words(thing: str, number: int | str | None = None) -> str:
    """"There is no request 82 that you can open." Names only what the person asked for."""
    asked = f"{thing} {number}" if number is not None else f"such {thing}"
    return f"There is no {asked} that you can open."
