import { describe, expect, it } from "vitest";
import type { CallRecord } from "../../model";
import { useService } from "../handlers/harness";
import { sharedServices } from "../handlers/worlds";
import { appsGroup, CHANGED_POLICY, GROUPS_POLICY, organisation, PLAN_POLICY } from "./plan-world";
import { runCli } from "./run-cli";

interface Route {
  account: string;
  region: string;
  routeTableId: string;
  destination: string;
}
interface ConnectionView {
  connectionId: string;
  effect: string;
  connection?: "accept" | "reject";
  createRoutes: Route[];
  removeRoutes: Route[];
  enableDns: { account: string; region: string }[];
  securityGroupRules?: { create: Rule[]; revoke: Rule[] };
}
interface Rule {
  account: string;
  region: string;
  groupId: string;
  ruleId?: string;
  protocol: string;
  ports: string;
  source: string;
}

const key = (r: Route) => `${r.account} ${r.region} ${r.routeTableId} ${r.destination}`;

function routeOf(call: CallRecord): string {
  const input = call.input as Record<string, string | undefined>;
  const destination = input.DestinationCidrBlock ?? input.DestinationIpv6CidrBlock ?? "";
  return key({
    account: call.account,
    region: call.region,
    routeTableId: input.RouteTableId ?? "",
    destination,
  });
}

const ruleKey = (r: Omit<Rule, "ruleId">) =>
  `${r.account} ${r.region} ${r.groupId} ${r.protocol} ${r.ports} ${r.source}`;

/** The rules one AuthorizeSecurityGroupIngress call opens, keyed as the plan's. */
function rulesOf(call: CallRecord): string[] {
  const input = call.input as {
    GroupId: string;
    IpPermissions: {
      IpProtocol: string;
      FromPort: number;
      ToPort: number;
      IpRanges?: { CidrIp: string }[];
      Ipv6Ranges?: { CidrIpv6: string }[];
    }[];
  };
  return input.IpPermissions.flatMap((p) =>
    [...(p.IpRanges ?? []).map((r) => r.CidrIp), ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)].map(
      (source) =>
        ruleKey({
          account: call.account,
          region: call.region,
          groupId: input.GroupId,
          protocol: p.IpProtocol,
          ports: p.FromPort === p.ToPort ? String(p.FromPort) : `${p.FromPort}-${p.ToPort}`,
          source,
        }),
    ),
  );
}

/**
 * What `plan` says a pass changes is what the deployed reconciler then changes: the same connections
 * accepted and rejected, the same routes created and removed, the same DNS options set, the same
 * security-group rules opened and revoked, nothing else.
 */
describe.each([
  ["the organisation's policy", PLAN_POLICY, false],
  ["a changed policy, with DNS resolution", CHANGED_POLICY, false],
  ["a policy opening security groups", GROUPS_POLICY, true],
])("plan, then the reconciler, under %s", (_, policy, groups) => {
  const service = useService(sharedServices, { policy });

  it("agree: the pass makes exactly the changes the plan listed", async () => {
    const world = service.world();
    const ids = organisation(world, service.ids());
    if (groups) appsGroup(world, service.ids(), ids);

    const planned = await runCli("plan", "--json", "--policy", process.env.POLICY_PATH ?? "");
    expect(planned.code).toBe(2);
    expect(world.mutatingCalls()).toEqual([]);
    const plan = JSON.parse(planned.stdout);
    const changing: ConnectionView[] = plan.connections.filter((c: ConnectionView) => c.effect === "changes");

    await service.run("reconcile");

    const calls = world.mutatingCalls().filter((c) => c.service === "EC2");
    const made = (operation: string) => calls.filter((c) => c.operation === operation);
    expect(made("CreateRoute").map(routeOf).sort()).toEqual(
      changing
        .flatMap((c) => c.createRoutes)
        .map(key)
        .sort(),
    );
    expect(made("DeleteRoute").map(routeOf).sort()).toEqual(
      [...changing.flatMap((c) => c.removeRoutes), ...plan.orphanRoutes.routes].map(key).sort(),
    );
    const connectionIds = (operation: string) =>
      made(operation).map((c) => (c.input as { VpcPeeringConnectionId: string }).VpcPeeringConnectionId);
    const planning = (change: string) =>
      changing.filter((c) => c.connection === change).map((c) => c.connectionId);
    expect(connectionIds("AcceptVpcPeeringConnection")).toEqual(planning("accept"));
    expect(connectionIds("RejectVpcPeeringConnection")).toEqual(planning("reject"));
    expect(
      made("ModifyVpcPeeringConnectionOptions")
        .map((c) => `${c.account} ${c.region}`)
        .sort(),
    ).toEqual(
      changing
        .flatMap((c) => c.enableDns)
        .map((d) => `${d.account} ${d.region}`)
        .sort(),
    );
    const rules = changing.map((c) => c.securityGroupRules ?? { create: [], revoke: [] });
    expect(made("AuthorizeSecurityGroupIngress").flatMap(rulesOf).sort()).toEqual(
      rules
        .flatMap((r) => r.create)
        .map(ruleKey)
        .sort(),
    );
    expect(
      made("RevokeSecurityGroupIngress")
        .flatMap((c) => (c.input as { SecurityGroupRuleIds: string[] }).SecurityGroupRuleIds)
        .sort(),
    ).toEqual(
      rules
        .flatMap((r) => r.revoke)
        .map((r) => r.ruleId)
        .sort(),
    );
    // Under the policy opening groups: two rules to open (the accepted and the maintained connection's),
    // two to revoke (the maintained one's SSH rule, the dead one's).
    expect(rules.flatMap((r) => [...r.create, ...r.revoke])).toHaveLength(groups ? 4 : 0);
    // Beyond those, a pass only tags what it decided.
    const known = new Set([
      "AuthorizeSecurityGroupIngress",
      "RevokeSecurityGroupIngress",
      "CreateRoute",
      "DeleteRoute",
      "AcceptVpcPeeringConnection",
      "RejectVpcPeeringConnection",
      "ModifyVpcPeeringConnectionOptions",
      "CreateTags",
      "DeleteTags",
    ]);
    expect(calls.filter((c) => !known.has(c.operation))).toEqual([]);
    // The report-only decision changed nothing, as the plan said.
    const reportOnly = plan.connections.filter((c: ConnectionView) => c.effect === "report-only");
    expect(reportOnly).toHaveLength(1);
    for (const { connectionId } of reportOnly) {
      expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    }
  });
});
