"""Models of the client state area."""

from __future__ import annotations

import datetime
from typing import Any

import attrs

__all__ = ["ClientState"]


@attrs.frozen
class ClientState:
    """A state a server is in, such as ``"attention_hardware"``.

    Attributes:
        id: The server's id.
        state: The state's name.
        ctime: When the state began (aware, UTC).
        ctime_human: The API's display form of ``ctime``.
        details: The field named like the state, JSON-decoded where it is JSON (else the
            text as sent, or ``None`` when absent).
    """

    id: str
    state: str
    ctime: datetime.datetime
    ctime_human: str | None = None
    details: Any = None

    @property
    def needs_attention(self) -> bool:
        """Whether the state is one of the ``attention_*`` states."""
        return self.state.startswith("attention")
