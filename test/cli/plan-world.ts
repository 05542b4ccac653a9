import { requestPeering, type World } from "../../model";
import { CONNECTION_TAG } from "../../shared/security-groups/rule-key";
import { ACCEPTER, PARTNER, REQUESTER, SHARED_VPC } from "../handlers/harness";
import { addPcxRoute, vanish } from "../handlers/sweep-worlds";
import { mainTable, type sharedServices } from "../handlers/worlds";

/**
 * `apps` accepts requester VPCs in 10.16.0.0/12 into the shared-services VPC, routing every table of
 * both; `partners` is in report mode; a request from anywhere else is rejected.
 */
export const PLAN_POLICY = `
version: 1
unmatched: reject
rules:
  - name: apps
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"], vpcs: ["${SHARED_VPC}"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
  - name: partners
    mode: report
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${PARTNER}"], cidrs: ["172.20.0.0/16"] }
    routes: { accepter: main, requester: none }
`;

/**
 * The same organisation under a changed `apps` rule: it also admits 192.168.0.0/16, routes only the
 * shared VPC's main table and enables remote DNS resolution.
 */
export const CHANGED_POLICY = `
version: 1
unmatched: reject
rules:
  - name: apps
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"], vpcs: ["${SHARED_VPC}"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12", "192.168.0.0/16"] }
    routes: { accepter: main, requester: all }
    dnsResolution: true
  - name: partners
    mode: report
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${PARTNER}"], cidrs: ["172.20.0.0/16"] }
    routes: { accepter: main, requester: none }
`;

type Ids = ReturnType<typeof sharedServices>;

/**
 * Under PLAN_POLICY, one connection per action a pass takes: a request `apps` accepts, one it rejects,
 * an active connection missing its requester route (maintain), a rejected connection with a leftover
 * route (cleanup), a blackhole route to a connection EC2 no longer shows, and a partner request that
 * the report-mode rule would accept.
 */
export function organisation(world: World, ids: Ids) {
  const { shared, sharedMain, sharedPrivate, app, partner } = ids;
  const vpc = (cidr: string) => world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: [cidr] });
  const accepted = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared }).connectionId;
  const outside = vpc("192.168.0.0/16");
  const rejected = requestPeering(world, { requesterVpcId: outside, accepterVpcId: shared }).connectionId;

  const app2 = vpc("10.21.0.0/16");
  const maintained = world.addPeering({ requesterVpcId: app2, accepterVpcId: shared, status: "active" });
  addPcxRoute(world, sharedMain, "10.21.0.0/16", maintained);
  addPcxRoute(world, sharedPrivate, "10.21.0.0/16", maintained);

  const app3 = vpc("10.22.0.0/16");
  const dead = world.addPeering({ requesterVpcId: app3, accepterVpcId: shared, status: "rejected" });
  addPcxRoute(world, sharedMain, "10.22.0.0/16", dead);

  const app4 = vpc("10.23.0.0/16");
  const gone = world.addPeering({ requesterVpcId: app4, accepterVpcId: shared, status: "active" });
  addPcxRoute(world, sharedPrivate, "10.23.0.0/16", gone);
  vanish(world, gone);

  const partnerRequest = requestPeering(world, {
    requesterVpcId: partner,
    accepterVpcId: shared,
  }).connectionId;
  return {
    accepted,
    rejected,
    maintained,
    dead,
    gone,
    partnerRequest,
    app2Main: mainTable(world, app2),
  };
}

/** PLAN_POLICY with `apps` also opening the shared VPC's groups tagged Peering=apps on 443/tcp. */
export const GROUPS_POLICY = PLAN_POLICY.replace(
  `    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }\n`,
  `    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
    securityGroups:
      accepter: { tags: { Peering: apps } }
      ingress: [{ protocol: tcp, ports: [443] }]\n`,
);

/**
 * An active connection from the app VPC to the shared VPC with every route `apps` wants, and the
 * shared VPC's group tagged Peering=apps: with no rule for the connection (`rules: "none"`), with the
 * 443 rule made for it (`wanted`), or with that and an SSH rule made for it that the policy no longer
 * asks for (`stale`).
 */
export function routedConnection(world: World, ids: Ids, rules: "none" | "wanted" | "stale") {
  const { shared, sharedMain, sharedPrivate, app, appMain } = ids;
  const connectionId = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
  addPcxRoute(world, sharedMain, "10.20.0.0/16", connectionId);
  addPcxRoute(world, sharedPrivate, "10.20.0.0/16", connectionId);
  addPcxRoute(world, appMain, "10.0.0.0/16", connectionId);
  const made = (port: number) => ({
    protocol: "tcp",
    fromPort: port,
    toPort: port,
    cidrIpv4: "10.20.0.0/16",
    tags: { [CONNECTION_TAG]: connectionId },
  });
  const ingress = rules === "none" ? [] : rules === "wanted" ? [made(443)] : [made(443), made(22)];
  const groupId = world.addSecurityGroup({ vpcId: shared, name: "apps", tags: { Peering: "apps" }, ingress });
  const stale = world.securityGroupRules(groupId).find((rule) => rule.fromPort === 22)?.id;
  return { connectionId, groupId, staleRuleId: stale };
}

/**
 * For `organisation` under GROUPS_POLICY: the shared VPC's group tagged Peering=apps, holding an SSH rule
 * made for the maintained connection (no longer asked for) and a rule made for the dead one.
 */
export function appsGroup(world: World, ids: Ids, made: { maintained: string; dead: string }): string {
  const rule = (port: number, cidr: string, connectionId: string) => ({
    protocol: "tcp",
    fromPort: port,
    toPort: port,
    cidrIpv4: cidr,
    tags: { [CONNECTION_TAG]: connectionId },
  });
  return world.addSecurityGroup({
    vpcId: ids.shared,
    name: "apps",
    tags: { Peering: "apps" },
    ingress: [rule(22, "10.21.0.0/16", made.maintained), rule(443, "10.22.0.0/16", made.dead)],
  });
}
