"""What the front door's warnings tell the user to do: deploy, create a stage or a route, start the mock."""

from __future__ import annotations

HOW_TO_DEPLOY = (
    "Deploy it: create_deployment(ApiId='{api}', StageName='{stage}'), or create the stage with AutoDeploy=True."
)
HOW_TO_STAGE = "Create one: create_stage(ApiId='{api}', StageName='{stage}', AutoDeploy=True)."
HOW_TO_ROUTE = (
    "The API has no routes, and an API without routes cannot be deployed. Add one: create_route(ApiId='{api}', "
    "RouteKey='$default', Target=...){then}."
)


def not_active(call: str, action: str) -> str:
    """Why *call* is refused: the mock is not started. *action* is what to do inside it (``connect``)."""
    return (
        f"the mock is not active ({call} was called before start() or after stop()); {action} inside the "
        "`with mock_apigateway()` block, the decorated test, or a test using the apigw fixture."
    )


def how_to_deploy(api_id: str, stage: str) -> str:
    """The hint that says how to deploy the stage *stage* of *api_id*."""
    return HOW_TO_DEPLOY.format(api=api_id, stage=stage)
