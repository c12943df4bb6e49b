"""The data plane: WebSocket connections and HTTP requests served from deployed snapshots."""
