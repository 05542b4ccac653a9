import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installModel, World } from "../../model";
import { AwsSessions } from "../../shared/aws/sessions/sessions";
import { PolicySchema } from "../../shared/policy/schema";
import { targetKey } from "../../shared/workflow/sweep/assign";
import { readSweeps } from "../../shared/workflow/sweep/read-sweep";
import { recordChanges } from "../../shared/workflow/sweep/snapshot";
import { sweepTargets } from "../../shared/workflow/sweep-targets";

const ACCEPTER = "111111111111";
const REQUESTER = "222222222222";
const REGIONS = ["us-east-1", "eu-west-1"];

const policyIn = (regions: string[]) =>
  PolicySchema.parse({
    version: 1,
    rules: [
      {
        name: "apps",
        accepter: { accounts: [ACCEPTER], regions },
        requester: { accounts: [REQUESTER], cidrs: ["10.16.0.0/12"] },
      },
    ],
  });
const EAST = policyIn(["us-east-1"]);
const BOTH = policyIn(REGIONS);
const sweepsOf = (...policies: (typeof EAST)[]) =>
  policies.map((policy) => ({ policy, targets: sweepTargets(policy, REGIONS) }));

/** Plans of two policies share one read: what one names and the other does not stays with the first. */
describe("readSweeps: one read for several policies", () => {
  let world: World;
  let restore = () => {};
  let sessions: AwsSessions;
  let ids: { east: string; west: string; eastMain: string };

  beforeEach(() => {
    world = new World({ homeAccount: ACCEPTER });
    world.addAccount(ACCEPTER).addAccount(REQUESTER);
    const east = world.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.0.0.0/16"] });
    const west = world.addVpc({ ownerId: ACCEPTER, region: "eu-west-1", cidrs: ["10.1.0.0/16"] });
    const app = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.20.0.0/16"] });
    ids = {
      east: world.addPeering({ requesterVpcId: app, accepterVpcId: east, status: "active" }),
      west: world.addPeering({ requesterVpcId: app, accepterVpcId: west, status: "active" }),
      eastMain: world.routeTablesOfVpc(east)[0]?.id ?? "",
    };
    restore = installModel(world).restore;
    sessions = new AwsSessions({
      homeAccount: ACCEPTER,
      roleName: "peering-autopilot-execution",
      allowedAccounts: new Set([ACCEPTER, REQUESTER]),
      stsRegion: "us-east-1",
    });
  });
  afterEach(() => restore());

  it("lists each account-region either policy names once, and gives each only its own", async () => {
    const [east, both] = await readSweeps(sessions, sweepsOf(EAST, BOTH), { pass: "full", concurrency: 2 });

    const listings = world.calls.filter((c) => c.operation === "DescribeVpcPeeringConnections");
    expect(listings.map((c) => c.region).sort()).toEqual(["eu-west-1", "us-east-1"]);
    expect(east?.listings.map((l) => targetKey(l.target))).toEqual([`${ACCEPTER}/us-east-1`]);
    expect(east?.assignment.listed.map((item) => item.connection.id)).toEqual([ids.east]);
    expect(both?.listings.map((l) => targetKey(l.target)).sort()).toEqual([
      `${ACCEPTER}/eu-west-1`,
      `${ACCEPTER}/us-east-1`,
    ]);
    expect(both?.assignment.listed.map((item) => item.connection.id).sort()).toEqual(
      [ids.east, ids.west].sort(),
    );
  });

  it("gives each policy a snapshot of its own: what one plan records, the other does not see", async () => {
    const [first, second] = await readSweeps(sessions, sweepsOf(BOTH, BOTH), {
      pass: "full",
      concurrency: 2,
    });
    if (!first || !second) throw new Error("one read per policy");
    const created = {
      connection: "unchanged" as const,
      routes: [
        {
          route: {
            side: "accepter" as const,
            account: ACCEPTER,
            region: "us-east-1",
            routeTableId: ids.eastMain,
            destination: "10.20.0.0/16",
            status: "create" as const,
          },
          result: "created" as const,
        },
      ],
      removed: [],
      dns: [],
      tagged: false,
    };

    recordChanges(first.snapshot, ids.east, created);

    const tablesOf = (read: typeof first) => {
      const tables = read.snapshot.tables.get(`${ACCEPTER}/us-east-1`);
      return tables?.kind === "read" ? [...tables.value.values()].flat() : [];
    };
    expect(tablesOf(first).flatMap((t) => t.routes.map((r) => r.target))).toContain(ids.east);
    expect(tablesOf(second).flatMap((t) => t.routes.map((r) => r.target))).not.toContain(ids.east);
    expect(world.calls.filter((c) => c.operation === "DescribeRouteTables").length).toBeGreaterThan(0);
  });

  it("reads no table of an account-region whose listing failed, and says so to the policies naming it", async () => {
    world.failNext({
      operation: "DescribeVpcPeeringConnections",
      region: "eu-west-1",
      error: "UnauthorizedOperation",
    });

    const [east, both] = await readSweeps(sessions, sweepsOf(EAST, BOTH), { pass: "full", concurrency: 2 });

    expect(east?.listingErrors.size).toBe(0);
    expect([...(both?.listingErrors.keys() ?? [])]).toEqual([`${ACCEPTER}/eu-west-1`]);
    const tableReads = world.calls.filter(
      (c) => c.operation === "DescribeRouteTables" && c.account === ACCEPTER,
    );
    expect(tableReads.map((c) => c.region)).toEqual(["us-east-1"]);
  });
});
