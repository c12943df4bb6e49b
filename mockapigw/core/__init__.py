"""Service-agnostic machinery: interception, codec, errors, ids, clock, pagination, state."""
