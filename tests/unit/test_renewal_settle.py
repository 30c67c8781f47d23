"""`renewal.local.settle` after a task's result is sent: moto's thread takes the result up later,
and until then the history still ends with the wait it answers (a decision returned "decided"
instead of "renewed" once, on a busy machine)."""

from __future__ import annotations

from clausewatch.renewal import local


class _LateMoto:
    """An execution whose thread takes the sent result up after a few polls: its history ends
    with the answered TaskSubmitted until then, then runs on to the next wait."""

    def __init__(self, polls_before_taken: int) -> None:
        self.polls = 0
        self.late = polls_before_taken
        self.events = [{"type": "ExecutionStarted"}, {"type": "TaskScheduled"}, {"type": "TaskSubmitted"}]

    def describe_execution(self, executionArn):
        return {"status": "RUNNING"}

    def get_execution_history(self, executionArn):
        self.polls += 1
        if self.polls == self.late:
            self.events = [*self.events, {"type": "TaskSucceeded"}, {"type": "TaskScheduled"},
                           {"type": "TaskSubmitted"}]
        return {"events": list(self.events)}


def test_settle_waits_past_the_answered_wait(monkeypatch):
    moto = _LateMoto(polls_before_taken=4)
    monkeypatch.setattr(local, "client", lambda name: moto)
    seen = local.history_length("arn")
    assert seen == 3
    assert local.settle("arn", timeout=5, beyond=seen) == "WAITING"
    assert moto.polls >= 4 and len(moto.events) == 6  # the next wait, not the answered one


def test_without_beyond_the_answered_wait_is_taken_for_the_next(monkeypatch):
    moto = _LateMoto(polls_before_taken=4)
    monkeypatch.setattr(local, "client", lambda name: moto)
    assert local.settle("arn", timeout=5) == "WAITING"
    assert len(moto.events) == 3  # returned on the answered wait: what `beyond` is for
