"""AWS's own WebSocket chat example, in its shape: routes first, then an AutoDeploy stage, then clients chat."""
