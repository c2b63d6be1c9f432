"""The single error type raised by every normaliser."""

from __future__ import annotations


class NormaliseError(ValueError):
    """A value could not be normalised with certainty.

    Attributes:
        kind: the normaliser kind, e.g. ``"phone"`` or ``"wallet"``.
        value: the raw input, as a string.
        reason: a short human-readable reason, e.g. ``"bad Base58Check checksum"``.
    """

    def __init__(self, kind: str, value: object, reason: str) -> None:
        self.kind = kind
        self.value = value if isinstance(value, str) else repr(value)
        self.reason = reason
        super().__init__(f"cannot normalise {kind} {self.value!r}: {reason}")

    def __reduce__(self) -> tuple[type[NormaliseError], tuple[str, str, str]]:
        # The default reduce would call __init__ with the formatted message only;
        # batch loaders may move errors across processes, so keep them picklable.
        return (type(self), (self.kind, self.value, self.reason))
