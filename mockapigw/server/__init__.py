"""Server mode: the mock on one local port, for the AWS CLI, any AWS SDK, browsers and real WebSocket clients.

An optional extra (``pip install 'mockapigw[server]'``): nothing here is imported by in-process use.
"""

from .runner import Server

__all__ = ["Server"]
