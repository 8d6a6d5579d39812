"""One interface for every broadcast channel: `Sender.send(batch) -> list[Result]`.

A sender sends what it is given and says, per message, how it went; it never touches the
database (services.sending does, with the retries, the counters and the workflow). Each
message carries its idempotency key, so a resend after a timeout or a kill is dropped by a
gateway that already took it. Errors name the gateway's answer or a code, never an address
or the text.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class Message:
    key: str
    to: str
    text: str
    subject: str = ""


@dataclass(frozen=True, slots=True)
class Result:
    key: str
    ok: bool
    gateway_id: str = ""
    error: str = ""
    # A timeout, a 5xx, no connection: the same message may be sent again later.
    retryable: bool = False


class ChannelOff(RuntimeError):
    """The channel is not configured on this deployment (e.g. SARING_SMS_URL is empty)."""


class TemporaryFailure(RuntimeError):
    """The whole batch failed in a way worth retrying (timeout, 5xx, unreachable)."""


class Sender(ABC):
    channel: ClassVar[str]
    # Most messages one `send()` takes (the sender's chunk is at most this).
    batch_size: ClassVar[int] = 500

    @abstractmethod
    def send(self, batch: Sequence[Message]) -> list[Result]: ...

    def close(self) -> None:  # noqa: B027 (optional hook: most senders hold nothing)
        """Release connections and threads (called once the run ends)."""


_REGISTRY: dict[str, type[Sender]] = {}


def register(cls: type[Sender]) -> type[Sender]:
    _REGISTRY[cls.channel] = cls
    return cls


def sender_for(channel: str, **options) -> Sender:
    """The sender of `channel`; ChannelOff when it is not configured."""
    _load()
    try:
        cls = _REGISTRY[channel]
    except KeyError:
        raise LookupError(f"no sender for channel {channel!r}") from None
    return cls(**options)


def channels() -> list[str]:
    _load()
    return sorted(_REGISTRY)


def _load() -> None:
    # The modules register themselves on import.
    from saring.broadcasts.channels import email, sms, whatsapp  # noqa: F401
