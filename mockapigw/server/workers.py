"""Worker threads for the server's calls into the mock, handing results back to the event loop in batches.

``loop.run_in_executor`` wakes the loop once per finished call (a write to its self-pipe, with the GIL handed
back and forth) and chains two futures per call. With hundreds of handshakes in flight those wake-ups were the
largest single cost on the loop's side. Here finished calls' outcomes go through a :class:`Handover`, which
wakes the loop once per batch. Calls wait in a plain queue rather than a ``ThreadPoolExecutor``, whose
``submit`` makes a ``concurrent.futures.Future`` (and its condition variable) per call that nothing here reads:
about 10 µs of every handshake and every message.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ..core.hints import mark_no_caller
from .handover import Handover

T = TypeVar("T")
_Outcome = tuple["asyncio.Future[Any]", Any, BaseException | None]
_Call = tuple["asyncio.Future[Any]", Callable[[], Any]]


class Workers:
    """Up to *count* worker threads (started as calls need them) whose calls are awaited on one event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, count: int) -> None:
        self._loop = loop
        self._count = count
        self._calls: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        # Released by a worker each time it goes back to wait for a call: a call that can take one starts no thread.
        self._idle = threading.Semaphore(0)
        self._threads: list[threading.Thread] = []
        self._stopped = False
        self._done: Handover[_Outcome] = Handover(loop, self._settle)

    async def run(self, call: Callable[[], T]) -> T:
        """Run *call* on a worker thread; its result, or its exception (event loop thread).

        Cancelled while *call* waits for a worker, *call* never runs (as with ``run_in_executor``).
        """
        if self._stopped:
            raise RuntimeError("the server's worker threads have stopped")
        future: asyncio.Future[T] = self._loop.create_future()
        self._calls.put((future, call))
        if not self._idle.acquire(blocking=False) and len(self._threads) < self._count:
            thread = threading.Thread(target=self._serve, name=f"mockapigw-worker-{len(self._threads)}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return await future

    def shutdown(self) -> None:
        """Stop taking calls; calls not started yet are dropped (their awaiters are gone with the loop)."""
        self._stopped = True
        while True:
            try:
                self._calls.get_nowait()
            except queue.Empty:
                break
        for _ in self._threads:
            self._calls.put(None)  # one stop for each thread, after whatever call it is running

    # --- worker threads

    def _serve(self) -> None:
        mark_no_caller()
        calls = self._calls
        while True:
            item = calls.get()
            if item is None:
                return
            future, call = item
            # Read from this thread, an asyncio future's state is a plain attribute: at worst a cancel that comes
            # just after this check lets the call run, as with run_in_executor once a call has started.
            if not future.cancelled():
                self._work(future, call)
            self._idle.release()

    def _work(self, future: asyncio.Future[Any], call: Callable[[], Any]) -> None:
        try:
            outcome: _Outcome = (future, call(), None)
        except Exception as error:  # noqa: BLE001 - handed to the awaiting coroutine, as run_in_executor does
            if type(error) is StopIteration:  # an asyncio future refuses it (it would end a coroutine)
                wrapped = RuntimeError(f"a call on a worker thread raised {error!r}")
                wrapped.__cause__ = error
                error = wrapped
            outcome = (future, None, error)
        except BaseException as error:  # noqa: BLE001 - SystemExit or the like must not stop the server's loop
            wrapped = RuntimeError(f"a call on a worker thread raised {error!r}")
            wrapped.__cause__ = error
            outcome = (future, None, wrapped)
        self._done.put(outcome)  # dropped if the loop is closed: nobody awaits the outcome any more

    # --- event loop thread

    def _settle(self, done: list[_Outcome]) -> None:
        for future, result, error in done:
            if future.cancelled():  # the awaiting coroutine was cancelled (a socket closed, the server stopping)
                continue
            try:
                if error is None:
                    future.set_result(result)
                else:
                    future.set_exception(error)
            except Exception as failure:  # noqa: BLE001 - one outcome must not strand the rest of the batch
                self._loop.call_exception_handler({"message": "a worker's outcome was lost", "exception": failure})
