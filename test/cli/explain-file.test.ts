import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixture, readFixture, runCli, SHIPPED_POLICY, tempFile } from "./run-cli";

const explainFile = (file: string, ...more: string[]) =>
  runCli("explain", "--file", file, "--policy", SHIPPED_POLICY, ...more);

/** A route plan row as the table prints it, whatever the column widths. */
const row = (...cells: string[]) => new RegExp(`^  ${cells.map(escapeRegExp).join(" +")}$`);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

describe("explain --file with DecisionFacts", () => {
  it("explains an approved request: ACCEPT, the rule, the reason and every planned route", async () => {
    const result = await explainFile(fixture("facts-approved.json"));

    expect(result.code).toBe(0);
    expect(result.err).toEqual([]);
    expect(result.out).toContain("Action: ACCEPT");
    expect(result.out).toContain("Rule: payments-to-shared");
    expect(result.out).toContain(
      "  - rule 'payments-to-shared' approves requester 222222222222 us-east-1 vpc-0a1b2c3d4e5f60001 with CIDRs 10.20.0.0/16",
    );
    const plan = result.out.slice(result.out.indexOf("Route plan:") + 1);
    expect(plan[0]).toMatch(
      row("SIDE", "ACCOUNT", "REGION", "ROUTE TABLE", "DESTINATION", "STATUS", "CONFLICT"),
    );
    expect(plan.slice(1, 4)).toEqual([
      expect.stringMatching(
        row("accepter", "111111111111", "us-east-1", "rtb-0accept0000000main", "10.20.0.0/16", "create"),
      ),
      expect.stringMatching(
        row("accepter", "111111111111", "us-east-1", "rtb-0accept000private", "10.20.0.0/16", "create"),
      ),
      expect.stringMatching(
        row("requester", "222222222222", "us-east-1", "rtb-0request000000main", "10.0.0.0/16", "create"),
      ),
    ]);
    expect(result.out).toContain("Unmanaged sides: none");
    expect(result.out).not.toContain("Notes:");
  });

  it("explains a request under a rule in report mode: what it would do, and that nothing is carried out", async () => {
    const shipped = readFileSync(SHIPPED_POLICY, "utf8").replace(
      /^( {2}- name: payments-to-shared.*)$/m,
      "$1\n    mode: report",
    );
    expect(shipped).toContain("mode: report");
    const policy = tempFile("report.yml", shipped);

    const result = await runCli("explain", "--file", fixture("facts-approved.json"), "--policy", policy);

    expect(result.code).toBe(0);
    expect(result.out).toContain("Action: ACCEPT (report mode: not carried out)");
    expect(result.out).toContain(
      "  - rule 'payments-to-shared' is in report mode: this is what the service would do; nothing in AWS is changed",
    );
    expect(result.out).toContain("Findings: report-only");
  });

  it("explains a rule that routes the requester to the accepter's tagged subnets only", async () => {
    const facts = readFixture("facts-approved.json");
    facts.accepterSubnets = {
      readable: true,
      subnets: [
        { id: "subnet-0shared", cidrs: ["10.0.1.0/24"], tags: { Tier: "shared" } },
        { id: "subnet-0private", cidrs: ["10.0.2.0/24"], tags: { Tier: "private" } },
      ],
    };
    const narrowed = readFileSync(SHIPPED_POLICY, "utf8").replace(
      "        accepter: vpc # the accepter addresses the requester's tables route to",
      "        accepter: { subnets: { tags: { Tier: shared } } }",
    );
    expect(narrowed).toContain("Tier: shared");

    const result = await runCli(
      "explain",
      "--file",
      tempFile("subnets.json", facts),
      "--policy",
      tempFile("narrow.yml", narrowed),
    );

    expect(result.code).toBe(0);
    expect(result.out).toContain("Action: ACCEPT");
    const plan = result.out.slice(result.out.indexOf("Route plan:") + 1);
    expect(plan).toContainEqual(
      expect.stringMatching(
        row("requester", "222222222222", "us-east-1", "rtb-0request000000main", "10.0.1.0/24", "create"),
      ),
    );
    expect(plan.join("\n")).not.toMatch(/requester .* 10\.0\.0\.0\/16/);
  });

  it("explains the security-group rules a rule opens, and a group over its quota", async () => {
    const facts = readFixture("facts-approved.json");
    const ssh = Array.from({ length: 59 }, (_, i) => ({
      protocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidr: `192.168.${i}.0/24`,
    }));
    facts.accepterSecurityGroups = {
      readable: true,
      groups: [{ id: "sg-0payments00000000", tags: { Peering: "payments" }, ingress: ssh.slice(0, 1) }],
    };
    facts.requesterSecurityGroups = { readable: true, groups: [] };
    const opening = readFileSync(SHIPPED_POLICY, "utf8").replace(
      "      accepter: none # none (default)",
      "      accepter: { tags: { Peering: payments } } # none (default)",
    );
    expect(opening).toContain("Peering: payments");
    const policy = tempFile("open.yml", opening);

    const result = await runCli("explain", "--file", tempFile("groups.json", facts), "--policy", policy);

    expect(result.code).toBe(0);
    expect(result.out).toContain("Action: ACCEPT");
    const rules = result.out.slice(result.out.indexOf("Security-group rules:") + 1);
    expect(rules).toContainEqual(
      expect.stringMatching(
        row(
          "accepter",
          "111111111111",
          "us-east-1",
          "sg-0payments00000000",
          "tcp",
          "443",
          "10.20.0.0/16",
          "create",
        ),
      ),
    );

    facts.accepterSecurityGroups.groups[0].ingress = ssh;
    facts.quotas = { routesPerTable: 500, activePeeringsPerVpc: 50, rulesPerSecurityGroup: 60 };
    const full = await runCli("explain", "--file", tempFile("full.json", facts), "--policy", policy);

    expect(full.out).toContain("Action: REJECT");
    expect(full.out).toContain(
      "  - security group sg-0payments00000000 (111111111111 us-east-1) holds 59 IPv4 inbound rules; this request adds 2, over the quota of 60",
    );
  });

  it("explains a CIDR outside the allowlist: REJECT, with each rule's reason", async () => {
    const facts = readFixture("facts-approved.json");
    facts.connection.requester.cidrs = ["10.99.0.0/16"];

    const result = await explainFile(tempFile("outside.json", facts));

    expect(result.code).toBe(0);
    expect(result.out).toContain("Action: REJECT");
    expect(result.out).toContain("Rule: (none)");
    expect(result.out).toEqual(
      expect.arrayContaining([
        "  - no rule approves this request",
        "  - rule 'payments-to-shared': requester CIDR 10.99.0.0/16 is not inside 10.16.0.0/12, fd00:16::/32",
        "  - rule 'partner-analytics': requester account 222222222222 is not listed",
        "  (no routes planned)",
      ]),
    );
  });

  it("shows a route conflict in the plan's conflict column", async () => {
    const facts = readFixture("facts-approved.json");
    facts.requesterRouteTables.tables[0].routes.push({ destination: "10.0.4.0/24", target: "tgw-0abc" });

    const result = await explainFile(tempFile("conflict.json", facts));

    expect(result.code).toBe(0);
    expect(result.out).toContain("Action: REJECT");
    expect(result.out).toContain("Rule: payments-to-shared");
    expect(result.out).toContain(
      "  - requester rtb-0request000000main (222222222222 us-east-1): 10.0.0.0/16 conflicts with existing route 10.0.4.0/24 -> tgw-0abc",
    );
    expect(result.out).toContainEqual(
      expect.stringMatching(
        row(
          "requester",
          "222222222222",
          "us-east-1",
          "rtb-0request000000main",
          "10.0.0.0/16",
          "conflict",
          "10.0.4.0/24 -> tgw-0abc",
        ),
      ),
    );
  });

  it("lists the sides whose route tables could not be read", async () => {
    const facts = readFixture("facts-approved.json");
    facts.requesterRouteTables = { readable: false, reason: "cannot assume the role in 222222222222" };

    const result = await explainFile(tempFile("unreadable.json", facts));

    expect(result.out).toContain("Action: ACCEPT");
    expect(result.out).toContain("Unmanaged sides:");
    expect(result.out).toContain("  requester: cannot assume the role in 222222222222");
    expect(result.stdout).not.toMatch(/^ {2}requester +222222222222 .* create$/m);
  });

  it("notes that the service would not decide a connection outside the policy's remit", async () => {
    const facts = readFixture("facts-approved.json");
    facts.connection.accepter.account = "444444444444";

    const result = await explainFile(tempFile("remit.json", facts));

    expect(result.code).toBe(0);
    expect(result.out).toContain("Notes:");
    expect(result.stdout).toContain(
      "accepter account 444444444444 region us-east-1 is not named in the policy: the service would leave this request alone",
    );
  });

  it("prints the decision as JSON with --json", async () => {
    const result = await explainFile(fixture("facts-approved.json"), "--json");

    expect(result.code).toBe(0);
    expect(result.err).toEqual([]);
    const decision = JSON.parse(result.stdout);
    expect(decision).toMatchObject({
      connectionId: "pcx-0123456789abcdef0",
      action: "accept",
      rule: "payments-to-shared",
      reasons: [expect.stringContaining("rule 'payments-to-shared' approves")],
      unmanaged: {},
    });
    expect(decision.plan).toHaveLength(3);
    expect(decision.plan[2]).toEqual({
      side: "requester",
      account: "222222222222",
      region: "us-east-1",
      routeTableId: "rtb-0request000000main",
      destination: "10.0.0.0/16",
      status: "create",
    });
  });
});

describe("explain --file with EC2 describe-vpc-peering-connections output", () => {
  it("takes the whole document with one connection, noting that no route plan could be computed", async () => {
    const result = await explainFile(fixture("describe-output.json"), "--accepter-cidrs", "10.0.0.0/16");

    expect(result.code).toBe(0);
    expect(result.out).toContain(`Source: ${fixture("describe-output.json")} (EC2 VpcPeeringConnection)`);
    expect(result.out).toContain("Connection: pcx-0fedcba9876543210 (pending-acceptance)");
    expect(result.out).toContain(
      "  requester  222222222222 eu-west-1 vpc-0a1b2c3d4e5f60002: 10.24.0.0/16, fd00:16:24::/48",
    );
    expect(result.out).toContain("Action: ACCEPT");
    expect(result.out).toContain("Rule: payments-to-shared");
    expect(result.out).toContain("  (no routes planned)");
    expect(result.out).toContain("  requester: route tables not given");
    expect(result.stdout).toMatch(
      /Notes:\n {2}- route tables not given: the route plan could not be computed without route tables/,
    );
    expect(result.stdout).not.toContain("the connection shows no accepter CIDRs");
  });

  it("cannot validate a pending connection without the accepter's CIDRs, and says how to give them", async () => {
    const result = await explainFile(fixture("describe-output.json"));

    expect(result.code).toBe(0);
    expect(result.out).toContain("Action: REJECT");
    expect(result.out).toContain("  - no accepter CIDR could be read, so overlaps cannot be ruled out");
    expect(result.stdout).toContain("give them with --accepter-cidrs");
  });

  it("refuses --accepter-cidrs that are not CIDR blocks", async () => {
    const result = await explainFile(fixture("describe-output.json"), "--accepter-cidrs", "10.0.0.0/33");

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--accepter-cidrs: '10.0.0.0/33' is not a CIDR block");
  });

  it("takes one connection alone, and rejects what the policy does not allow", async () => {
    const result = await explainFile(fixture("describe-connection.json"), "--accepter-cidrs", "10.0.0.0/16");

    expect(result.code).toBe(0);
    expect(result.out).toContain("Connection: pcx-0badc0ffee0000001 (pending-acceptance)");
    expect(result.out).toContain("Action: REJECT");
    expect(result.out).toContain(
      "  - rule 'partner-analytics': requester CIDR 172.21.0.0/16 is not inside 172.20.0.0/16",
    );
    expect(result.stdout).toContain("route tables not given: the route plan could not be computed");
  });

  it("takes the accepter CIDRs from AccepterVpcInfo when the connection shows them", async () => {
    const pcx = readFixture("describe-connection.json");
    pcx.AccepterVpcInfo.CidrBlockSet = [{ CidrBlock: "10.0.0.0/16" }];
    pcx.RequesterVpcInfo = {
      OwnerId: "222222222222",
      VpcId: "vpc-0a1b2c3d4e5f60001",
      Region: "us-east-1",
      CidrBlock: "10.0.128.0/20",
    };

    const result = await explainFile(tempFile("overlap.json", pcx));

    expect(result.out).toContain("Action: REJECT");
    expect(result.out).toContain("  - requester CIDR 10.0.128.0/20 overlaps accepter CIDR 10.0.0.0/16");
    expect(result.stdout).not.toContain("the connection shows no accepter CIDRs");
  });

  it("with --json keeps stdout to the decision and puts the notes on stderr", async () => {
    const result = await explainFile(
      fixture("describe-output.json"),
      "--json",
      "--accepter-cidrs",
      "10.0.0.0/16",
    );

    expect(result.code).toBe(0);
    const decision = JSON.parse(result.stdout);
    expect(decision).toMatchObject({ action: "accept", rule: "payments-to-shared", plan: [] });
    expect(decision.reasons).toEqual(
      expect.arrayContaining([expect.stringContaining("route tables not given")]),
    );
    expect(decision.unmanaged.requester).toBe("route tables not given");
    expect(result.err[0]).toMatch(/^note: route tables not given: the route plan could not be computed/);
  });
});

describe("explain --file with bad input", () => {
  it.each([
    {
      name: "not JSON",
      file: () => fixture("not-json.txt"),
      message: `error: ${fixture("not-json.txt")} is not JSON: `,
    },
    {
      name: "neither shape",
      file: () => fixture("neither-shape.json"),
      message: `error: ${fixture("neither-shape.json")}: expected DecisionFacts (an object with connection, accepterCidrs, accepterRouteTables and requesterRouteTables) or one EC2 VpcPeeringConnection`,
    },
    {
      name: "a JSON array",
      file: () => tempFile("array.json", "[]"),
      message: "expected DecisionFacts",
    },
    {
      name: "a missing file",
      file: () => `${fixture("facts-approved.json")}.missing`,
      message: "error: cannot read ",
    },
    {
      name: "a document with two connections",
      file: () => {
        const doc = readFixture("describe-output.json");
        doc.VpcPeeringConnections.push(doc.VpcPeeringConnections[0]);
        return tempFile("two.json", doc);
      },
      message: "VpcPeeringConnections holds 2 connections; explain takes exactly one",
    },
  ])("fails on $name with a clear message", async ({ file, message }) => {
    const result = await explainFile(file());

    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.stderr).toContain(message);
  });

  it("names every field of DecisionFacts that is wrong", async () => {
    const facts = readFixture("facts-approved.json");
    facts.connection.requester.cidrs = ["10.20.0.0/33"];
    const table = facts.accepterRouteTables.tables[0];
    table.mian = table.main;
    delete table.main;
    delete facts.accepterCidrs;
    const file = tempFile("bad-facts.json", facts);

    const result = await explainFile(file);

    expect(result.code).toBe(1);
    expect(result.err[0]).toBe(`error: ${file} is not valid DecisionFacts:`);
    expect(result.err).toEqual(
      expect.arrayContaining([
        "  - connection.requester.cidrs[0]: not a CIDR block: '10.20.0.0/33'",
        "  - accepterRouteTables.tables[0]: unknown key(s): mian",
        expect.stringMatching(/^ {2}- accepterRouteTables\.tables\[0\]\.main: /),
        expect.stringMatching(/^ {2}- accepterCidrs: /),
      ]),
    );
  });

  it("names the field of an EC2 connection that is missing", async () => {
    const doc = readFixture("describe-output.json");
    delete doc.VpcPeeringConnections[0].RequesterVpcInfo.OwnerId;
    const file = tempFile("no-owner.json", doc);

    const result = await explainFile(file);

    expect(result.code).toBe(1);
    expect(result.err[0]).toBe(
      `error: ${file}: VpcPeeringConnections[0] is not a valid VpcPeeringConnection:`,
    );
    expect(result.err[1]).toMatch(/^ {2}- RequesterVpcInfo\.OwnerId: /);
  });

  it("fails on an invalid policy, naming the rule and field", async () => {
    const policy = tempFile(
      "policy.yml",
      `version: 1
rules:
  - name: broken
    accepter: { accounts: ["111111111111"] }
    requester: { accounts: ["222222222222"], cidrs: ["10.0.0.0/8"], regions: ["nowhere"] }`,
    );

    const result = await runCli("explain", "--file", fixture("facts-approved.json"), "--policy", policy);

    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err[0]).toBe(`${policy}: invalid policy (1 problem)`);
    expect(result.err[1]).toContain("rule 'broken', field requester.regions[0]: must be an AWS region");
  });
});
