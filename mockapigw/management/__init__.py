"""The @connections API (apigatewaymanagementapi)."""
