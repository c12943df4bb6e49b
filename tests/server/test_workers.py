"""The server's worker threads: results and exceptions come back to the awaiting coroutine, batched."""

from __future__ import annotations

import asyncio
import threading

import pytest

from mockapigw.server.workers import Workers


def test_results_and_exceptions_reach_their_awaiters() -> None:
    async def main() -> None:
        workers = Workers(asyncio.get_running_loop(), 8)
        try:
            assert await workers.run(lambda: threading.current_thread().name.startswith("mockapigw-worker"))

            def fail() -> None:
                raise KeyError("from a worker")

            with pytest.raises(KeyError, match="from a worker"):
                await workers.run(fail)
            # Many at once: each awaiter gets its own call's result, whatever the batches were.
            results = await asyncio.gather(*(workers.run(lambda n=n: n * n) for n in range(500)))
            assert results == [n * n for n in range(500)]
        finally:
            workers.shutdown()

    asyncio.run(main())


def test_a_cancelled_awaiter_does_not_break_the_others() -> None:
    async def main() -> None:
        workers = Workers(asyncio.get_running_loop(), 2)
        release = threading.Event()
        try:
            slow = asyncio.ensure_future(workers.run(lambda: release.wait(10)))
            await asyncio.sleep(0.01)
            slow.cancel()
            release.set()  # its outcome arrives for a cancelled future: skipped
            assert await workers.run(lambda: "after") == "after"
            assert slow.cancelled()
        finally:
            workers.shutdown()

    asyncio.run(main())


def test_a_call_finishing_after_its_loop_closed_is_dropped() -> None:
    loop = asyncio.new_event_loop()
    release, finished = threading.Event(), threading.Event()

    def slow() -> str:
        release.wait(10)
        return "late"

    workers = Workers(loop, 1)
    for call in (slow, finished.set):  # queued as run() queues them, their awaiters never to be resumed
        workers._calls.put((loop.create_future(), call))
    worker = threading.Thread(target=workers._serve, daemon=True)
    workers._threads.append(worker)
    worker.start()
    loop.close()
    release.set()
    assert finished.wait(10)  # the worker went on to the next call: the closed loop raised nothing out of it
    workers.shutdown()


@pytest.mark.parametrize("stop", [SystemExit, KeyboardInterrupt, StopIteration])
def test_exceptions_the_loop_cannot_take_arrive_as_runtime_errors(stop: type[BaseException]) -> None:
    async def main() -> None:
        workers = Workers(asyncio.get_running_loop(), 2)
        try:

            def fail() -> None:
                raise stop()

            calls = [workers.run(fail), workers.run(lambda: "next")]
            outcomes = await asyncio.gather(*calls, return_exceptions=True)
            assert isinstance(outcomes[0], RuntimeError) and isinstance(outcomes[0].__cause__, stop)
            assert outcomes[1] == "next"  # the rest of the batch is settled too
        finally:
            workers.shutdown()

    asyncio.run(main())


def test_a_call_cancelled_before_it_starts_never_runs() -> None:
    async def main() -> None:
        workers = Workers(asyncio.get_running_loop(), 1)
        release = threading.Event()
        ran: list[str] = []
        try:
            busy = asyncio.ensure_future(workers.run(lambda: release.wait(10)))
            queued = asyncio.ensure_future(workers.run(lambda: ran.append("queued")))
            await asyncio.sleep(0.01)
            queued.cancel()
            await asyncio.sleep(0)
            release.set()
            await busy
            await workers.run(lambda: None)  # the worker has been through its queue
            assert ran == []
        finally:
            workers.shutdown()

    asyncio.run(main())


def test_threads_start_as_calls_need_them_up_to_the_count_and_stop_on_shutdown() -> None:
    async def main() -> None:
        workers = Workers(asyncio.get_running_loop(), 3)
        assert await workers.run(lambda: "one") == "one"
        assert len(workers._threads) == 1
        await workers.run(lambda: "again")  # the idle thread takes it
        assert len(workers._threads) == 1
        release = threading.Event()
        waiting = [asyncio.ensure_future(workers.run(lambda: release.wait(10))) for _ in range(5)]
        await asyncio.sleep(0.05)
        assert len(workers._threads) == 3  # no more than the count: the other two calls wait for a thread
        release.set()
        assert await asyncio.gather(*waiting) == [True] * 5
        workers.shutdown()
        for thread in workers._threads:
            thread.join(10)
            assert not thread.is_alive()
        with pytest.raises(RuntimeError, match="stopped"):
            await workers.run(lambda: None)

    asyncio.run(main())
