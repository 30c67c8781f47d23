"""A delivery of the alert λ that finds another delivery's unexpired claim on the same email (a
reminder, ``store/repository.claim_reminder``; a calendar change, ``store/invites.claim``) fails,
to be tried again once that claim's lease has run out: Lambda's async retries deployed, the local
scheduler emulation (``local/cloud.fire_until``) here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

RETRY_AFTER_LEASE = timedelta(seconds=1)  # tried again just after the lease ends


class DeliveryInFlight(RuntimeError):
    """Another delivery holds an unexpired claim: this one fails, to be retried after ``until``."""

    def __init__(self, message: str, until: str | None) -> None:
        super().__init__(message)
        self.until = until  # ISO UTC: when the other delivery's claim runs out (None: unknown)

    def retry_at(self, now: datetime) -> datetime:
        """When to try again: just after the claim's lease, and never at ``now`` itself."""
        at = datetime.fromisoformat(self.until).astimezone(UTC) + RETRY_AFTER_LEASE if self.until else now
        return max(at, now + RETRY_AFTER_LEASE)
