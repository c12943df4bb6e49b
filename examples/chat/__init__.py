"""The chat example: a WebSocket backend tested end to end under mockapigw and moto."""
