"""API Gateway's OpenAPI extension names, and how their keys map to the members of the Create* operations."""

from __future__ import annotations

METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
ANY_METHOD = "x-amazon-apigateway-any-method"
INTEGRATION = "x-amazon-apigateway-integration"
AUTHORIZER = "x-amazon-apigateway-authorizer"
CORS = "x-amazon-apigateway-cors"
IMPORT_EXPORT_VERSION = "x-amazon-apigateway-importexport-version"
ENDPOINT_CONFIGURATION = "x-amazon-apigateway-endpoint-configuration"

# OpenAPI extension key -> CreateIntegration member (x-amazon-apigateway-integration object).
INTEGRATION_KEYS = {
    "type": "IntegrationType",
    "httpMethod": "IntegrationMethod",
    "uri": "IntegrationUri",
    "payloadFormatVersion": "PayloadFormatVersion",
    "connectionType": "ConnectionType",
    "connectionId": "ConnectionId",
    "timeoutInMillis": "TimeoutInMillis",
    "credentials": "CredentialsArn",
    "description": "Description",
    "integrationSubtype": "IntegrationSubtype",
    "requestParameters": "RequestParameters",
    "responseParameters": "ResponseParameters",
    "tlsConfig": "TlsConfig",
}
# x-amazon-apigateway-authorizer key -> CreateAuthorizer member.
AUTHORIZER_KEYS = {
    "type": "AuthorizerType",
    "identitySource": "IdentitySource",
    "authorizerUri": "AuthorizerUri",
    "authorizerCredentials": "AuthorizerCredentialsArn",
    "authorizerPayloadFormatVersion": "AuthorizerPayloadFormatVersion",
    "authorizerResultTtlInSeconds": "AuthorizerResultTtlInSeconds",
    "enableSimpleResponses": "EnableSimpleResponses",
    "jwtConfiguration": "JwtConfiguration",
}
CORS_KEYS = {
    "allowCredentials": "AllowCredentials",
    "allowHeaders": "AllowHeaders",
    "allowMethods": "AllowMethods",
    "allowOrigins": "AllowOrigins",
    "exposeHeaders": "ExposeHeaders",
    "maxAge": "MaxAge",
}
