"""The apigatewayv2 control plane: per-region stores, resources, operations and their table, the service adapter."""
