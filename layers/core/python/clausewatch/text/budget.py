"""Bounded work per document: a step runs in a child process with a time and a memory budget.

A pathological PDF (PDFium busy for minutes inside one C call) or a regular expression that
backtracks catastrophically cannot be interrupted from Python in the same process, and a
memory blow-up would take the whole Lambda down. So the step runs in a forked child: its address
space is capped (RLIMIT_AS: what it has at the fork plus the budget) and the parent kills it at
the deadline. The parent raises BudgetExceeded, which the pipeline records as the contract's
FAILED reason (the original PDF and any stored text are kept; the message is consumed, so the
document is never retried forever).

Forking works in Lambda (which has no /dev/shm, so no multiprocessing queues or pools: a plain
pipe carries the result) and costs a few milliseconds (measured by `make bench`). Where fork is
not available the step runs in-process, unbounded.

Python 3.12 warns on a fork from a process that has threads (X-Ray's or, locally, moto's server):
a lock another thread held at the fork stays held in the child. The child here only runs the pure
step (PDFium, the extractor's regexes) and leaves with ``os._exit``; the locks it could meet are
logging's and the import lock, which CPython re-initialises in a forked child; and were it ever
to hang, the parent kills it at the deadline and records why. So the warning is silenced for this
one call (and in pytest's settings, pyproject.toml).
"""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
import select
import signal
import struct
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

warnings.filterwarnings("ignore", message=r"This process .* is multi-threaded, use of fork\(\)",
                        category=DeprecationWarning, module=__name__)

# Held around every fork here, and by a thread of ours while it makes AWS calls or runs a handler
# when other threads may fork (the embedded default's concurrent invocations, local/invocations.py):
# a child then never inherits a lock (a connection pool's, a client's) held in the middle of a call.
# Reentrant: a handler run under it may fork its own budget child.
FORK_LOCK = threading.RLock()

try:
    import resource
except ImportError:  # not on every platform; the memory cap is then not applied
    resource = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Budget:
    """What one document may cost in one step: wall-clock seconds and memory beyond the
    process's own at the start of the step (MiB)."""

    seconds: float
    memory_mb: int


# A 500-page contract takes a few seconds of text and well under a second of terms extraction:
# these leave an order of magnitude of headroom and stay far inside a Lambda's 15 minutes.
TEXT_BUDGET = Budget(seconds=120.0, memory_mb=1024)
TERMS_BUDGET = Budget(seconds=60.0, memory_mb=512)


class BudgetExceeded(Exception):
    """A step stopped for going over its time or memory budget; `reason` says which."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind  # "time" or "memory"
        self.reason = reason

    def __reduce__(self):
        return (BudgetExceeded, (self.kind, self.reason))


def run_with_budget(fn: Callable[..., Any], *args: Any, seconds: float, memory_mb: int,
                    step: str = "the step", **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a child process, stopped after `seconds` or beyond
    `memory_mb`; returns its result (which must pickle) or raises what it raised, or
    BudgetExceeded."""
    for _kind, value in _child_frames(fn, args, kwargs, seconds, memory_mb, step, streaming=False):
        return value
    raise AssertionError("unreachable: the child either answers or the budget is exceeded")


def iterate_with_budget(fn: Callable[..., Iterator[Any]], *args: Any, seconds: float, memory_mb: int,
                        step: str = "the step", **kwargs: Any) -> Iterator[Any]:
    """The items of the iterator ``fn(*args, **kwargs)``, produced in a child process under one
    budget for the whole iteration, as they come (the parent holds one item at a time)."""
    for kind, value in _child_frames(fn, args, kwargs, seconds, memory_mb, step, streaming=True):
        if kind == "item":
            yield value


# --- the child process ------------------------------------------------------------------------

_LENGTH = struct.Struct("!Q")


def _child_frames(fn, args, kwargs, seconds, memory_mb, step, streaming) -> Iterator[tuple[str, Any]]:
    if not hasattr(os, "fork"):
        if streaming:
            yield from (("item", item) for item in fn(*args, **kwargs))
        else:
            yield "result", fn(*args, **kwargs)
        return
    parent = os.getpid()
    # under FORK_LOCK: never while another thread of ours is in the middle of a call, and the
    # pipe's write end is closed here before another thread forks (a sibling holding it would
    # hide this child's death until the deadline)
    with FORK_LOCK:
        read_fd, write_fd = os.pipe()
        pid = os.fork()  # (its DeprecationWarning under threads: see the module docstring)
        if pid != 0:
            os.close(write_fd)
    if pid == 0:  # the child: never returns
        os.close(read_fd)
        _child(write_fd, fn, args, kwargs, memory_mb, streaming, parent)
    deadline = time.monotonic() + seconds
    finished = False
    try:
        with os.fdopen(read_fd, "rb", buffering=0) as pipe:
            while True:
                frame = _read_frame(pipe, deadline)
                if frame is None:
                    if time.monotonic() >= deadline:
                        raise BudgetExceeded("time", f"{step} stopped after {seconds:g} s, its time budget")
                    finished = True  # the child is gone: _died reaps it
                    raise _died(pid, step, memory_mb)
                kind, value = pickle.loads(frame)
                if kind == "item":
                    yield kind, value
                elif kind == "result":
                    finished = True
                    yield kind, value
                    return
                elif kind == "end":
                    finished = True
                    return
                elif kind == "memory":
                    finished = True
                    raise BudgetExceeded("memory", f"{step} stopped: it needed more than {memory_mb} MB, "
                                                   "its memory budget")
                else:  # "raised": the step's own exception, re-raised here
                    finished = True
                    raise value
    finally:
        if not finished:
            _kill(pid)
        _reap(pid)


def _child(write_fd: int, fn, args, kwargs, memory_mb: int, streaming: bool, parent: int) -> None:
    code = 0
    try:
        _die_with(parent)
        # the parent's objects are the child's too: the collector leaves them alone, so its passes
        # neither walk the parent's whole heap nor copy each page they touch (copy-on-write)
        gc.freeze()
        pipe = os.fdopen(write_fd, "wb")
        _cap_memory(memory_mb)
        try:
            if streaming:
                for item in fn(*args, **kwargs):
                    _write_frame(pipe, ("item", item))
                _write_frame(pipe, ("end", None))
            else:
                _write_frame(pipe, ("result", fn(*args, **kwargs)))
        except MemoryError:
            _write_frame(pipe, ("memory", None))
        except BaseException as exc:  # everything goes back to the parent
            _write_frame(pipe, ("raised", _picklable(exc)))
        pipe.flush()
    except BaseException:  # a child must never return into the parent's code
        code = 1
    finally:
        os._exit(code)


def _die_with(parent: int) -> None:
    """Be killed when the parent dies (Linux's PR_SET_PDEATHSIG): a step that runs its own budgeted
    step (the embedded default's forked invocations) is killed at its deadline, and its child
    must not run on unbounded, owned by no one."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the child outlives a killed parent
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _cap_memory(memory_mb: int) -> None:
    """Cap the address space at what the process maps now plus the budget (Linux)."""
    if resource is None:
        return
    try:
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = mapped + memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # an exception that cannot cross the pipe is described instead
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _write_frame(pipe, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_LENGTH.pack(len(data)))
    pipe.write(data)
    pipe.flush()  # the parent takes each item as it comes


def _read_frame(pipe, deadline: float) -> bytes | None:
    """One frame, or None at the deadline or when the child closed the pipe without one."""
    header = _read_exactly(pipe, _LENGTH.size, deadline)
    if header is None:
        return None
    return _read_exactly(pipe, _LENGTH.unpack(header)[0], deadline)


def _read_exactly(pipe, size: int, deadline: float) -> bytes | None:
    chunks, missing = [], size
    while missing:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([pipe], [], [], remaining)[0]:
            return None
        chunk = pipe.read(min(missing, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _died(pid: int, step: str, memory_mb: int) -> BudgetExceeded:
    """The child ended without an answer: killed by the kernel or a C library out of memory."""
    _, status = os.waitpid(pid, 0)
    how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit code {os.WEXITSTATUS(status)}"
    return BudgetExceeded("memory", f"{step} stopped: its process ended ({how}), "
                                    f"most likely over its {memory_mb} MB memory budget")


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
