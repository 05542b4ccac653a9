import { describe, expect, it } from "vitest";
import { requestPeering, type World } from "../../model";
import { ACCEPTER, PARTNER, REQUESTER, routesOf } from "../handlers/harness";
import { expectOnlyReads, useLiveWorld } from "./live-world";
import { explainLive, runCli } from "./run-cli";

const CENTRAL = "444444444444";

const row = (...cells: string[]) =>
  new RegExp(`^  ${cells.map((c) => c.replace(/[./]/g, "\\$&")).join(" +")}$`);

/** Every table's routes, to prove that explaining left them as they were. */
function allRoutes(world: World) {
  return [...world.routeTables.keys()].map((id) => [id, routesOf(world, id)]);
}

describe("explain <pcx-id> live, with the accepter account's credentials", () => {
  const env = useLiveWorld(ACCEPTER);

  it("reads both sides, explains an approved request, and changes nothing", async () => {
    const world = env.world();
    const { shared, app, sharedMain, sharedPrivate, appMain } = env.ids();
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    const before = allRoutes(world);

    const result = await explainLive(connectionId);

    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      `Source: AWS, read as arn:aws:sts::${ACCEPTER}:assumed-role/peering-autopilot-function/function (read-only: nothing was changed)`,
    );
    expect(result.out).toContain(`Connection: ${connectionId} (pending-acceptance)`);
    expect(result.out).toContain("Action: ACCEPT");
    expect(result.out).toContain("Rule: payments-to-shared");
    expect(result.out).toContainEqual(
      expect.stringMatching(row("accepter", ACCEPTER, "us-east-1", sharedMain, "10.20.0.0/16", "create")),
    );
    expect(result.out).toContainEqual(
      expect.stringMatching(row("accepter", ACCEPTER, "us-east-1", sharedPrivate, "10.20.0.0/16", "create")),
    );
    expect(result.out).toContainEqual(
      expect.stringMatching(row("requester", REQUESTER, "us-east-1", appMain, "10.0.0.0/16", "create")),
    );
    expect(result.out).toContain("Unmanaged sides: none");

    expectOnlyReads(world);
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    expect(world.peering(connectionId).tagsByAccount).toEqual({});
    expect(allRoutes(world)).toEqual(before);
    // The requester's tables were read through its role, as the service reads them.
    expect(world.calls).toContainEqual(
      expect.objectContaining({ operation: "DescribeRouteTables", account: REQUESTER }),
    );
  });

  it("explains a route conflict as JSON, and changes nothing", async () => {
    const world = env.world();
    const { shared, app } = env.ids();
    world.addRouteTable({
      vpcId: app,
      tags: { tier: "transit" },
      routes: [{ destination: "10.0.4.0/24", target: { transitGatewayId: "tgw-0aaaabbbbccccdddd" } }],
    });
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const result = await explainLive(connectionId, "--json");

    expect(result.code).toBe(0);
    const decision = JSON.parse(result.stdout);
    expect(decision).toMatchObject({ connectionId, action: "reject", rule: "payments-to-shared" });
    expect(decision.reasons).toEqual([
      expect.stringMatching(
        /10\.0\.0\.0\/16 conflicts with existing route 10\.0\.4\.0\/24 -> tgw-0aaaabbbbccccdddd$/,
      ),
    ]);
    expect(decision.plan).toContainEqual(
      expect.objectContaining({ side: "requester", status: "conflict", destination: "10.0.0.0/16" }),
    );
    expect(world.mutatingCalls()).toEqual([]);
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
  });

  it("explains a CIDR outside the allowlist as REJECT, and changes nothing", async () => {
    const world = env.world();
    const { shared } = env.ids();
    const outside = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.99.0.0/16"] });
    const { connectionId } = requestPeering(world, { requesterVpcId: outside, accepterVpcId: shared });

    const result = await explainLive(connectionId);

    expect(result.code).toBe(0);
    expect(result.out).toContain("Action: REJECT");
    expect(result.out).toContain(
      "  - rule 'payments-to-shared': requester CIDR 10.99.0.0/16 is not inside 10.16.0.0/12, fd00:16::/32",
    );
    expect(world.mutatingCalls()).toEqual([]);
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
  });

  it("makes no AWS call at all for an account the policy does not name", async () => {
    const world = env.world();

    const result = await runCli(
      "explain",
      "pcx-0123456789abcdef0",
      "--account",
      CENTRAL,
      "--region",
      "us-east-1",
    );

    expect(result.code).toBe(0);
    expect(result.out).toContain(
      `Not decided: account ${CENTRAL} region us-east-1 is not named in the policy: the service would leave the connection alone, without reading it or assuming any role`,
    );
    expect(world.calls).toEqual([]);
  });

  it("reads, but does not decide, a request whose accepter the policy does not name", async () => {
    const world = env.world();
    const { app, partner } = env.ids();
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: partner });

    const result = await runCli("explain", connectionId, "--account", PARTNER, "--region", "us-east-1");

    expect(result.code).toBe(0);
    expect(result.out).toContain(
      `Not decided: the connection's accepter is ${PARTNER} us-east-1, which the policy does not name: the service would leave it alone`,
    );
    expect(world.calls.map((c) => c.operation)).toContain("DescribeVpcPeeringConnections");
    expect(world.mutatingCalls()).toEqual([]);
  });

  it("fails with a clear message for a connection that cannot be seen", async () => {
    process.env.VISIBLE_WAIT_SECONDS = "0.2";
    const world = env.world();

    const result = await explainLive("pcx-0000000000000dead");

    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err).toEqual([
      `error: peering connection pcx-0000000000000dead is not visible in account ${ACCEPTER} region us-east-1`,
    ]);
    expect(world.mutatingCalls()).toEqual([]);
  });
});

describe("explain <pcx-id> live, where the requester's role cannot be assumed", () => {
  const env = useLiveWorld(ACCEPTER, (world) => world.addAccount(REQUESTER, { role: false }));

  it("reports the requester side as not managed and still explains the accepter side", async () => {
    const world = env.world();
    const { shared, app, sharedMain } = env.ids();
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const result = await explainLive(connectionId);

    expect(result.code).toBe(0);
    expect(result.out).toContain("Action: ACCEPT");
    expect(result.out).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^ {2}requester: cannot assume arn:aws:iam::${REQUESTER}:role/peering-autopilot-execution`,
        ),
      ),
    );
    expect(result.out).toContainEqual(
      expect.stringMatching(row("accepter", ACCEPTER, "us-east-1", sharedMain, "10.20.0.0/16", "create")),
    );
    expect(world.mutatingCalls()).toEqual([]);
  });
});

describe("explain <pcx-id> live, with the credentials of a central account", () => {
  const env = useLiveWorld(CENTRAL);

  it("takes its home account from STS and assumes the role into the accepter account", async () => {
    const world = env.world();
    const { shared, app } = env.ids();
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const result = await explainLive(connectionId);

    expect(result.code).toBe(0);
    expect(result.out).toContain(
      `Source: AWS, read as arn:aws:sts::${CENTRAL}:assumed-role/peering-autopilot-function/function (read-only: nothing was changed)`,
    );
    expect(result.out).toContain("Action: ACCEPT");
    expect(result.out).toContain("Unmanaged sides: none");
    expect(world.calls).toContainEqual(
      expect.objectContaining({
        service: "STS",
        operation: "AssumeRole",
        input: expect.objectContaining({
          RoleArn: `arn:aws:iam::${ACCEPTER}:role/peering-autopilot-execution`,
        }),
      }),
    );
    expect(world.calls).toContainEqual(
      expect.objectContaining({ operation: "DescribeVpcPeeringConnections", account: ACCEPTER }),
    );
    expect(world.mutatingCalls()).toEqual([]);
  });
});
