"""Backends per (account, region): one per key, made once, even when threads race to the first use."""

from __future__ import annotations

import threading

from mockapigw.core.state import Regional

# How long the first factory call waits for a second thread to enter the factory too. With the lock the second
# thread never does, so this is the test's cost; without the lock it arrives at once.
RACE_WINDOW_S = 0.5


def test_concurrent_first_use_of_a_region_makes_one_backend() -> None:
    made: list[tuple[str, str]] = []
    second_entered = threading.Event()

    def factory(account_id: str, region: str) -> list[str]:
        made.append((account_id, region))
        if len(made) == 1:
            # Hold the first creation open so that a second thread's first use overlaps it.
            second_entered.wait(RACE_WINDOW_S)
        else:
            second_entered.set()
        return []

    regional = Regional(factory)
    start = threading.Barrier(2)

    def first_use() -> None:
        start.wait()
        regional("123456789012", "xx-test-1").append(threading.current_thread().name)

    threads = [threading.Thread(target=first_use, name=f"writer-{i}") for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert made == [("123456789012", "xx-test-1")]
    # Both writes landed in the one backend the registry keeps.
    assert sorted(regional("123456789012", "xx-test-1")) == ["writer-0", "writer-1"]
    assert len(list(regional)) == 1


def test_each_account_and_region_has_its_own_backend() -> None:
    regional = Regional(lambda account_id, region: {"key": (account_id, region)})
    assert regional("1", "a") is regional("1", "a")
    assert regional("1", "a") is not regional("1", "b")
    assert regional("2", "a")["key"] == ("2", "a")
    assert len(list(regional)) == 3
