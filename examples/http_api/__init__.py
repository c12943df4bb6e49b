"""The HTTP API example: an orders backend behind a JWT authorizer, tested end to end under mockapigw and moto."""
