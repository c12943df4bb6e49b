"""Infrastructure for the orders example, the way a deploy script would create it with boto3.

On AWS, the Lambda function and the identity provider exist outside API Gateway. Under the mock they are
stood in for by :func:`register_with_mock`: the handler is registered as the function, and the provider's
public signing keys as the issuer's JWKS.
"""

from __future__ import annotations

from typing import Any

import boto3

from mockapigw import MockApiGateway

from . import handler as orders_handler

REGION = "us-east-1"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:123456789012:function:orders"
ISSUER = "https://issuer.example.com"
AUDIENCE = "orders"
WRITE_SCOPE = "orders.write"
SHOP_ORIGIN = "https://shop.example"


def create_table() -> None:
    """The DynamoDB table of orders: one partition per owner (the token's ``sub``), one item per order."""
    boto3.client("dynamodb", region_name=REGION).create_table(
        TableName=orders_handler.TABLE,
        KeySchema=[{"AttributeName": "owner", "KeyType": "HASH"}, {"AttributeName": "id", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "owner", "AttributeType": "S"},
            {"AttributeName": "id", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )


def create_orders_api() -> str:
    """An HTTP API with three JWT-protected routes on one Lambda proxy integration; returns its invoke URL.

    The API answers CORS preflights for the shop's origin, and is deployed to a ``$default`` stage, so the
    routes are at the root of the invoke URL.
    """
    v2: Any = boto3.client("apigatewayv2", region_name=REGION)
    api = v2.create_api(
        Name="orders",
        ProtocolType="HTTP",
        CorsConfiguration={
            "AllowOrigins": [SHOP_ORIGIN],
            "AllowMethods": ["GET", "POST"],
            "AllowHeaders": ["authorization", "content-type"],
            "ExposeHeaders": ["location"],
            "MaxAge": 600,
        },
    )
    api_id = api["ApiId"]
    uri = f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{FUNCTION_ARN}/invocations"
    integration = v2.create_integration(
        ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=uri, PayloadFormatVersion="2.0"
    )
    authorizer = v2.create_authorizer(
        ApiId=api_id,
        Name="orders-jwt",
        AuthorizerType="JWT",
        IdentitySource=["$request.header.Authorization"],
        JwtConfiguration={"Issuer": ISSUER, "Audience": [AUDIENCE]},
    )
    routes: dict[str, list[str]] = {"GET /orders": [], "POST /orders": [WRITE_SCOPE], "GET /orders/{id}": []}
    for route_key, scopes in routes.items():
        v2.create_route(
            ApiId=api_id,
            RouteKey=route_key,
            Target=f"integrations/{integration['IntegrationId']}",
            AuthorizationType="JWT",
            AuthorizerId=authorizer["AuthorizerId"],
            **({"AuthorizationScopes": scopes} if scopes else {}),
        )
    # Created last, as Serverless Framework and SST may leave it: an AutoDeploy stage is deployed at once.
    v2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    return str(api["ApiEndpoint"])


def register_with_mock(gw: MockApiGateway, jwks: dict[str, Any]) -> None:
    """Stand in for what lives outside API Gateway: the Lambda function and the issuer's signing keys."""
    gw.register_lambda(FUNCTION_ARN, orders_handler.handler)
    gw.register_jwt_keys(ISSUER, jwks)
