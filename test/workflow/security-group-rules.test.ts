import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installModel, World } from "../../model";
import { authorizeRules, revokeRules } from "../../shared/aws/carry-out/apply-rules";
import type { Outcome } from "../../shared/aws/carry-out/jobs";
import { AwsSessions } from "../../shared/aws/sessions/sessions";
import { decide } from "../../shared/decision/decide";
import type { PeeringConnection, SecurityGroup } from "../../shared/facts";
import type { PlannedRevoke, PlannedRule } from "../../shared/security-groups/plan-rules";
import { CONNECTION_TAG } from "../../shared/security-groups/rule-key";
import { onPaper } from "../../shared/workflow/carry-out-strategy";
import {
  type BulkRead,
  copySnapshot,
  factsFromSnapshot,
  recordChanges,
  type SweepSnapshot,
} from "../../shared/workflow/sweep/snapshot";
import { CONNECTION_ID, facts, group, policy } from "../helpers/facts";

const ACCOUNT = "111111111111";
const REGION = "us-east-1";
const PCX = "pcx-0000000000000000a";

describe("carrying security-group rules out in EC2", () => {
  let world: World;
  let restore = () => {};
  let groupId = "";
  let sessions: AwsSessions;
  beforeEach(() => {
    world = new World({ homeAccount: ACCOUNT });
    world.addAccount(ACCOUNT);
    const vpcId = world.addVpc({ ownerId: ACCOUNT, region: REGION, cidrs: ["10.0.0.0/16"] });
    groupId = world.addSecurityGroup({ vpcId, name: "payments" });
    restore = installModel(world).restore;
    sessions = new AwsSessions({
      homeAccount: ACCOUNT,
      roleName: "peering-autopilot-execution",
      allowedAccounts: new Set([ACCOUNT]),
      stsRegion: REGION,
    });
  });
  afterEach(() => restore());

  const wanted = (cidr: string, fromPort = 443, toPort = fromPort): PlannedRule => ({
    side: "accepter",
    account: ACCOUNT,
    region: REGION,
    groupId,
    protocol: "tcp",
    fromPort,
    toPort,
    cidr,
    status: "create",
  });
  const ingress = () => world.securityGroupRules(groupId).filter((rule) => !rule.isEgress);
  const authorizeCalls = () =>
    world.calls.filter((call) => call.operation === "AuthorizeSecurityGroupIngress");

  it("creates a group's rules in one call, each tagged with the connection and described, IPv6 too", async () => {
    const results = await authorizeRules(sessions, PCX, [
      wanted("10.20.0.0/16"),
      wanted("fd00:14::/56", 8000, 8100),
    ]);

    expect(authorizeCalls()).toHaveLength(1);
    expect(results.map((r) => r.result)).toEqual(["created", "created"]);
    const made = ingress();
    expect(
      made.map((rule) => [rule.source, rule.fromPort, rule.toPort, rule.tags, rule.description]),
    ).toEqual([
      [{ cidrIpv4: "10.20.0.0/16" }, 443, 443, { [CONNECTION_TAG]: PCX }, `peering-autopilot ${PCX}`],
      [{ cidrIpv6: "fd00:14::/56" }, 8000, 8100, { [CONNECTION_TAG]: PCX }, `peering-autopilot ${PCX}`],
    ]);
    expect(results.map((r) => (r.result === "created" ? r.ruleId : ""))).toEqual(made.map((rule) => rule.id));
  });

  it("sends each rule alone when one exists already, which then counts as present", async () => {
    world.addSecurityGroupRule(groupId, {
      protocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "10.20.0.0/16",
    });

    const results = await authorizeRules(sessions, PCX, [
      wanted("10.20.0.0/16"),
      wanted("10.21.0.0/16"),
      { ...wanted("10.22.0.0/16"), status: "present" },
    ]);

    expect(results.map((r) => `${r.rule.cidr} ${r.result}`).sort()).toEqual([
      "10.20.0.0/16 present",
      "10.21.0.0/16 created",
      "10.22.0.0/16 present",
    ]);
    expect(authorizeCalls()).toHaveLength(3);
    // The rule someone else made keeps no tag of the service's.
    expect(ingress().map((rule) => rule.tags[CONNECTION_TAG] ?? "theirs")).toEqual(["theirs", PCX]);
  });

  it("records a full group as a failure, with EC2's answer", async () => {
    world.options.rulesPerGroup = 1;
    world.addSecurityGroupRule(groupId, {
      protocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidrIpv4: "10.9.0.0/16",
    });

    const [result] = await authorizeRules(sessions, PCX, [wanted("10.20.0.0/16")]);

    expect(result).toMatchObject({
      result: "failed",
      error: expect.stringContaining("RulesPerSecurityGroupLimitExceeded"),
    });
  });

  it("revokes by id, a rule already gone counting as done, and the others left", async () => {
    const foreign = world.addSecurityGroupRule(groupId, {
      protocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidrIpv4: "10.9.0.0/16",
    });
    await authorizeRules(sessions, PCX, [wanted("10.20.0.0/16"), wanted("10.21.0.0/16")]);
    const [first, second] = ingress().filter((rule) => rule.tags[CONNECTION_TAG] === PCX);
    const revoke = (ruleId: string): PlannedRevoke => ({
      side: "accepter",
      account: ACCOUNT,
      region: REGION,
      groupId,
      ruleId,
      protocol: "tcp",
      fromPort: 443,
      toPort: 443,
    });

    const results = await revokeRules(sessions, [revoke(first?.id ?? ""), revoke("sgr-0000000000000dead")]);

    expect(results.map((r) => `${r.rule.ruleId} ${r.result}`)).toEqual([
      `${first?.id} revoked`,
      "sgr-0000000000000dead already absent",
    ]);
    expect(ingress().map((rule) => rule.id)).toEqual([foreign, second?.id]);
  });
});

describe("the sweep's snapshot of security groups", () => {
  const HUB = { account: "111111111111", region: "us-east-1" };
  const SPOKE = { account: "222222222222", region: "us-east-1" };
  const CONNECTION: PeeringConnection = {
    id: PCX,
    status: "active",
    accepter: { ...HUB, vpcId: "vpc-hub", cidrs: ["10.0.0.0/16"] },
    requester: { ...SPOKE, vpcId: "vpc-spoke", cidrs: ["10.1.0.0/16"] },
    tags: {},
    dnsResolution: { requester: false, accepter: false },
  };
  const read = <T>(value: T): BulkRead<T> => ({ kind: "read", value });
  const snapshot = (spoke: BulkRead<Map<string, SecurityGroup[]>>): SweepSnapshot => ({
    tables: new Map([
      ["111111111111/us-east-1", read(new Map())],
      ["222222222222/us-east-1", read(new Map())],
    ]),
    accepterCidrs: new Map([["111111111111/us-east-1", read(new Map([["vpc-hub", ["10.0.0.0/16"]]]))]]),
    securityGroups: new Map([
      [
        "111111111111/us-east-1",
        read(new Map([["vpc-hub", [group("sg-hub", { tagged: [`tcp 22 10.1.0.0/16 sgr-old ${PCX}`] })]]])),
      ],
      ["222222222222/us-east-1", spoke],
    ]),
  });
  const rule = {
    side: "accepter" as const,
    ...HUB,
    groupId: "sg-hub",
    protocol: "tcp",
    fromPort: 443,
    toPort: 443,
  };

  it("gives each side's groups, or why they cannot be read, or the error of a read that failed", () => {
    const facts = factsFromSnapshot(snapshot(read(new Map())), CONNECTION, new Date());
    expect("facts" in facts && facts.facts.accepterSecurityGroups).toEqual({
      readable: true,
      groups: [group("sg-hub", { tagged: [`tcp 22 10.1.0.0/16 sgr-old ${PCX}`] })],
    });
    expect("facts" in facts && facts.facts.requesterSecurityGroups).toEqual({ readable: true, groups: [] });

    const unreadable = factsFromSnapshot(
      snapshot({ kind: "unreadable", reason: "no role" }),
      CONNECTION,
      new Date(),
    );
    expect("facts" in unreadable && unreadable.facts.requesterSecurityGroups).toEqual({
      readable: false,
      reason: "no role",
    });
    const failed = factsFromSnapshot(
      snapshot({ kind: "failed", error: new Error("throttled") }),
      CONNECTION,
      new Date(),
    );
    expect(failed).toEqual({ error: new Error("throttled") });
  });

  it("records the rules a decision made and revoked, in its own copy only", () => {
    const original = snapshot(read(new Map()));
    const copy = copySnapshot(original);
    const outcome: Outcome = {
      connection: "unchanged",
      routes: [],
      removed: [],
      dns: [],
      tagged: false,
      securityGroupRules: {
        authorized: [
          { rule: { ...rule, cidr: "10.1.0.0/16", status: "create" }, result: "created", ruleId: "sgr-new" },
        ],
        revoked: [
          {
            rule: { ...rule, fromPort: 22, toPort: 22, cidr: "10.1.0.0/16", ruleId: "sgr-old" },
            result: "revoked",
          },
        ],
      },
    };

    recordChanges(copy, PCX, outcome);

    const groupsOf = (s: SweepSnapshot) => {
      const facts = factsFromSnapshot(s, CONNECTION, new Date());
      return "facts" in facts && facts.facts.accepterSecurityGroups?.readable
        ? facts.facts.accepterSecurityGroups.groups
        : [];
    };
    expect(groupsOf(copy)).toEqual([group("sg-hub", { tagged: [`tcp 443 10.1.0.0/16 sgr-new ${PCX}`] })]);
    expect(groupsOf(original)).toEqual([group("sg-hub", { tagged: [`tcp 22 10.1.0.0/16 sgr-old ${PCX}`] })]);
  });
});

describe("security-group rules carried out on paper", () => {
  const RULE = {
    name: "pay",
    accepter: { accounts: ["111111111111"] },
    requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16"] },
    securityGroups: {
      accepter: { ids: ["sg-0000000000000000a"] },
      ingress: [{ protocol: "tcp", ports: [443, 22] }],
    },
  };
  const carried = async (mode: "enforce" | "report", status = "active") => {
    const groups = [
      group("sg-0000000000000000a", {
        ingress: ["tcp 22 10.20.0.0/16"],
        tagged: [`tcp 443 10.21.0.0/16 sgr-old ${CONNECTION_ID}`],
      }),
    ];
    const decision = decide(facts({ status, accepterGroups: groups, requesterGroups: [] }), {
      ...policy([RULE]),
      mode,
    });
    const [result] = await onPaper.carryOutAll([{ decision, currentTags: {} }], {
      sessions: undefined as never,
      activeWait: { maxWaitSeconds: 1, minDelaySeconds: 1, maxDelaySeconds: 1 },
      now: new Date(0),
    });
    return result?.outcome.securityGroupRules;
  };

  it("creates what is missing, keeps what is present and revokes what is unwanted, with no call", async () => {
    const rules = await carried("enforce");
    expect(rules?.authorized.map((r) => `${r.rule.fromPort} ${r.result}`)).toEqual([
      "443 created",
      "22 present",
    ]);
    expect(rules?.revoked.map((r) => `${r.rule.ruleId} ${r.result}`)).toEqual(["sgr-old revoked"]);
  });

  it("revokes a dead connection's rules, and changes nothing in report mode", async () => {
    expect((await carried("enforce", "deleted"))?.revoked.map((r) => r.rule.ruleId)).toEqual(["sgr-old"]);
    expect(await carried("report")).toBeUndefined();
  });
});
