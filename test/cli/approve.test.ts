import { describe, expect, it } from "vitest";
import { requestPeering, type World } from "../../model";
import { ACCEPTER, REQUESTER } from "../handlers/harness";
import { APPROVAL_POLICY, READ_ONLY_CALLS, useLiveWorld } from "./live-world";
import { runCli, tempFile } from "./run-cli";

const CALLER = `arn:aws:sts::${ACCEPTER}:assumed-role/peering-autopilot-function/function`;

/** Answers with the accepter's --account and --region, under `policy` (the approval policy by default). */
const answerUnder = (policy: string, verb: "approve" | "deny", connectionId: string, ...more: string[]) =>
  runCli(
    verb,
    connectionId,
    "--account",
    ACCEPTER,
    "--region",
    "us-east-1",
    "--policy",
    tempFile("policy.yml", policy),
    ...more,
  );
const answer = (verb: "approve" | "deny", connectionId: string, ...more: string[]) =>
  answerUnder(APPROVAL_POLICY, verb, connectionId, ...more);

/** Every call that is not a read: an answer may make exactly one, CreateTags. */
const writes = (world: World) => world.calls.filter((c) => !READ_ONLY_CALLS.has(c.operation));

describe("approve and deny, with the accepter account's credentials", () => {
  const env = useLiveWorld(ACCEPTER);

  const awaitingRequest = () => {
    const { shared, app } = env.ids();
    return requestPeering(env.world(), { requesterVpcId: app, accepterVpcId: shared }).connectionId;
  };

  it("approve sets exactly the approval tags, says what the service will do, and accepts nothing itself", async () => {
    const world = env.world();
    const { sharedMain, sharedPrivate, appMain } = env.ids();
    const connectionId = awaitingRequest();

    const result = await answer("approve", connectionId, "--reason", "change NET-42, approved by the CAB");

    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(world.peering(connectionId).tagsByAccount).toEqual({
      [ACCEPTER]: {
        "peering-approval": "approve",
        "peering-approval-reason": "change NET-42, approved by the CAB",
      },
    });
    expect(writes(world)).toEqual([
      expect.objectContaining({
        operation: "CreateTags",
        account: ACCEPTER,
        region: "us-east-1",
        input: expect.objectContaining({ Resources: [connectionId] }),
      }),
    ]);
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    for (const table of [sharedMain, sharedPrivate, appMain]) {
      expect(world.routeTable(table).routes.map((r) => r.target)).not.toContainEqual({
        vpcPeeringConnectionId: connectionId,
      });
    }
    expect(result.out).toContain(
      `Tagged ${connectionId} in account ${ACCEPTER} region us-east-1 as ${CALLER}: peering-approval=approve, peering-approval-reason=change NET-42, approved by the CAB`,
    );
    expect(result.out).toContain(`Next: the service will accept ${connectionId} and create 3 routes:`);
    expect(result.out).toContainEqual(
      expect.stringMatching(
        new RegExp(`^ {2}requester +${REQUESTER} +us-east-1 +${appMain} +10\\.0\\.0\\.0/16 +create$`),
      ),
    );
    expect(result.out.at(-1)).toMatch(/^The service reacts to the tag's event within seconds/);
  });

  it("approve under a rule in report mode tags all the same, and says nothing will change until it is enforced", async () => {
    const world = env.world();
    const connectionId = awaitingRequest();
    const reporting = APPROVAL_POLICY.replace(
      "    approval: required\n",
      "    approval: required\n    mode: report\n",
    );
    expect(reporting).toContain("mode: report");

    const result = await answerUnder(reporting, "approve", connectionId);

    expect(result.code).toBe(0);
    expect(world.peering(connectionId).tagsByAccount[ACCEPTER]).toEqual({ "peering-approval": "approve" });
    expect(result.out).toContain(
      `Report mode (rule 'payments-to-shared'): the service will decide ${connectionId} with this answer and report it, but change nothing in AWS until the rule is enforced. What it would do:`,
    );
    expect(result.out).toContain(`  accept ${connectionId} and create 3 routes:`);
    expect(result.out.join("\n")).not.toContain("Next: the service will");
  });

  it("deny sets only peering-approval=deny and says the service will reject the request", async () => {
    const world = env.world();
    const connectionId = awaitingRequest();

    const result = await answer("deny", connectionId);

    expect(result.code).toBe(0);
    expect(world.peering(connectionId).tagsByAccount).toEqual({ [ACCEPTER]: { "peering-approval": "deny" } });
    expect(writes(world).map((c) => c.operation)).toEqual(["CreateTags"]);
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    expect(result.out).toContain(`Next: the service will reject ${connectionId}.`);
  });

  it("replaces an earlier answer, and says so", async () => {
    const world = env.world();
    const connectionId = awaitingRequest();
    world.peering(connectionId).tagsByAccount[ACCEPTER] = {
      "peering-approval": "deny",
      "peering-approval-reason": "wrong VPC",
    };

    const result = await answer("approve", connectionId);

    expect(result.code).toBe(0);
    expect(world.peering(connectionId).tagsByAccount[ACCEPTER]).toEqual({
      "peering-approval": "approve",
      "peering-approval-reason": "wrong VPC",
    });
    expect(result.out).toContain("  (peering-approval was 'deny' before)");
    expect(result.out).toContain(
      "  (peering-approval-reason still says 'wrong VPC', from an earlier answer)",
    );
    expect(result.out).toContain(`Next: the service will accept ${connectionId} and create 3 routes:`);
  });

  it("refuses an active connection, changing nothing", async () => {
    const world = env.world();
    const { shared, app } = env.ids();
    const connectionId = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });

    const result = await answer("approve", connectionId);

    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err).toEqual([
      `error: cannot approve ${connectionId} in account ${ACCEPTER} region us-east-1: it is active, not pending-acceptance: only a pending request can be answered`,
    ]);
    expect(writes(world)).toEqual([]);
    expect(world.peering(connectionId).tagsByAccount).toEqual({});
  });

  it.each(["approve", "deny"] as const)(
    "%s refuses a request no approval rule matches (the service decides it alone), changing nothing",
    async (verb) => {
      const world = env.world();
      const { shared, partner } = env.ids();
      const { connectionId } = requestPeering(world, { requesterVpcId: partner, accepterVpcId: shared });

      const result = await answer(verb, connectionId);

      expect(result.code).toBe(1);
      expect(result.err[0]).toBe(
        `error: cannot ${verb} ${connectionId} in account ${ACCEPTER} region us-east-1: no approval rule matches it: the service would accept it without asking a person (rule: partner-analytics)`,
      );
      expect(writes(world)).toEqual([]);
      expect(world.peering(connectionId).tagsByAccount).toEqual({});
    },
  );

  it("refuses a request the service would reject whatever the answer, with its reasons", async () => {
    const world = env.world();
    const { shared } = env.ids();
    const outside = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.99.0.0/16"] });
    const { connectionId } = requestPeering(world, { requesterVpcId: outside, accepterVpcId: shared });

    const result = await answer("approve", connectionId);

    expect(result.code).toBe(1);
    expect(result.err).toEqual(
      expect.arrayContaining([
        `error: cannot approve ${connectionId} in account ${ACCEPTER} region us-east-1: no approval rule matches it: the service would reject it without asking a person (rule: none)`,
        "  - no rule approves this request",
      ]),
    );
    expect(writes(world)).toEqual([]);
  });

  it("refuses when named by the requester's account and region: the tag counts only where it is accepted", async () => {
    const world = env.world();
    const connectionId = awaitingRequest();

    const result = await runCli(
      "approve",
      connectionId,
      "--account",
      REQUESTER,
      "--region",
      "us-east-1",
      "--policy",
      tempFile("policy.yml", APPROVAL_POLICY),
    );

    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      `error: cannot approve ${connectionId} in account ${REQUESTER} region us-east-1: it is accepted in account ${ACCEPTER} region us-east-1, where its tags count: answer it there (--account ${ACCEPTER} --region us-east-1)`,
    ]);
    expect(writes(world)).toEqual([]);
  });

  it("fails with a clear message for a connection that cannot be seen", async () => {
    process.env.VISIBLE_WAIT_SECONDS = "0.2";
    const world = env.world();

    const result = await answer("approve", "pcx-0000000000000dead");

    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      `error: peering connection pcx-0000000000000dead is not visible in account ${ACCEPTER} region us-east-1`,
    ]);
    expect(writes(world)).toEqual([]);
  });

  it.each([
    { argv: ["approve"], message: "approve needs a connection id" },
    {
      argv: ["approve", "vpc-0123456789abcdef0", "--account", ACCEPTER, "--region", "us-east-1"],
      message: "'vpc-0123456789abcdef0' is not a peering connection id (pcx-…)",
    },
    {
      argv: ["deny", "pcx-0123456789abcdef0", "--region", "us-east-1"],
      message: "deny needs the --account and --region of the connection's accepter",
    },
    {
      argv: ["approve", "pcx-0123456789abcdef0", "--account", ACCEPTER],
      message: "approve needs the --account and --region of the connection's accepter",
    },
    {
      argv: ["approve", "pcx-0123456789abcdef0", "--account", "1111", "--region", "us-east-1"],
      message: "--account '1111' is not a 12-digit account id",
    },
    {
      argv: ["deny", "pcx-0123456789abcdef0", "pcx-0123456789abcdef1"],
      message: "deny takes one connection id",
    },
    {
      argv: [
        "approve",
        "pcx-0123456789abcdef0",
        "--account",
        ACCEPTER,
        "--region",
        "us-east-1",
        "--reason",
        " ",
      ],
      message: "--reason is empty",
    },
    {
      argv: [
        "approve",
        "pcx-0123456789abcdef0",
        "--account",
        ACCEPTER,
        "--region",
        "us-east-1",
        "--reason",
        "x".repeat(257),
      ],
      message: "--reason holds 257 characters; a tag value holds at most 256",
    },
    { argv: ["deny", "pcx-0123456789abcdef0", "--json"], message: "Unknown option '--json'" },
  ])("'$message' is a usage error: exit 2, no AWS call", async ({ argv, message }) => {
    const result = await runCli(...argv);

    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err[0]).toContain(`error: ${message}`);
    expect(env.world().calls).toEqual([]);
  });

  it("takes a reason of exactly 256 characters", async () => {
    const world = env.world();
    const connectionId = awaitingRequest();
    const reason = "é".repeat(256);

    const result = await answer("deny", connectionId, "--reason", reason);

    expect(result.code).toBe(0);
    expect(world.peering(connectionId).tagsByAccount[ACCEPTER]?.["peering-approval-reason"]).toBe(reason);
  });
});

describe("approve, with the credentials of a central account", () => {
  const env = useLiveWorld("444444444444");

  it("reads through the role but refuses to tag: only a principal of the accepter account can answer", async () => {
    const world = env.world();
    const { shared, app } = env.ids();
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const result = await answer("approve", connectionId);

    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      `error: cannot approve ${connectionId} in account ${ACCEPTER} region us-east-1: your credentials are of account 444444444444: the peering-approval tag counts only when a principal of the accepter account ${ACCEPTER} sets it`,
    ]);
    expect(writes(world)).toEqual([]);
    expect(world.peering(connectionId).tagsByAccount).toEqual({});
  });
});
