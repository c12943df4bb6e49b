"""Benchmark harness: mockapigw against botocore's floor and moto; run it with ``python -m benchmarks``."""

from __future__ import annotations

SUBJECTS = ("floor", "moto", "mockapigw")
CALL_CASES = ("get_api", "create_route", "post_to_connection")
CASES = (*CALL_CASES, "start_stop")
REGION = "us-east-1"

# The targets from the performance issue: per call no slower than the floor, start+stop within 0.2 ms.
TARGET_PER_CALL_RATIO = 1.00
TARGET_START_STOP_US = 200.0
