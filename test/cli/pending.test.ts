import { describe, expect, it } from "vitest";
import { requestPeering } from "../../model";
import { ACCEPTER, PARTNER, REQUESTER } from "../handlers/harness";
import { APPROVAL_POLICY, expectOnlyReads, expireIn, HOUR, MINUTE, useLiveWorld } from "./live-world";
import { runCli, tempFile } from "./run-cli";

const pending = (...more: string[]) =>
  runCli("pending", "--policy", tempFile("policy.yml", APPROVAL_POLICY), ...more);

describe("pending, with the accepter account's credentials", () => {
  const env = useLiveWorld(ACCEPTER);

  /** Three pending requests to the shared VPC, an active connection, and a request to an accepter not named. */
  function requests() {
    const world = env.world();
    const { shared, app, appEu, partner } = env.ids();
    const outside = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.99.0.0/16"] });
    const awaiting = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared }).connectionId;
    const partnerRequest = requestPeering(world, {
      requesterVpcId: partner,
      accepterVpcId: shared,
    }).connectionId;
    const rejected = requestPeering(world, { requesterVpcId: outside, accepterVpcId: shared }).connectionId;
    world.addPeering({ requesterVpcId: appEu, accepterVpcId: shared, status: "active" });
    requestPeering(world, { requesterVpcId: app, accepterVpcId: partner });
    expireIn(world, awaiting, 5 * HOUR + 30 * MINUTE + 30_000);
    expireIn(world, partnerRequest, 3 * 24 * HOUR + 2 * HOUR + 30_000);
    expireIn(world, rejected, 40 * MINUTE + 30_000);
    return { awaiting, partnerRequest, rejected };
  }

  it("lists every pending request soonest expiry first, with what the service would do, and changes nothing", async () => {
    const world = env.world();
    const { shared, app, partner } = env.ids();
    const { awaiting, partnerRequest, rejected } = requests();

    const result = await pending();

    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out.slice(1, 4)).toEqual([
      `Source: AWS, read as arn:aws:sts::${ACCEPTER}:assumed-role/peering-autopilot-function/function (read-only: nothing was changed)`,
      `Accepter account-regions: ${ACCEPTER} us-east-1`,
      "Pending requests: 3, soonest expiry first",
    ]);
    const headers = result.out.filter((line) => line.startsWith("pcx-"));
    expect(headers).toEqual([
      expect.stringMatching(new RegExp(`^${rejected}  0 h 40 min left \\(expires \\S+Z\\)$`)),
      expect.stringMatching(new RegExp(`^${awaiting}  5 h 30 min left \\(expires \\S+Z\\)$`)),
      expect.stringMatching(new RegExp(`^${partnerRequest}  3 d 2 h left \\(expires \\S+Z\\)$`)),
    ]);

    const block = (id: string) => {
      const start = result.out.findIndex((line) => line.startsWith(id));
      const end = result.out.indexOf("", start);
      return result.out.slice(start, end === -1 ? undefined : end);
    };
    expect(block(awaiting)).toEqual([
      expect.any(String),
      `  requester  ${REQUESTER} us-east-1 ${app}: 10.20.0.0/16`,
      `  accepter   ${ACCEPTER} us-east-1 ${shared}: 10.0.0.0/16`,
      "  action     AWAIT-APPROVAL",
      "  rule       payments-to-shared",
      `  approval   awaited: rule 'payments-to-shared' asks a person (npm run peering -- approve|deny ${awaiting} --account ${ACCEPTER} --region us-east-1)`,
      "  reasons",
      `    - rule 'payments-to-shared' approves requester ${REQUESTER} us-east-1 ${app} with CIDRs 10.20.0.0/16; the rule asks a person to approve it`,
      `    - to answer, tag ${awaiting} in account ${ACCEPTER} region us-east-1 with peering-approval=approve or peering-approval=deny`,
      expect.stringMatching(/^ {4}- the request expires at \S+Z \(5 h 30 min left\) unless it is answered$/),
    ]);
    expect(block(partnerRequest)).toEqual(
      expect.arrayContaining([
        `  requester  ${PARTNER} us-east-1 ${partner}: 172.20.0.0/16`,
        "  action     ACCEPT",
        "  rule       partner-analytics",
        "  approval   not awaited",
      ]),
    );
    expect(block(rejected)).toEqual(
      expect.arrayContaining([
        "  action     REJECT",
        "  rule       (none)",
        "  approval   not awaited",
        "    - no rule approves this request",
      ]),
    );

    expectOnlyReads(world);
    for (const id of [awaiting, partnerRequest, rejected]) {
      expect(world.peering(id).status.code).toBe("pending-acceptance");
      expect(world.peering(id).tagsByAccount).toEqual({});
    }
  });

  it("prints the same as JSON", async () => {
    const world = env.world();
    const { shared, app } = env.ids();
    const { awaiting, partnerRequest, rejected } = requests();

    const result = await pending("--json");

    expect(result.code).toBe(0);
    expect(result.err).toEqual([]);
    const { requests: listed, failures } = JSON.parse(result.stdout);
    expect(failures).toEqual([]);
    expect(listed.map((r: { connectionId: string }) => r.connectionId)).toEqual([
      rejected,
      awaiting,
      partnerRequest,
    ]);
    expect(listed[1]).toEqual({
      connectionId: awaiting,
      requester: { account: REQUESTER, region: "us-east-1", vpcId: app, cidrs: ["10.20.0.0/16"] },
      accepter: { account: ACCEPTER, region: "us-east-1", vpcId: shared, cidrs: ["10.0.0.0/16"] },
      action: "await-approval",
      mode: "enforce",
      rule: "payments-to-shared",
      reasons: expect.arrayContaining([
        `to answer, tag ${awaiting} in account ${ACCEPTER} region us-east-1 with peering-approval=approve or peering-approval=deny`,
      ]),
      findings: ["awaiting-approval", "expiring-soon"],
      awaitsApproval: true,
      approvalRule: "payments-to-shared",
      expiresAt: world.peering(awaiting).expirationTime.toISOString(),
      timeLeft: "5 h 30 min left",
    });
    expect(listed[2]).toMatchObject({ action: "accept", rule: "partner-analytics", awaitsApproval: false });
    expect(listed[2]).not.toHaveProperty("approvalRule");
    expect(listed[0]).toMatchObject({ action: "reject", awaitsApproval: false, timeLeft: "0 h 40 min left" });
    expect(listed[0]).not.toHaveProperty("rule");
    expectOnlyReads(world);
  });

  it("says so when nothing is pending", async () => {
    const world = env.world();
    const { shared, app } = env.ids();
    world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });

    const result = await pending();

    expect(result.code).toBe(0);
    expect(result.out.at(-1)).toBe("No pending requests.");
  });

  it("reads only the account-region that --account and --region name", async () => {
    const world = env.world();
    requests();

    const result = await pending("--account", ACCEPTER, "--region", "us-east-1", "--json");

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).requests).toHaveLength(3);
    // The listing, and the two that count the accepter VPC's active connections for its quota.
    const listings = world.calls.filter((c) => c.operation === "DescribeVpcPeeringConnections");
    expect(listings.map((c) => [c.account, c.region])).toEqual(Array(3).fill([ACCEPTER, "us-east-1"]));
  });

  it("fails, making no AWS call, for an account-region the policy does not name as an accepter", async () => {
    const world = env.world();
    const policyFile = tempFile("policy.yml", APPROVAL_POLICY);

    const result = await runCli("pending", "--policy", policyFile, "--account", REQUESTER);

    expect(result.code).toBe(1);
    expect(result.err).toEqual([`error: ${policyFile} names no accepter account ${REQUESTER}`]);
    expect(world.calls).toEqual([]);
  });

  it("lists what it could read and fails, naming the account-region, when one cannot be listed", async () => {
    const world = env.world();
    const { shared, app } = env.ids();
    const west = world.addVpc({ ownerId: ACCEPTER, region: "eu-west-1", cidrs: ["10.1.0.0/16"] });
    const awaiting = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared }).connectionId;
    requestPeering(world, { requesterVpcId: app, accepterVpcId: west });
    world.failNext({
      operation: "DescribeVpcPeeringConnections",
      region: "eu-west-1",
      error: "UnauthorizedOperation",
      times: Number.POSITIVE_INFINITY,
    });
    const policy = `
version: 1
rules:
  - name: shared
    approval: required
    accepter: { accounts: ["${ACCEPTER}"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
`;
    process.env.SWEEP_REGIONS = "us-east-1,eu-west-1";

    const result = await runCli("pending", "--policy", tempFile("policy.yml", policy));

    expect(result.code).toBe(1);
    expect(result.out).toContain(`Accepter account-regions: ${ACCEPTER} us-east-1, ${ACCEPTER} eu-west-1`);
    expect(result.out.filter((line) => line.startsWith("pcx-"))).toEqual([
      expect.stringMatching(new RegExp(`^${awaiting} `)),
    ]);
    expect(result.err).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error: account ${ACCEPTER} region eu-west-1 could not be listed: DescribeVpcPeeringConnections .* failed: UnauthorizedOperation: `,
        ),
      ),
    ]);
  });

  it("lists the requests it could decide and fails, naming the one whose facts could not be read", async () => {
    const world = env.world();
    const { shared, app, partner } = env.ids();
    const unreadable = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared }).connectionId;
    const decided = requestPeering(world, { requesterVpcId: partner, accepterVpcId: shared }).connectionId;
    world.failNext({
      operation: "DescribeRouteTables",
      account: REQUESTER,
      error: "InternalError",
      times: Number.POSITIVE_INFINITY,
    });

    const result = await pending("--json");

    expect(result.code).toBe(1);
    const { requests: listed, failures } = JSON.parse(result.stdout);
    expect(listed.map((r: { connectionId: string }) => r.connectionId)).toEqual([decided]);
    expect(failures).toEqual([
      {
        account: ACCEPTER,
        region: "us-east-1",
        connectionId: unreadable,
        error: expect.stringMatching(
          /^DescribeRouteTables in account 222222222222 region us-east-1 failed: InternalError/,
        ),
      },
    ]);
    expect(result.err).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error: ${unreadable} in account ${ACCEPTER} region us-east-1 could not be read: DescribeRouteTables `,
        ),
      ),
    ]);
  });

  it.each([
    { argv: ["pending", "--account", "1111"], message: "--account '1111' is not a 12-digit account id" },
    { argv: ["pending", "pcx-0123456789abcdef0"], message: "pending takes no arguments, only options" },
    { argv: ["pending", "--reason", "x"], message: "Unknown option '--reason'" },
  ])("'$message' is a usage error: exit 2, no AWS call", async ({ argv, message }) => {
    const result = await runCli(...argv);

    expect(result.code).toBe(2);
    expect(result.err[0]).toContain(message);
    expect(env.world().calls).toEqual([]);
  });
});

describe("pending, with the credentials of a central account", () => {
  const env = useLiveWorld("444444444444");

  it("assumes the role into the accepter account and lists its requests", async () => {
    const world = env.world();
    const { shared, app } = env.ids();
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const result = await pending("--json");

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).requests).toEqual([
      expect.objectContaining({ connectionId, action: "await-approval" }),
    ]);
    expect(world.calls).toContainEqual(
      expect.objectContaining({ operation: "DescribeVpcPeeringConnections", account: ACCEPTER }),
    );
    expectOnlyReads(world);
  });
});
