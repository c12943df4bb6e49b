"""The apigatewayv2 control plane: backend, resources and service adapter."""
