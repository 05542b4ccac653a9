import { describe, expect, it } from "vitest";
import { requestPeering } from "../../model";
import { ACCEPTER, PARTNER, REQUESTER, SHARED_VPC } from "../handlers/harness";
import { expectOnlyReads, useLiveWorld } from "./live-world";
import { CHANGED_POLICY, GROUPS_POLICY, organisation, PLAN_POLICY, routedConnection } from "./plan-world";
import { runCli, tempFile } from "./run-cli";

const plan = (...more: string[]) => runCli("plan", "--policy", tempFile("policy.yml", PLAN_POLICY), ...more);
const E1 = `${ACCEPTER}  us-east-1`;
const R1 = `${REQUESTER}  us-east-1`;

/** The lines of one connection's block: its header line up to the next header or blank line. */
function block(out: string[], id: string): string[] {
  const start = out.findIndex((line) => line.startsWith(`  ${id}`));
  if (start < 0) throw new Error(`${id} is not listed`);
  const end = out.findIndex((line, i) => i > start && (line === "" || line.startsWith("  pcx-")));
  return out.slice(start, end < 0 ? undefined : end);
}

describe("plan, with the accepter account's credentials", () => {
  const env = useLiveWorld(ACCEPTER);

  const readOnly = () => expectOnlyReads(env.world());

  it("prints what a full pass would change, grouped by action, exits 2, and changes nothing", async () => {
    const world = env.world();
    const { shared, sharedMain, sharedPrivate, appMain } = env.ids();
    const ids = organisation(world, env.ids());

    const result = await plan();

    expect(result.err).toEqual([]);
    expect(result.code).toBe(2);
    expect(result.out.slice(1, 3)).toEqual([
      `Source: AWS, read as arn:aws:sts::${ACCEPTER}:assumed-role/peering-autopilot-function/function (read-only: nothing was changed)`,
      `Accepter account-regions: ${ACCEPTER} us-east-1`,
    ]);
    const titles = result.out.filter((line) => /^[A-Z]/.test(line) && !line.includes(":"));
    expect(titles).toEqual([
      "ACCEPT (1 connection)",
      "REJECT (1 connection)",
      "MAINTAIN (1 connection)",
      "CLEANUP (1 connection)",
    ]);

    expect(block(result.out, ids.accepted)).toEqual([
      `  ${ids.accepted}  ACCEPT  rule apps  pending-acceptance`,
      `    peers    requester ${REQUESTER} us-east-1 vpc-0a1b2c3d4e5f60001 -> accepter ${ACCEPTER} us-east-1 ${shared}`,
      `    reasons  rule 'apps' approves requester ${REQUESTER} us-east-1 vpc-0a1b2c3d4e5f60001 with CIDRs 10.20.0.0/16`,
      `    routes   create  accepter   ${E1}  ${sharedMain}  10.20.0.0/16`,
      `             create  accepter   ${E1}  ${sharedPrivate}  10.20.0.0/16`,
      `             create  requester  ${R1}  ${appMain}  10.0.0.0/16`,
    ]);
    expect(block(result.out, ids.rejected)).toEqual([
      `  ${ids.rejected}  REJECT  no rule  pending-acceptance`,
      expect.stringMatching(/^ {4}peers {4}requester /),
      expect.stringMatching(
        /^ {4}reasons {2}no rule approves this request; rule 'apps': requester CIDR 192\.168\.0\.0\/16 is not inside 10\.16\.0\.0\/12/,
      ),
    ]);
    expect(block(result.out, ids.maintained)).toEqual([
      `  ${ids.maintained}  MAINTAIN  rule apps  active`,
      expect.stringMatching(/^ {4}peers /),
      "    reasons  rule 'apps' governs this connection",
      `    routes   create  requester  ${R1}  ${ids.app2Main}  10.0.0.0/16`,
    ]);
    expect(block(result.out, ids.dead)).toEqual([
      `  ${ids.dead}  CLEANUP  no rule  rejected`,
      expect.stringMatching(/^ {4}peers /),
      "    reasons  connection is rejected; 1 route(s) still target it",
      `    routes   remove  accepter  ${E1}  ${sharedMain}  10.22.0.0/16`,
    ]);
    const orphans = result.out.indexOf(
      "ORPHAN BLACKHOLE ROUTES (1 route to remove: their connections are gone)",
    );
    expect(result.out[orphans + 1]).toBe(
      `    remove  accepter  ${E1}  ${sharedPrivate}  10.23.0.0/16  (to ${ids.gone})`,
    );
    const reportOnly = result.out.indexOf("REPORT ONLY: would change if enforced (1 connection)");
    expect(reportOnly).toBeGreaterThan(orphans);
    expect(result.out.slice(reportOnly + 1, reportOnly + 5)).toEqual([
      `  ${ids.partnerRequest}  ACCEPT  rule partners  pending-acceptance  (report mode)`,
      expect.stringMatching(new RegExp(`^ {4}peers {4}requester ${PARTNER} `)),
      expect.stringMatching(/nothing in AWS is changed$/),
      `    routes   create  accepter  ${E1}  ${sharedMain}  172.20.0.0/16`,
    ]);
    expect(result.out.slice(result.out.indexOf("Totals:"))).toEqual([
      "Totals:",
      "  connections read                5",
      "  with changes                    4",
      "  routes to create                4",
      "  routes to remove                2 (1 orphan)",
      "  DNS changes                     0",
      "  security-group rules to open    0",
      "  security-group rules to revoke  0",
      "  awaiting approval               0",
      "  report-only                     1",
      "  failures                        0",
    ]);

    readOnly();
    expect(world.peering(ids.accepted).status.code).toBe("pending-acceptance");
    expect(world.peering(ids.partnerRequest).tagsByAccount).toEqual({});
  });

  it("prints the plan as JSON: views, with errors as strings", async () => {
    const world = env.world();
    const { sharedMain } = env.ids();
    const ids = organisation(world, env.ids());

    const result = await plan("--json");

    expect(result.code).toBe(2);
    expect(result.err).toEqual([]);
    const document = JSON.parse(result.stdout);
    expect(Object.keys(document)).toEqual([
      "policy",
      "source",
      "targets",
      "connections",
      "orphanRoutes",
      "skipped",
      "failures",
      "totals",
    ]);
    expect(document.targets).toEqual([{ account: ACCEPTER, region: "us-east-1" }]);
    expect(
      document.connections.map((c: { connectionId: string; action: string; effect: string }) => [
        c.connectionId,
        c.action,
        c.effect,
      ]),
    ).toEqual([
      [ids.accepted, "accept", "changes"],
      [ids.partnerRequest, "accept", "report-only"],
      [ids.rejected, "reject", "changes"],
      [ids.maintained, "maintain", "changes"],
      [ids.dead, "cleanup", "changes"],
    ]);
    const dead = document.connections.find((c: { connectionId: string }) => c.connectionId === ids.dead);
    expect(dead).toEqual({
      connectionId: ids.dead,
      target: { account: ACCEPTER, region: "us-east-1" },
      status: "rejected",
      action: "cleanup",
      mode: "enforce",
      effect: "changes",
      requester: {
        account: REQUESTER,
        region: "us-east-1",
        vpcId: expect.stringMatching(/^vpc-/),
        cidrs: ["10.22.0.0/16"],
      },
      accepter: { account: ACCEPTER, region: "us-east-1", vpcId: SHARED_VPC, cidrs: ["10.0.0.0/16"] },
      reasons: ["connection is rejected; 1 route(s) still target it"],
      findings: [],
      createRoutes: [],
      removeRoutes: [
        {
          side: "accepter",
          account: ACCEPTER,
          region: "us-east-1",
          routeTableId: sharedMain,
          destination: "10.22.0.0/16",
        },
      ],
      enableDns: [],
    });
    expect(document.orphanRoutes).toEqual({
      mode: "enforce",
      routes: [expect.objectContaining({ destination: "10.23.0.0/16", connectionId: ids.gone })],
    });
    expect(document.totals).toMatchObject({ connections: 5, withChanges: 4, reportOnly: 1, failures: 0 });
    readOnly();
  });

  it("lists a request whose accepter the policy does not name as left alone, as the pass leaves it", async () => {
    const world = env.world();
    const { shared } = env.ids();
    // From the shared VPC to a VPC of an account the policy names only as a requester: the service
    // sees it in the accepter account-region it sweeps, and leaves it to the other account.
    const elsewhere = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.40.0.0/16"] });
    const { connectionId } = requestPeering(world, { requesterVpcId: shared, accepterVpcId: elsewhere });

    const result = await plan("--json");

    const document = JSON.parse(result.stdout);
    expect(document.skipped).toEqual([
      expect.objectContaining({
        connectionId,
        account: ACCEPTER,
        region: "us-east-1",
        reason: expect.stringContaining(REQUESTER),
      }),
    ]);
    expect(document.totals.skipped).toBe(1);
    expect(document.connections).toEqual([]);
    readOnly();
  });

  it("exits 0 when the only decision that would change something is in report mode", async () => {
    const world = env.world();
    const { shared, partner } = env.ids();
    const { connectionId } = requestPeering(world, { requesterVpcId: partner, accepterVpcId: shared });

    const result = await plan();

    expect(result.code).toBe(0);
    expect(result.out).toContain("REPORT ONLY: would change if enforced (1 connection)");
    expect(result.out).toContain(
      `  ${connectionId}  ACCEPT  rule partners  pending-acceptance  (report mode)`,
    );
    expect(result.out).toContain("No changes: a pass now would change nothing in AWS.");
    readOnly();
  });

  it("exits 0 and says so when nothing would change", async () => {
    const world = env.world();
    const { shared, sharedMain, sharedPrivate, app, appMain } = env.ids();
    const active = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    for (const table of [sharedMain, sharedPrivate]) {
      world.routeTable(table).routes.push({
        destination: "10.20.0.0/16",
        target: { vpcPeeringConnectionId: active },
        state: "active",
        origin: "CreateRoute",
      });
    }
    world.routeTable(appMain).routes.push({
      destination: "10.0.0.0/16",
      target: { vpcPeeringConnectionId: active },
      state: "active",
      origin: "CreateRoute",
    });

    const result = await plan();

    expect(result.code).toBe(0);
    expect(result.out.filter((line) => line.startsWith("  pcx-"))).toEqual([]);
    expect(result.out).toContain("No changes: a pass now would change nothing in AWS.");
    expect(result.out).toContain("  connections read                1");
  });

  it("lists a request awaiting approval, which changes nothing", async () => {
    const world = env.world();
    const { shared, app } = env.ids();
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    const approval = PLAN_POLICY.replace("  - name: apps\n", "  - name: apps\n    approval: required\n");

    const result = await runCli("plan", "--policy", tempFile("policy.yml", approval));

    expect(result.code).toBe(0);
    expect(result.out).toContain("AWAIT-APPROVAL (1 connection)");
    expect(block(result.out, connectionId)[0]).toBe(
      `  ${connectionId}  AWAIT-APPROVAL  rule apps  pending-acceptance`,
    );
    expect(result.out).toContain("  awaiting approval               1");
  });

  it("plans with another policy over the same organisation (--policy)", async () => {
    const world = env.world();
    const ids = organisation(world, env.ids());

    const result = await runCli("plan", "--policy", tempFile("changed.yml", CHANGED_POLICY), "--json");

    expect(result.code).toBe(2);
    const { connections } = JSON.parse(result.stdout);
    const byId = (id: string) => connections.find((c: { connectionId: string }) => c.connectionId === id);
    expect(byId(ids.rejected)).toMatchObject({ action: "accept", rule: "apps", effect: "changes" });
    expect(byId(ids.maintained).removeRoutes).toEqual([
      expect.objectContaining({ routeTableId: env.ids().sharedPrivate, destination: "10.21.0.0/16" }),
    ]);
    readOnly();
  });

  it("reads only the account-region --account and --region name", async () => {
    const world = env.world();
    organisation(world, env.ids());
    world.addVpc({ ownerId: ACCEPTER, region: "eu-west-1", cidrs: ["10.1.0.0/16"] });
    const twoRegions = PLAN_POLICY.replace(
      'regions: ["us-east-1"], vpcs',
      'regions: ["us-east-1", "eu-west-1"], vpcs',
    );

    const all = await runCli("plan", "--policy", tempFile("policy.yml", twoRegions));
    const listed = () =>
      world.calls.filter((c) => c.operation === "DescribeVpcPeeringConnections").map((c) => c.region);
    expect(all.out).toContain(`Accepter account-regions: ${ACCEPTER} us-east-1, ${ACCEPTER} eu-west-1`);
    expect(new Set(listed())).toEqual(new Set(["us-east-1", "eu-west-1"]));
    world.calls.length = 0;

    const narrowed = await runCli(
      "plan",
      "--policy",
      tempFile("policy.yml", twoRegions),
      "--account",
      ACCEPTER,
      "--region",
      "eu-west-1",
    );

    expect(narrowed.code).toBe(0);
    expect(narrowed.out).toContain(`Accepter account-regions: ${ACCEPTER} eu-west-1`);
    expect(new Set(listed())).toEqual(new Set(["eu-west-1"]));
    expect(narrowed.out).toContain("  connections read                0");
  });

  it("fails, making no AWS call, for an account the policy does not name as an accepter", async () => {
    const policyFile = tempFile("policy.yml", PLAN_POLICY);

    const result = await runCli("plan", "--policy", policyFile, "--account", REQUESTER);

    expect(result.code).toBe(1);
    expect(result.err).toEqual([`error: ${policyFile} names no accepter account ${REQUESTER}`]);
    expect(env.world().calls).toEqual([]);
  });

  it("exits 0, making no AWS call, for a policy that names no accepter", async () => {
    const policyFile = tempFile("policy.yml", "version: 1\nrules: []\n");

    const result = await runCli("plan", "--policy", policyFile);

    expect(result.code).toBe(0);
    expect(result.out).toEqual([`${policyFile} names no accepter account: a pass reads and changes nothing`]);
    expect(env.world().calls).toEqual([]);
  });

  it("fails on an invalid policy file, making no AWS call", async () => {
    const policyFile = tempFile("policy.yml", "version: 1\nrules:\n  - name: apps\n    mode: dry-run\n");

    const result = await runCli("plan", "--policy", policyFile);

    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(new RegExp(`^${policyFile}: invalid policy`));
    expect(result.out).toEqual([]);
    expect(env.world().calls).toEqual([]);
  });

  it("prints what it could read and exits 1, naming the account-region it could not", async () => {
    const world = env.world();
    const ids = organisation(world, env.ids());
    world.addVpc({ ownerId: ACCEPTER, region: "eu-west-1", cidrs: ["10.1.0.0/16"] });
    world.failNext({
      operation: "DescribeVpcPeeringConnections",
      region: "eu-west-1",
      error: "UnauthorizedOperation",
      times: Number.POSITIVE_INFINITY,
    });
    const twoRegions = PLAN_POLICY.replace(
      'regions: ["us-east-1"], vpcs',
      'regions: ["us-east-1", "eu-west-1"], vpcs',
    );

    const result = await runCli("plan", "--policy", tempFile("policy.yml", twoRegions));

    expect(result.code).toBe(1);
    expect(result.out).toContain(`  ${ids.accepted}  ACCEPT  rule apps  pending-acceptance`);
    expect(result.out).toContain("  failures                        1");
    expect(result.err).toEqual([
      expect.stringMatching(
        new RegExp(`^error: account ${ACCEPTER} region eu-west-1 could not be read: .*UnauthorizedOperation`),
      ),
    ]);
    readOnly();
  });

  it("exits 1, naming the connection, when one connection's facts cannot be read", async () => {
    const world = env.world();
    const { shared, app, partner } = env.ids();
    const unreadable = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared }).connectionId;
    requestPeering(world, { requesterVpcId: partner, accepterVpcId: shared });
    world.failNext({
      operation: "DescribeRouteTables",
      account: REQUESTER,
      error: "InternalError",
      times: Number.POSITIVE_INFINITY,
    });

    const result = await plan("--json");

    expect(result.code).toBe(1);
    const { failures, connections } = JSON.parse(result.stdout);
    expect(connections.map((c: { connectionId: string }) => c.connectionId)).not.toContain(unreadable);
    expect(failures).toEqual([
      {
        account: ACCEPTER,
        region: "us-east-1",
        connectionId: unreadable,
        error: expect.stringContaining("InternalError"),
      },
    ]);
    expect(result.err).toEqual([
      expect.stringMatching(
        new RegExp(`^error: ${unreadable} in account ${ACCEPTER} region us-east-1 could not be decided: `),
      ),
    ]);
  });

  it.each([
    ["mermaid", "flowchart LR"],
    ["dot", "digraph peering {"],
  ])("--format %s draws the plan's graph instead, with the same exit code", async (format, first) => {
    const world = env.world();
    const ids = organisation(world, env.ids());

    const result = await plan("--format", format);

    expect(result.code).toBe(2);
    expect(result.out[0]?.split("\n")[0]).toBe(first);
    for (const id of [ids.accepted, ids.rejected, ids.maintained, ids.dead, ids.partnerRequest]) {
      expect(result.stdout).toContain(id);
    }
    expect(result.stdout).not.toContain("Totals:");
    readOnly();
  });

  it("plan --help prints the usage text, with plan's exit codes, and succeeds", async () => {
    const result = await runCli("plan", "--help");

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "plan [--account <accepter account>] [--region <accepter region>] [--policy <file>] [--json]\n       [--format text|mermaid|dot]",
    );
    expect(result.stdout).toContain("plan --diff <old-policy> <new-policy>");
    expect(result.stdout).toContain("plan exits as Terraform's -detailed-exitcode: 0 nothing to change");
    expect(env.world().calls).toEqual([]);
  });

  it.each([
    { argv: ["--format", "svg"], message: "--format 'svg' is not one of text, mermaid, dot" },
    {
      argv: ["--json", "--format", "mermaid"],
      message: "--json prints the plan itself, not a mermaid graph",
    },
    { argv: ["--diff", "a.yml"], message: "--diff takes two policy files" },
    { argv: ["--diff", "a.yml", "b.yml", "--format", "dot"], message: "--format is not for --diff" },
    {
      argv: ["--diff", "a.yml", "b.yml", "--policy", "c.yml"],
      message: "--diff takes its two policy files, not --policy",
    },
    { argv: ["policy.yml"], message: "plan takes no arguments" },
    { argv: ["--account", "1111"], message: "--account '1111' is not a 12-digit account id" },
    { argv: ["--reason", "x"], message: "Unknown option '--reason'" },
  ])("'$message' is a usage error: exit 1 (2 means changes), no AWS call", async ({ argv, message }) => {
    const result = await runCli("plan", ...argv);

    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err[0]).toContain(message);
    expect(result.err[1]).toBe("run 'npm run peering -- help' for usage");
    expect(env.world().calls).toEqual([]);
  });
});

describe("plan --diff", () => {
  const env = useLiveWorld(ACCEPTER);
  const diff = (...more: string[]) =>
    runCli("plan", "--diff", tempFile("old.yml", PLAN_POLICY), tempFile("new.yml", CHANGED_POLICY), ...more);

  it("prints only what the new policy changes: a rejected request accepted, an active connection's route removed", async () => {
    const world = env.world();
    const { sharedMain, sharedPrivate } = env.ids();
    const ids = organisation(world, env.ids());
    const outsideMain = world.routeTablesOfVpc(world.peering(ids.rejected).requester.vpcId)[0]?.id;

    const result = await diff();

    expect(result.err).toEqual([]);
    expect(result.code).toBe(2);
    expect(result.out.slice(0, 2)).toEqual([
      expect.stringMatching(/^Old policy: .*old\.yml$/),
      expect.stringMatching(/^New policy: .*new\.yml$/),
    ]);
    expect(result.out).toContain(`Accepter account-regions: ${ACCEPTER} us-east-1`);
    expect(block(result.out, ids.rejected)).toEqual([
      `  ${ids.rejected}  REJECT -> ACCEPT  no rule -> rule apps`,
      `    changes  create  new plan only  accepter   ${E1}  ${sharedMain}  192.168.0.0/16`,
      `             create  new plan only  requester  ${R1}  ${outsideMain}  10.0.0.0/16`,
      `             dns     new plan only  accepter   ${E1}`,
      `             dns     new plan only  requester  ${R1}`,
    ]);
    expect(block(result.out, ids.maintained)).toEqual([
      `  ${ids.maintained}  MAINTAIN  rule apps`,
      `    changes  remove  new plan only  accepter   ${E1}  ${sharedPrivate}  10.21.0.0/16`,
      `             dns     new plan only  accepter   ${E1}`,
      `             dns     new plan only  requester  ${R1}`,
    ]);
    expect(block(result.out, ids.accepted)).toEqual([
      `  ${ids.accepted}  ACCEPT  rule apps`,
      `    changes  create  old plan only  accepter   ${E1}  ${sharedPrivate}  10.20.0.0/16`,
      `             dns     new plan only  accepter   ${E1}`,
      `             dns     new plan only  requester  ${R1}`,
    ]);
    const listed = result.out.filter((line) => line.startsWith("  pcx-")).map((line) => line.split("  ")[1]);
    expect(listed).toEqual([ids.accepted, ids.rejected, ids.maintained].sort());
    expect(result.out.slice(result.out.indexOf("Differences:"))).toEqual([
      "Differences:",
      "  connections                     3 (1 with another action, 0 with another mode)",
      "  routes to create                1 old plan only, 2 new plan only",
      "  routes to remove                0 old plan only, 1 new plan only",
      "  DNS changes                     0 old plan only, 6 new plan only",
      "  security-group rules to open    0 old plan only, 0 new plan only",
      "  security-group rules to revoke  0 old plan only, 0 new plan only",
      "  orphan routes                   0",
    ]);
    expectOnlyReads(world);
  });

  it("reads the organisation once for both plans: each account-region listed and read once", async () => {
    const world = env.world();
    organisation(world, env.ids());
    const callsOf = async (run: () => Promise<unknown>) => {
      const before = world.calls.length;
      await run();
      return world.calls.slice(before).map((c) => `${c.operation} ${c.account} ${c.region}`);
    };

    const single = await callsOf(() => plan());
    const compared = await callsOf(() => diff());

    // Each plan asks by id for the connections its orphan routes name; everything else is read once.
    const listingOrByIdCheck = (c: string) => c.startsWith("DescribeVpcPeeringConnections");
    expect(single.filter(listingOrByIdCheck)).toHaveLength(2);
    expect(compared.filter(listingOrByIdCheck)).toHaveLength(3);
    const rest = (calls: string[]) => calls.filter((c) => !listingOrByIdCheck(c)).sort();
    expect(rest(compared)).toEqual(rest(single));
    expect(rest(single).length).toBeGreaterThan(0);
  });

  it("exits 0 with no difference between a policy and itself", async () => {
    organisation(env.world(), env.ids());
    const file = tempFile("policy.yml", PLAN_POLICY);

    const result = await runCli("plan", "--diff", file, file);

    expect(result.code).toBe(0);
    expect(result.out).toContain("No differences: both policies would make the same changes.");
    expect(result.out.filter((line) => line.startsWith("  pcx-"))).toEqual([]);
  });

  it("shows a rule switched to report mode, and prints the differences as JSON", async () => {
    const world = env.world();
    const ids = organisation(world, env.ids());
    const report = PLAN_POLICY.replace("  - name: apps\n", "  - name: apps\n    mode: report\n");

    const result = await runCli(
      "plan",
      "--diff",
      tempFile("old.yml", PLAN_POLICY),
      tempFile("new.yml", report),
      "--json",
    );

    expect(result.code).toBe(2);
    const document = JSON.parse(result.stdout);
    expect(Object.keys(document)).toEqual([
      "oldPolicy",
      "newPolicy",
      "source",
      "targets",
      "connections",
      "orphanRoutes",
      "totals",
      "failures",
    ]);
    expect(document.connections.map((c: { connectionId: string }) => c.connectionId)).toEqual(
      [ids.accepted, ids.maintained].sort(),
    );
    expect(document.connections[0]).toMatchObject({
      old: { action: "accept", mode: "enforce", rule: "apps" },
      new: { action: "accept", mode: "report", rule: "apps" },
      actionChanged: false,
      modeChanged: true,
    });
    expect(document.totals).toMatchObject({ connections: 2, modeChanges: 2, orphanRoutes: 0 });
    expect(document.failures).toEqual({ old: [], new: [] });
  });

  it("fails, making no AWS call, when neither policy names the --region as an accepter's", async () => {
    const [old, next] = [tempFile("old.yml", PLAN_POLICY), tempFile("new.yml", CHANGED_POLICY)];

    const result = await runCli("plan", "--diff", old, next, "--region", "eu-west-1");

    expect(result.code).toBe(1);
    expect(result.err).toEqual([`error: ${old} and ${next} name no accepter account in region eu-west-1`]);
    expect(env.world().calls).toEqual([]);
  });

  it("exits 1 when either plan could not read everything", async () => {
    const world = env.world();
    organisation(world, env.ids());
    world.failNext({
      operation: "DescribeVpcPeeringConnections",
      region: "us-east-1",
      error: "UnauthorizedOperation",
      times: Number.POSITIVE_INFINITY,
    });

    const result = await diff();

    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      expect.stringMatching(/^error: old policy: account 111111111111 region us-east-1 could not be read: /),
      expect.stringMatching(/^error: new policy: account 111111111111 region us-east-1 could not be read: /),
    ]);
  });
});

describe("plan and security-group rules", () => {
  const env = useLiveWorld(ACCEPTER);
  const planWith = (policy: string, ...more: string[]) =>
    runCli("plan", "--policy", tempFile("policy.yml", policy), ...more);
  const totals = (out: string[]) =>
    out.filter((line) => line.startsWith("  security-group rules")).map((line) => line.replace(/ +/g, " "));

  it("a connection whose only change is a rule to open: listed, counted, exit 2; without groups opened, exit 0", async () => {
    const world = env.world();
    const { connectionId, groupId } = routedConnection(world, env.ids(), "none");

    const without = await planWith(PLAN_POLICY);
    expect(without.err).toEqual([]);
    expect(without.code).toBe(0);
    expect(without.out).toContain("No changes: a pass now would change nothing in AWS.");

    const result = await planWith(GROUPS_POLICY);

    expect(result.err).toEqual([]);
    expect(result.code).toBe(2);
    expect(block(result.out, connectionId)).toEqual([
      `  ${connectionId}  MAINTAIN  rule apps  active`,
      expect.stringMatching(/^ {4}peers /),
      "    reasons  rule 'apps' governs this connection",
      `    rules    open  accepter  ${E1}  ${groupId}  tcp  443  10.20.0.0/16`,
    ]);
    expect(totals(result.out)).toEqual([
      " security-group rules to open 1",
      " security-group rules to revoke 0",
    ]);
    const json = await planWith(GROUPS_POLICY, "--json");
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).totals).toMatchObject({
      withChanges: 1,
      rulesToOpen: 1,
      rulesToRevoke: 0,
    });
    expectOnlyReads(world);
  });

  it("a rule made for the connection that the policy no longer asks for: revoked by id, exit 2", async () => {
    const world = env.world();
    const { connectionId, groupId, staleRuleId } = routedConnection(world, env.ids(), "stale");

    const result = await planWith(GROUPS_POLICY);

    expect(result.err).toEqual([]);
    expect(result.code).toBe(2);
    expect(block(result.out, connectionId).at(-1)).toBe(
      `    rules    revoke  accepter  ${E1}  ${groupId}  tcp  22  10.20.0.0/16  ${staleRuleId}`,
    );
    expect(totals(result.out)).toEqual([
      " security-group rules to open 0",
      " security-group rules to revoke 1",
    ]);
    expectOnlyReads(world);
  });

  it("every rule in place: nothing to change, exit 0", async () => {
    routedConnection(env.world(), env.ids(), "wanted");

    const result = await planWith(GROUPS_POLICY);

    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("No changes: a pass now would change nothing in AWS.");
  });

  it("plan --diff shows a policy change that only opens security groups, and exits 2", async () => {
    const world = env.world();
    const { connectionId, groupId } = routedConnection(world, env.ids(), "none");
    const [old, next] = [tempFile("old.yml", PLAN_POLICY), tempFile("new.yml", GROUPS_POLICY)];

    const result = await runCli("plan", "--diff", old, next);

    expect(result.err).toEqual([]);
    expect(result.code).toBe(2);
    expect(block(result.out, connectionId)).toEqual([
      `  ${connectionId}  MAINTAIN  rule apps`,
      `    changes  open  new plan only  accepter  ${E1}  ${groupId}  tcp  443  10.20.0.0/16`,
    ]);
    expect(result.out).toContain("  security-group rules to open    0 old plan only, 1 new plan only");

    const json = await runCli("plan", "--diff", old, next, "--json");
    expect(json.code).toBe(2);
    const document = JSON.parse(json.stdout);
    expect(document.connections).toEqual([
      expect.objectContaining({
        connectionId,
        actionChanged: false,
        securityGroupRules: {
          create: { onlyOld: [], onlyNew: [expect.objectContaining({ groupId, ports: "443" })] },
          revoke: { onlyOld: [], onlyNew: [] },
        },
      }),
    ]);
    expect(document.totals).toMatchObject({ connections: 1, rulesToOpenOnlyNew: 1, rulesToOpenOnlyOld: 0 });
    expectOnlyReads(world);
  });
});
