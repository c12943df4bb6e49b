"""Worker threads for the server's calls into the mock, handing results back to the event loop in batches.

``loop.run_in_executor`` wakes the loop once per finished call (a write to its self-pipe, with the GIL handed
back and forth) and chains two futures per call. With hundreds of handshakes in flight those wake-ups were the
largest single cost on the loop's side. Here finished calls' outcomes go through a :class:`Handover`, which
wakes the loop once per batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from ..core.hints import mark_no_caller
from .handover import Handover

T = TypeVar("T")
_Outcome = tuple["asyncio.Future[Any]", Any, BaseException | None]


class Workers:
    """A pool of worker threads whose calls are awaited on one event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, count: int) -> None:
        self._loop = loop
        self._executor = ThreadPoolExecutor(count, "mockapigw-worker", initializer=mark_no_caller)
        self._done: Handover[_Outcome] = Handover(loop, self._settle)

    async def run(self, call: Callable[[], T]) -> T:
        """Run *call* on a worker thread; its result, or its exception (event loop thread).

        Cancelled while *call* waits for a worker, *call* never runs (as with ``run_in_executor``).
        """
        future: asyncio.Future[T] = self._loop.create_future()
        queued = self._executor.submit(self._work, future, call)
        try:
            return await future
        except asyncio.CancelledError:
            queued.cancel()  # does nothing once the call has started
            raise

    def shutdown(self) -> None:
        """Stop taking calls; calls not started yet are dropped (their awaiters are gone with the loop)."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    # --- worker threads

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
