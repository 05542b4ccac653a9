import { requestPeering, type World } from "../../model";
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
