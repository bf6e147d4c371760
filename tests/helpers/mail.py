"""A real SMTP server on this machine for the length of a test (aiosmtpd), and the messages it
received, parsed as a mail client would."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass
class Inbox:
    """Every message the server took, in arrival order."""

    messages: list[EmailMessage] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # mailboxes the server says do not exist

    async def handle_RCPT(self, _server: Any, _session: Any, envelope: Any, address: str,  # noqa: N802 - aiosmtpd's hook name
                          _options: list[str]) -> str:
        if address in self.refused:
            return "550 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        parsed = message_from_bytes(envelope.original_content or envelope.content,
                                    policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def subjects(self, address: str) -> list[str]:
        # A long subject is folded onto a second header line; unfolded, it keeps the space.
        return [str(m["Subject"]).strip() for m in self.to(address)]

    @staticmethod
    def body(message: EmailMessage) -> str:
        part = message.get_body(("plain",))
        assert part is not None
        return str(part.get_content())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """The server, with the toolkit's settings pointing at it (no TLS: it is this machine)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname=HOST, port=_free_port())
    controller.start()
    monkeypatch.setenv("CLUSTER_SMTP_HOST", HOST)
    monkeypatch.setenv("CLUSTER_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("CLUSTER_SMTP_FROM", "toolkit@cluster.example.sch.uk")
    monkeypatch.setenv("CLUSTER_SMTP_STARTTLS", "false")
    try:
        yield inbox
    finally:
        controller.stop()
