"""The control-plane machine's rules for VPC links, private integrations, custom domain names and API mappings."""

from __future__ import annotations

from typing import Any

from control_plane_machine import ControlPlaneMachine
from control_plane_model import (
    ABSENT,
    ANY_ERROR,
    APIS,
    BAD_REQUEST,
    CERTIFICATE,
    CONFLICT,
    DOMAINS,
    FAKE_IDS,
    INTEGRATIONS,
    MAPPING_KEYS,
    MAPPINGS,
    NAMES,
    NOT_FOUND,
    OK,
    STAGE_NAMES,
    STAGES,
    SWAP,
    outcome,
)
from hypothesis import strategies as st
from hypothesis.stateful import multiple, rule


class DomainRules(ControlPlaneMachine):
    """Rules for VPC links, private integrations, custom domain names and API mappings."""

    # --- Custom domain names and API mappings.

    @rule(name=st.sampled_from(DOMAINS), delete=st.sampled_from([False, False, True]))
    def create_or_delete_domain_name(self, name: str, delete: bool) -> None:
        if delete:
            expect = OK if name in self.domains else NOT_FOUND
            self.call("delete_domain_name", expect, DomainName=name)
            if expect == OK:
                del self.domains[name]
            return
        expect = CONFLICT if name in self.domains else OK  # domains-and-vpc-links.md
        configuration = [{"CertificateArn": CERTIFICATE, "EndpointType": "REGIONAL"}]
        if self.call("create_domain_name", expect, DomainName=name, DomainNameConfigurations=configuration):
            self.domains[name] = {}

    # Any API, and mostly a domain name and a stage that exist, rather than a stage made earlier by a rule: with
    # that, a run of 1,500 steps made three mappings. A stage or domain name it names may still not exist.
    @rule(target=MAPPINGS, api=APIS, key=st.sampled_from(MAPPING_KEYS), data=st.data())
    def create_api_mapping(self, api: str, key: str, data: st.DataObject) -> Any:
        live = self.live.get(api)
        domain = data.draw(st.sampled_from([*self.domains] * 4 + [*DOMAINS]), label="domain")
        name = data.draw(st.sampled_from([*(live.stages if live else ())] * 4 + [*STAGE_NAMES]), label="stage")
        ref = self.live.get(api)
        if domain not in self.domains or ref is None:
            expect = NOT_FOUND
        elif name not in ref.stages:
            expect = BAD_REQUEST  # "Invalid stage identifier specified" (aws-facts §1.3)
        elif any(m["ApiMappingKey"] == key for m in self.domains[domain].values()):
            expect = ANY_ERROR  # the key is taken (the mock's ConflictException; other rules may refuse first)
        else:
            # A domain serves one protocol (domains-and-vpc-links.md).
            protocols = {self.live[m["ApiId"]].protocol for m in self.domains[domain].values()}
            expect = OK if protocols <= {ref.protocol} else BAD_REQUEST
        params = {"DomainName": domain, "ApiId": api, "Stage": name, "ApiMappingKey": key}
        output = self.call("create_api_mapping", expect, **params)
        if output is None:
            return multiple()
        self.domains[domain][output["ApiMappingId"]] = {"ApiId": api, "Stage": name, "ApiMappingKey": key}
        return (domain, output["ApiMappingId"])

    @rule(mapping=MAPPINGS, stage=STAGES, key=st.none() | st.sampled_from(MAPPING_KEYS))
    def update_api_mapping(self, mapping: tuple[str, str], stage: tuple[str, str], key: str | None) -> None:
        """Point a mapping at another stage (of its API or another), maybe under another key."""
        domain, mapping_id = mapping
        api, name = stage
        current = self.domains.get(domain, {}).get(mapping_id)
        ref = self.live.get(api)
        params = {"DomainName": domain, "ApiMappingId": mapping_id, "ApiId": api, "Stage": name}
        if key is not None:
            params["ApiMappingKey"] = key
        if current is None or ref is None:
            expect = NOT_FOUND
        else:
            others = [m for i, m in self.domains[domain].items() if i != mapping_id]
            violations = set()
            if name not in ref.stages:
                violations.add(BAD_REQUEST)
            if any(m["ApiMappingKey"] == (current["ApiMappingKey"] if key is None else key) for m in others):
                violations.add(CONFLICT)
            if {self.live[m["ApiId"]].protocol for m in others} - {ref.protocol}:
                violations.add(BAD_REQUEST)
            expect = outcome(violations)
        if self.call("update_api_mapping", expect, **params) is None:
            return
        assert current is not None
        current.update(ApiId=api, Stage=name)
        if key is not None:
            current["ApiMappingKey"] = key

    @rule(mapping=MAPPINGS)
    def delete_api_mapping(self, mapping: tuple[str, str]) -> None:
        domain, mapping_id = mapping
        expect = OK if mapping_id in self.domains.get(domain, {}) else NOT_FOUND
        self.call("delete_api_mapping", expect, DomainName=domain, ApiMappingId=mapping_id)
        if expect == OK:
            del self.domains[domain][mapping_id]

    # --- VPC links and private integrations.

    @rule(name=NAMES, delete=st.sampled_from([False, False, True]), data=st.data())
    def vpc_link(self, name: str, delete: bool, data: st.DataObject) -> None:
        """Create a VPC link, or delete one (a route goes through it: BadRequestException, domains-and-vpc-links.md)."""
        if delete and self.vpc_links:
            link_id = data.draw(st.sampled_from(list(self.vpc_links)))
            used = any(
                route.get("Target") == f"integrations/{integration_id}"
                for ref in self.live.values()
                for integration_id, integration in ref.integrations.items()
                if integration.get("ConnectionId") == link_id
                for route in ref.routes.values()
            )
            if self.call("delete_vpc_link", BAD_REQUEST if used else OK, VpcLinkId=link_id) is not None:
                del self.vpc_links[link_id]
            return
        expect = OK if len(self.vpc_links) < 10 else "TooManyRequestsException"  # 10 per Region (aws-facts §4)
        output = self.call("create_vpc_link", expect, Name=name, SubnetIds=["subnet-1"])
        if output is not None:
            self.vpc_links[output["VpcLinkId"]] = {"Name": name, "SubnetIds": ["subnet-1"]}

    @rule(target=INTEGRATIONS, api=APIS, data=st.data())
    def create_private_integration(self, api: str, data: st.DataObject) -> Any:
        """An HTTP API integration through a VPC link (an unknown link: NotFoundException, integrations.md)."""
        ref = self.live.get(api)
        if ref is None or ref.protocol != "HTTP":
            return multiple()
        known = list(self.vpc_links)
        link_id = data.draw(st.sampled_from(known)) if known and not data.draw(SWAP) else data.draw(FAKE_IDS)
        params = {
            "ApiId": api,
            "IntegrationType": "HTTP_PROXY",
            "IntegrationMethod": "GET",
            "IntegrationUri": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/b/c",
            "ConnectionType": "VPC_LINK",
            "ConnectionId": link_id,
        }
        output = self.call("create_integration", OK if link_id in self.vpc_links else NOT_FOUND, **params)
        if output is None:
            return multiple()
        integration_id = output["IntegrationId"]
        ref.integrations[integration_id] = {
            "IntegrationType": "HTTP_PROXY",
            "ConnectionType": "VPC_LINK",
            "ConnectionId": link_id,
            "Description": ABSENT,
        }
        ref.integration_responses[integration_id] = {}
        self.made_integrations.append((api, integration_id))
        self.changed(api)
        return (api, integration_id)
