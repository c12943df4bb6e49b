"""Benchmark harness: mockapigw against botocore's floor and moto; run it with ``python -m benchmarks``."""

from __future__ import annotations

SUBJECTS = ("floor", "moto", "mockapigw")
CALL_CASES = ("get_api", "create_route", "post_to_connection")
CASES = (*CALL_CASES, "start_stop")
REGION = "us-east-1"

# Scaling cases: how a cost grows with the number of resources. The floor has no state, so it is not a subject;
# moto has no WebSocket runtime (nothing to connect to, no integration to run), so the round trip is mockapigw's.
SCALE_CASES = ("paginate_routes", "broadcast", "round_trip", "openapi_import")
SCALE_SUBJECTS = {
    "paginate_routes": ("moto", "mockapigw"),
    "broadcast": ("moto", "mockapigw"),
    "round_trip": ("mockapigw",),
    "openapi_import": ("mockapigw",),  # moto's ImportApi reads no authorizers, CORS or limits: not comparable
}
# The scaling cases measured at two sizes; the round trip is per operation, at no particular size.
SIZED_CASES = ("paginate_routes", "broadcast")
PAGE_SIZE = 100
# The OpenAPI import case reads a document of this many bytes (as JSON); AWS documents 6 MB for API definitions.
IMPORT_SIZE = 5_000_000

# The targets from the performance issue: per call no slower than the floor, start+stop within 0.2 ms, and
# linear scaling: the per-item cost at the larger size within 1.2x of that at the smaller one.
TARGET_PER_CALL_RATIO = 1.00
TARGET_START_STOP_US = 200.0
TARGET_SCALING_RATIO = 1.20
