import { describe, expect, it, vi } from "vitest";
import { peeringCallEvent, requestPeering, type World } from "../../model";
import { NotifiedDecisionSchema } from "../../shared/notifications/decision-event";
import { formatNotification } from "../../shared/notifications/format-notification";
import type { DecisionRecord } from "../../shared/workflow/decision-record";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { ACCEPTER, REQUESTER, routesOf, useService } from "./harness";
import { PENDING_TICK } from "./pending-pass-worlds";
import { sharedServices } from "./worlds";

const CONNECTION_TAG = "peering-autopilot:connection";

// The accepter's payments groups admit the requester's app subnets on 443 and 8000-8100; the
// requester's tagged group admits the accepter's whole VPC (its tables route all of it) on 53/udp.
const policy = (mode = "enforce") => `
version: 1
mode: ${mode}
rules:
  - name: payments
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
    routes:
      accepter: main
      requester: main
      reach:
        requester: { subnets: { tags: { Tier: app } } }
    securityGroups:
      accepter: { tags: { Peering: payments } }
      requester: { tags: { Peering: dns } }
      ingress:
        - { protocol: tcp, ports: [443, "8000-8100"] }
        - { protocol: udp, ports: [53] }
`;

function build(world: World) {
  const ids = sharedServices(world);
  const appSubnet = world.addSubnet({ vpcId: ids.app, cidr: "10.20.8.0/22", tags: { Tier: "app" } });
  const dbSubnet = world.addSubnet({ vpcId: ids.app, cidr: "10.20.12.0/22", tags: { Tier: "db" } });
  const payments = world.addSecurityGroup({
    vpcId: ids.shared,
    name: "payments",
    tags: { Peering: "payments" },
    // Someone opened 443 to the app subnet by hand already, and SSH from the office.
    ingress: [
      { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.20.8.0/22", description: "by hand" },
      { protocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "192.168.0.0/16" },
    ],
  });
  const untagged = world.addSecurityGroup({
    vpcId: ids.shared,
    name: "web",
    ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "10.20.0.0/16" }],
  });
  const dns = world.addSecurityGroup({ vpcId: ids.app, name: "resolvers", tags: { Peering: "dns" } });
  return { ...ids, appSubnet, dbSubnet, payments, untagged, dns };
}

/** A group's ingress rules as `protocol ports source [tag]` lines, sorted. */
function rulesOf(world: World, groupId: string): string[] {
  return world
    .securityGroupRules(groupId)
    .filter((rule) => !rule.isEgress)
    .map((rule) => {
      const source = Object.values(rule.source)[0];
      const tag = rule.tags[CONNECTION_TAG];
      return `${rule.protocol} ${rule.fromPort}-${rule.toPort} ${String(source)}${tag ? ` ${tag}` : ""}`;
    })
    .sort();
}

const securityGroupCalls = (world: World) =>
  world.calls.filter((call) => /SecurityGroup/.test(call.operation)).map((call) => call.operation);

describe("security-group rules opened to the peer's routed addresses", () => {
  const service = useService(build, { policy: policy() });

  it("opens the tagged groups of both sides with the routes, tagged with the connection, and keeps the others", async () => {
    const world = service.world();
    const { shared, app, sharedMain, appMain, payments, untagged, dns } = service.ids();
    const foreign = { payments: rulesOf(world, payments), untagged: rulesOf(world, untagged) };
    const { connectionId: pcx, event } = requestPeering(world, {
      requesterVpcId: app,
      accepterVpcId: shared,
    });

    const result = (await service.invoke(event)) as { record: DecisionRecord };

    expect(world.peering(pcx).status.code).toBe("active");
    expect(routesOf(world, sharedMain)).toContain(`10.20.8.0/22 -> ${pcx}`);
    expect(rulesOf(world, payments)).toEqual(
      [...foreign.payments, `tcp 8000-8100 10.20.8.0/22 ${pcx}`, `udp 53-53 10.20.8.0/22 ${pcx}`].sort(),
    );
    // The requester's tables route the accepter's whole VPC: its group admits all of it.
    expect(rulesOf(world, dns)).toEqual(
      [
        `tcp 443-443 10.0.0.0/16 ${pcx}`,
        `tcp 8000-8100 10.0.0.0/16 ${pcx}`,
        `udp 53-53 10.0.0.0/16 ${pcx}`,
      ].sort(),
    );
    expect(routesOf(world, appMain)).toContain(`10.0.0.0/16 -> ${pcx}`);
    expect(rulesOf(world, untagged)).toEqual(foreign.untagged);

    // Rules after routes; one call per group; each side in its own account.
    const mutating = world.mutatingCalls();
    const lastRoute = mutating.findLastIndex((call) => call.operation === "CreateRoute");
    const authorizes = mutating.filter((call) => call.operation === "AuthorizeSecurityGroupIngress");
    expect(authorizes.map((call) => call.account).sort()).toEqual([ACCEPTER, REQUESTER]);
    expect(mutating.findIndex((call) => call.operation === "AuthorizeSecurityGroupIngress")).toBeGreaterThan(
      lastRoute,
    );
    const rules = result.record.securityGroupRules;
    expect(rules?.created).toHaveLength(5);
    expect(rules?.present).toEqual([
      expect.objectContaining({ groupId: payments, protocol: "tcp", ports: "443", source: "10.20.8.0/22" }),
    ]);
    expect(rules?.created.every((rule) => rule.ruleId?.startsWith("sgr-"))).toBe(true);
    expect(result.record.changed).toBe(true);
  });

  it("changes nothing at the next pass when nothing moved", async () => {
    const world = service.world();
    const { shared, app, payments, dns } = service.ids();
    const { event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.invoke(event);
    const before = { payments: rulesOf(world, payments), dns: rulesOf(world, dns) };
    const calls = world.calls.length;

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary).toMatchObject({ actions: { maintain: 1 }, changed: 0, failed: 0 });
    expect(world.calls.slice(calls).filter((call) => !/^(Describe|Get)/.test(call.operation))).toEqual([]);
    expect({ payments: rulesOf(world, payments), dns: rulesOf(world, dns) }).toEqual(before);
    // One read of each kind per account-region of the sweep.
    expect(
      world.calls
        .slice(calls)
        .filter((call) => call.operation.startsWith("DescribeSecurityGroup"))
        .map((call) => `${call.operation} ${call.account}`)
        .sort(),
    ).toEqual([
      `DescribeSecurityGroupRules ${ACCEPTER}`,
      `DescribeSecurityGroupRules ${REQUESTER}`,
      `DescribeSecurityGroups ${ACCEPTER}`,
      `DescribeSecurityGroups ${REQUESTER}`,
    ]);
  });

  it("follows a re-tagged subnet: the rules' sources change at the next pass, the foreign rule stays", async () => {
    const world = service.world();
    const { shared, app, payments, appSubnet, dbSubnet } = service.ids();
    const { connectionId: pcx, event } = requestPeering(world, {
      requesterVpcId: app,
      accepterVpcId: shared,
    });
    await service.invoke(event);

    world.subnet(appSubnet).tags = { Tier: "retired" };
    world.subnet(dbSubnet).tags = { Tier: "app" };
    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary).toMatchObject({ changed: 1, failed: 0 });
    expect(rulesOf(world, payments)).toEqual(
      [
        "tcp 22-22 192.168.0.0/16",
        "tcp 443-443 10.20.8.0/22",
        `tcp 443-443 10.20.12.0/22 ${pcx}`,
        `tcp 8000-8100 10.20.12.0/22 ${pcx}`,
        `udp 53-53 10.20.12.0/22 ${pcx}`,
      ].sort(),
    );
  });

  it("revokes its own rules and removes the routes when the connection is deleted, leaving foreign rules", async () => {
    const world = service.world();
    const { shared, app, sharedMain, appMain, payments, untagged, dns } = service.ids();
    const foreign = { payments: rulesOf(world, payments), untagged: rulesOf(world, untagged) };
    const { connectionId: pcx, event } = requestPeering(world, {
      requesterVpcId: app,
      accepterVpcId: shared,
    });
    await service.invoke(event);

    world.setPeeringStatus(pcx, "deleted");
    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary).toMatchObject({ actions: { cleanup: 1 }, changed: 1, failed: 0 });
    expect(rulesOf(world, payments)).toEqual(foreign.payments);
    expect(rulesOf(world, untagged)).toEqual(foreign.untagged);
    expect(rulesOf(world, dns)).toEqual([]);
    expect(routesOf(world, sharedMain).filter((line) => line.includes(pcx))).toEqual([]);
    expect(routesOf(world, appMain).filter((line) => line.includes(pcx))).toEqual([]);

    // Nothing left to revoke: the next pass has nothing to do.
    const calls = world.calls.length;
    await service.run("reconcile");
    expect(world.calls.slice(calls).filter((call) => !/^(Describe|Get)/.test(call.operation))).toEqual([]);
  });

  it("revokes its own rules on the deletion event, before any pass", async () => {
    const world = service.world();
    const { shared, app, payments, dns } = service.ids();
    const foreign = rulesOf(world, payments);
    const { connectionId: pcx, event } = requestPeering(world, {
      requesterVpcId: app,
      accepterVpcId: shared,
    });
    await service.invoke(event);
    world.setPeeringStatus(pcx, "deleted");

    await service.run(
      "on-peering-change",
      peeringCallEvent("DeleteVpcPeeringConnection", {
        connectionId: pcx,
        account: REQUESTER,
        region: "us-east-1",
      }),
    );

    expect(rulesOf(world, payments)).toEqual(foreign);
    expect(rulesOf(world, dns)).toEqual([]);
    expect(
      world
        .mutatingCalls()
        .filter((call) => call.operation === "RevokeSecurityGroupIngress")
        .map((call) => call.account)
        .sort(),
    ).toEqual([ACCEPTER, REQUESTER]);
  });

  it("never revokes a rule the service did not tag, even one identical to a rule it no longer wants", async () => {
    const world = service.world();
    const { shared, app, payments, appSubnet } = service.ids();
    const { connectionId: pcx, event } = requestPeering(world, {
      requesterVpcId: app,
      accepterVpcId: shared,
    });
    await service.invoke(event);
    // A rule tagged for another connection is not this connection's to revoke.
    world.addSecurityGroupRule(payments, {
      protocol: "tcp",
      fromPort: 9000,
      toPort: 9000,
      cidrIpv4: "10.20.8.0/22",
      tags: { [CONNECTION_TAG]: "pcx-0000000000000beef" },
    });

    world.subnet(appSubnet).tags = {};
    await service.run("reconcile");

    expect(rulesOf(world, payments)).toEqual(
      [
        "tcp 22-22 192.168.0.0/16",
        "tcp 443-443 10.20.8.0/22",
        "tcp 9000-9000 10.20.8.0/22 pcx-0000000000000beef",
      ].sort(),
    );
    expect(rulesOf(world, payments).some((line) => line.endsWith(pcx))).toBe(false);
  });
});

describe("security-group rules that cannot be made", () => {
  const service = useService(build, { policy: policy() });

  it("counts a rule someone made between the read and the authorize as present, and makes the others", async () => {
    const world = service.world();
    const { shared, app, payments } = service.ids();
    // The call for the group's two rules, then the first rule sent alone, meet a duplicate.
    world.failNext({
      operation: "AuthorizeSecurityGroupIngress",
      input: { GroupId: payments },
      error: "InvalidPermission.Duplicate",
      times: 2,
    });
    const { connectionId: pcx, event } = requestPeering(world, {
      requesterVpcId: app,
      accepterVpcId: shared,
    });

    const result = (await service.invoke(event)) as { record: DecisionRecord };

    const rules = result.record.securityGroupRules;
    expect(rules?.failed).toEqual([]);
    expect(rules?.present.filter((rule) => rule.groupId === payments)).toHaveLength(2);
    expect(rules?.created.filter((rule) => rule.groupId === payments)).toHaveLength(1);
    expect(rulesOf(world, payments).filter((line) => line.endsWith(pcx))).toHaveLength(1);
  });

  it.each([
    ["a rule already gone", "InvalidSecurityGroupRuleId.NotFound"],
    ["a group already gone", "InvalidGroup.NotFound"],
  ])("counts %s as revoked when the connection is deleted, and fails nothing", async (_, error) => {
    const world = service.world();
    const { shared, app, dns } = service.ids();
    const { connectionId: pcx, event } = requestPeering(world, {
      requesterVpcId: app,
      accepterVpcId: shared,
    });
    await service.invoke(event);
    world.setPeeringStatus(pcx, "deleted");
    world.failNext({ operation: "RevokeSecurityGroupIngress", input: { GroupId: dns }, error, times: 4 });

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary).toMatchObject({ actions: { cleanup: 1 }, failed: 0 });
    const revokes = world.calls.filter(
      (c) => c.operation === "RevokeSecurityGroupIngress" && c.account === REQUESTER,
    );
    // A rule gone makes the service try each rule alone; a group gone ends it at once.
    expect(revokes).toHaveLength(error === "InvalidGroup.NotFound" ? 1 : 4);
  });

  it("fails the invocation naming the group, with the routes made, and makes the rule at the next pass", async () => {
    const world = service.world();
    const { shared, app, sharedMain, payments, dns } = service.ids();
    world.failNext({
      operation: "AuthorizeSecurityGroupIngress",
      input: { GroupId: payments },
      error: "UnauthorizedOperation",
    });
    const { connectionId: pcx, event } = requestPeering(world, {
      requesterVpcId: app,
      accepterVpcId: shared,
    });

    await expect(service.invoke(event)).rejects.toMatchObject({
      name: "PartialFailureError",
      message: expect.stringMatching(
        new RegExp(
          `change\\(s\\) not made: authorize ${payments} tcp 8000-8100 10\\.20\\.8\\.0/22: .*UnauthorizedOperation`,
        ),
      ),
    });
    expect(routesOf(world, sharedMain)).toContain(`10.20.8.0/22 -> ${pcx}`);
    expect(rulesOf(world, dns)).toHaveLength(3);
    expect(rulesOf(world, payments).filter((line) => line.endsWith(pcx))).toEqual([]);

    const summary = (await service.run("reconcile")) as ReconcileSummary;
    expect(summary).toMatchObject({ changed: 1, failed: 0 });
    expect(rulesOf(world, payments).filter((line) => line.endsWith(pcx))).toHaveLength(2);
  });
});

describe("security-group rules in report mode", () => {
  const service = useService(build, { policy: policy("report") });

  it("makes no Authorize or Revoke call, and says which rules it would create", async () => {
    const world = service.world();
    const { shared, app, payments } = service.ids();
    const pcx = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    const stale = world.addSecurityGroupRule(payments, {
      protocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "10.20.0.0/16",
      tags: { [CONNECTION_TAG]: pcx },
    });
    const before = rulesOf(world, payments);
    const info = vi.spyOn(service.logger(), "info");

    await service.run("reconcile");

    const logged = info.mock.calls.flatMap(([message, extra]) =>
      message === "decision" ? [(extra as { decision: DecisionRecord }).decision] : [],
    );
    expect(securityGroupCalls(world).filter((op) => !op.startsWith("Describe"))).toEqual([]);
    expect(rulesOf(world, payments)).toEqual(before);
    expect(world.securityGroupRules(payments).some((rule) => rule.id === stale)).toBe(true);
    const record = logged.find((r) => r.connectionId === pcx);
    expect(
      record?.wouldChange?.securityGroupRules?.create.map((rule) => `${rule.ports} ${rule.source}`),
    ).toEqual(expect.arrayContaining(["8000-8100 10.20.8.0/22", "53 10.20.8.0/22", "443 10.0.0.0/16"]));
    expect(record?.wouldChange?.securityGroupRules?.revoke).toEqual([
      expect.objectContaining({ groupId: payments, ruleId: stale, source: "10.20.0.0/16" }),
    ]);

    // What people would read: the rules, in report mode.
    const { text, chat } = formatNotification(NotifiedDecisionSchema.parse({ ...record, notify: true }), {
      now: world.now(),
    });
    expect(text).toMatch(/Would .*open 5 security-group rules and revoke 1 security-group rule for /);
    expect(text).toContain(
      `Would revoke security-group rules (report mode: not revoked)\n  accepter ${ACCEPTER} us-east-1 ${payments} tcp 443 from 10.20.0.0/16 (${stale})`,
    );
    expect(chat.content.description).toContain(
      `\`accepter ${ACCEPTER} us-east-1 ${payments} tcp 443 from 10.20.0.0/16 (${stale})\``,
    );
  });
});

describe("security-group rules withdrawn from the policy", () => {
  const service = useService(build, { policy: policy() });
  // The same rule, routing as before, opening no group any more.
  const withdrawn = policy().split("    securityGroups:")[0] ?? "";

  async function peered() {
    const world = service.world();
    const { shared, app } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.invoke(event);
    return { world, pcx: connectionId, ...service.ids() };
  }

  const groupReads = (world: World, since: number) =>
    world.calls
      .slice(since)
      .filter((call) => call.operation.startsWith("DescribeSecurityGroup"))
      .map((call) => `${call.operation} ${call.account}`)
      .sort();

  it("revokes the service's rules at the next full pass, keeping the routes and every foreign rule", async () => {
    const { world, pcx, payments, untagged, dns, sharedMain, appMain } = await peered();
    const foreign = { payments: rulesOf(world, payments), untagged: rulesOf(world, untagged) };
    const routes = { shared: routesOf(world, sharedMain), app: routesOf(world, appMain) };
    await service.redeploy(withdrawn);
    const calls = world.calls.length;

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary).toMatchObject({ actions: { maintain: 1 }, changed: 1, failed: 0 });
    expect(rulesOf(world, payments).filter((line) => line.endsWith(pcx))).toEqual([]);
    expect(rulesOf(world, payments)).toEqual(foreign.payments.filter((line) => !line.endsWith(pcx)));
    expect(rulesOf(world, untagged)).toEqual(foreign.untagged);
    expect(rulesOf(world, dns)).toEqual([]);
    expect({ shared: routesOf(world, sharedMain), app: routesOf(world, appMain) }).toEqual(routes);
    // Only the service's own rules, and the groups holding them, were read.
    expect(groupReads(world, calls)).toEqual([
      `DescribeSecurityGroupRules ${ACCEPTER}`,
      `DescribeSecurityGroupRules ${REQUESTER}`,
      `DescribeSecurityGroups ${ACCEPTER}`,
      `DescribeSecurityGroups ${REQUESTER}`,
    ]);
    const groupsAsked = world.calls
      .slice(calls)
      .filter((call) => call.operation === "DescribeSecurityGroups")
      .flatMap((call) => (call.input as { Filters?: { Name?: string; Values?: string[] }[] }).Filters ?? []);
    expect(groupsAsked).toEqual(
      expect.arrayContaining([
        { Name: "group-id", Values: [payments] },
        { Name: "group-id", Values: [dns] },
      ]),
    );
    expect(groupsAsked).toHaveLength(2);

    // With none of its rules left, a pass asks for them and nothing more, and changes nothing.
    const next = world.calls.length;
    expect(await service.run("reconcile")).toMatchObject({ changed: 0, failed: 0 });
    expect(groupReads(world, next)).toEqual([
      `DescribeSecurityGroupRules ${ACCEPTER}`,
      `DescribeSecurityGroupRules ${REQUESTER}`,
    ]);
  });

  it("revokes them on the deletion event, and the pending pass reads no group", async () => {
    const { world, pcx, payments, dns, appEu, shared } = await peered();
    const foreign = rulesOf(world, payments).filter((line) => !line.endsWith(pcx));
    await service.redeploy(withdrawn);

    // A pending request has no rules yet: the pending pass decides it (its IPv6 block is outside the
    // rule's CIDRs) without reading any group.
    const request = world.addPeering({ requesterVpcId: appEu, accepterVpcId: shared });
    const pending = world.calls.length;
    expect(await service.run("reconcile", PENDING_TICK)).toMatchObject({ actions: { reject: 1 } });
    expect(world.peering(request).status.code).toBe("rejected");
    expect(groupReads(world, pending)).toEqual([]);

    world.setPeeringStatus(pcx, "deleted");
    await service.run(
      "on-peering-change",
      peeringCallEvent("DeleteVpcPeeringConnection", {
        connectionId: pcx,
        account: REQUESTER,
        region: "us-east-1",
      }),
    );

    expect(rulesOf(world, payments)).toEqual(foreign);
    expect(rulesOf(world, dns)).toEqual([]);
  });
});
