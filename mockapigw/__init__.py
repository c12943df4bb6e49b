"""mockapigw: a fast, faithful in-process fake of AWS API Gateway V2 and its @connections API."""

from .core.errors import UnsupportedOperation
from .mock import DEFAULT_ACCOUNT_ID, MockApiGateway, mock_apigateway
from .runtime.alerts import MockApiGatewayWarning
from .runtime.http import InvokeResponse
from .runtime.lambdas import Invocation, LambdaContext, LambdaNotRegistered, LambdaResultError
from .runtime.websocket import ConnectionClosed, ConnectionRejected, WebSocketClient

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "ConnectionClosed",
    "ConnectionRejected",
    "Invocation",
    "InvokeResponse",
    "LambdaContext",
    "LambdaNotRegistered",
    "LambdaResultError",
    "MockApiGateway",
    "MockApiGatewayWarning",
    "UnsupportedOperation",
    "WebSocketClient",
    "__version__",
    "mock_apigateway",
]
