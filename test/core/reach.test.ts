import { describe, expect, it } from "vitest";
import { decide } from "../../shared/decision/decide";
import type { Decision } from "../../shared/decision/decision";
import { readsSubnets } from "../../shared/policy/reach";
import { PolicySchema } from "../../shared/policy/schema";
import { reachedDestinations } from "../../shared/routes/reached-destinations";
import {
  accepterMain,
  CONNECTION_ID,
  type FactsInput,
  facts,
  named,
  policy,
  requesterMain,
  route,
  subnet,
} from "../helpers/facts";

// The accepter VPC is 10.0.0.0/16 (+ fd00:a::/56 here), the requester VPC 10.20.0.0/16.
const SHARED = subnet("subnet-0shared", ["10.0.1.0/24", "fd00:a:0:1::/64"], { Tier: "shared" });
const PRIVATE = subnet("subnet-0private", ["10.0.2.0/24"], { Tier: "private" });
const APP = subnet("subnet-0app", ["10.20.8.0/22"], { Tier: "app" });
const DB = subnet("subnet-0db", ["10.20.12.0/22"], { Tier: "db" });

function rule(reach: Record<string, unknown>) {
  return {
    name: "narrow",
    accepter: { accounts: ["111111111111"] },
    requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16"] },
    routes: { accepter: "main", requester: "main", reach },
  };
}
const decideWith = (reach: Record<string, unknown>, input: FactsInput = {}) =>
  decide(
    facts({
      accepterCidrs: ["10.0.0.0/16", "fd00:a::/56"],
      accepterTables: [accepterMain()],
      requesterTables: [requesterMain()],
      accepterSubnets: [SHARED, PRIVATE],
      requesterSubnets: [APP, DB],
      ...input,
    }),
    policy([rule(reach)]),
  );
const routed = (decision: Decision) => decision.plan.map((r) => `${r.side} ${r.destination} ${r.status}`);

describe("the policy's reach", () => {
  it("defaults to the whole VPC on both sides", () => {
    const parsed = PolicySchema.parse({ version: 1, rules: [{ ...rule({}), routes: undefined }] });
    expect(parsed.rules[0]?.routes.reach).toEqual({ accepter: "vpc", requester: "vpc" });
  });

  it.each(
    named([
      { name: "a word other than vpc", reach: { accepter: "subnets" } },
      { name: "subnets without tags", reach: { accepter: { subnets: {} } } },
      { name: "subnets with no tag named", reach: { accepter: { subnets: { tags: {} } } } },
      { name: "an empty list of blocks", reach: { requester: { cidrs: [] } } },
      { name: "a block that is not a CIDR", reach: { requester: { cidrs: ["10.20.0.0/33"] } } },
      {
        name: "both subnets and blocks",
        reach: { accepter: { subnets: { tags: { a: "b" } }, cidrs: ["10.0.0.0/24"] } },
      },
      { name: "a side that does not exist", reach: { peer: "vpc" } },
    ]),
  )("refuses %s", (_, { reach }) => {
    expect(PolicySchema.safeParse({ version: 1, rules: [rule(reach)] }).success).toBe(false);
  });

  it.each([
    [{ accepter: { subnets: { tags: { Tier: "shared" } } } }, true],
    [{ requester: { subnets: { tags: { Tier: "app" } } } }, true],
    [{ requester: { cidrs: ["10.20.8.0/22"] } }, false],
    [{}, false],
  ])("reads subnets only when a rule routes to subnets: %j", (reach, reads) => {
    expect(readsSubnets(policy([rule(reach)]))).toBe(reads);
  });
});

describe("what is said about the reach", () => {
  it("names every tag a subnet must carry, and every routable CIDR a block is outside", () => {
    const decision = decideWith(
      { accepter: { subnets: { tags: { Tier: "shared", Env: "prod" } } } },
      { accepterSubnets: [SHARED] },
    );
    expect(decision.reasons).toContain(
      "no accepter subnet is tagged Tier=shared, Env=prod: nothing of it is routed",
    );
    const outside = decideWith({ accepter: { cidrs: ["10.9.0.0/16"] } });
    expect(outside.reasons).toContain(
      "accepter block 10.9.0.0/16 is not inside 10.0.0.0/16, fd00:a::/56: not routed",
    );
  });

  it("says nothing, and finds nothing, when every block and subnet named is routed", () => {
    const subnets = decideWith({ accepter: { subnets: { tags: { Tier: "shared" } } } });
    const blocks = decideWith({ requester: { cidrs: ["10.20.8.0/22", "10.20.12.0/22"] } });
    for (const decision of [subnets, blocks]) {
      expect(decision.findings).toEqual([]);
      expect(
        decision.reasons.filter((r) => r.includes("not routed") || r.includes("subnet is tagged")),
      ).toEqual([]);
    }
    expect(routed(blocks).filter((r) => r.startsWith("accepter"))).toEqual([
      "accepter 10.20.8.0/22 create",
      "accepter 10.20.12.0/22 create",
    ]);
  });

  it("refuses a reach that is none of the three, saying what it may be", () => {
    const result = PolicySchema.safeParse({ version: 1, rules: [rule({ accepter: "subnets" })] });
    expect(result.error?.issues.map((i) => i.message)).toContain(
      "must be vpc, {subnets: {tags: {Key: Value}}} or {cidrs: [...]}",
    );
  });

  it("reads subnets when any one rule routes to subnets", () => {
    const wide = { ...rule({}), name: "wide" };
    expect(readsSubnets(policy([wide, rule({ accepter: { subnets: { tags: { Tier: "shared" } } } })]))).toBe(
      true,
    );
  });
});

describe("what each side's tables route", () => {
  it("the whole peer VPC by default", () => {
    expect(routed(decideWith({}))).toEqual([
      "accepter 10.20.0.0/16 create",
      "requester 10.0.0.0/16 create",
      "requester fd00:a::/56 create",
    ]);
  });

  it("the requester's tables: only the accepter subnets tagged so, IPv4 and IPv6", () => {
    const decision = decideWith({ accepter: { subnets: { tags: { Tier: "shared" } } } });
    expect(decision.action).toBe("accept");
    expect(routed(decision)).toEqual([
      "accepter 10.20.0.0/16 create",
      "requester 10.0.1.0/24 create",
      "requester fd00:a:0:1::/64 create",
    ]);
  });

  it("the accepter's tables: only the requester subnets tagged so", () => {
    const decision = decideWith({ requester: { subnets: { tags: { Tier: "app" } } } });
    expect(routed(decision)).toEqual([
      "accepter 10.20.8.0/22 create",
      "requester 10.0.0.0/16 create",
      "requester fd00:a::/56 create",
    ]);
  });

  it("a subnet must carry every tag named", () => {
    const both = subnet("subnet-0both", ["10.0.3.0/24"], { Tier: "shared", Env: "prod" });
    const decision = decideWith(
      { accepter: { subnets: { tags: { Tier: "shared", Env: "prod" } } } },
      { accepterSubnets: [SHARED, both] },
    );
    expect(routed(decision).filter((r) => r.startsWith("requester"))).toEqual([
      "requester 10.0.3.0/24 create",
    ]);
  });

  it("explicit blocks inside the peer VPC are routed; one outside is reported, not routed", () => {
    const decision = decideWith({ requester: { cidrs: ["10.20.8.0/22", "10.99.0.0/16"] } });
    expect(decision.action).toBe("accept");
    expect(routed(decision).filter((r) => r.startsWith("accepter"))).toEqual([
      "accepter 10.20.8.0/22 create",
    ]);
    expect(decision.findings).toEqual(["reach-outside-vpc"]);
    expect(decision.reasons).toContain("requester block 10.99.0.0/16 is not inside 10.20.0.0/16: not routed");
  });

  it("an active connection with a block outside: maintained, the finding raised", () => {
    const decision = decideWith({ accepter: { cidrs: ["10.5.0.0/16"] } }, { status: "active" });
    expect(decision.action).toBe("maintain");
    expect(decision.findings).toEqual(["reach-outside-vpc"]);
    expect(routed(decision).filter((r) => r.startsWith("requester"))).toEqual([]);
  });

  it("a subnet block outside what the rule allows is never routed", () => {
    const decision = decide(
      facts({
        requesterCidrs: ["10.20.0.0/16", "100.64.0.0/16"],
        accepterTables: [accepterMain()],
        requesterTables: [requesterMain()],
        requesterSubnets: [APP, subnet("subnet-0cgnat", ["100.64.1.0/24"], { Tier: "app" })],
      }),
      policy([
        {
          ...rule({ requester: { subnets: { tags: { Tier: "app" } } } }),
          requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16", "100.64.0.0/16"] },
        },
      ]),
    );
    expect(routed(decision).filter((r) => r.startsWith("accepter"))).toEqual([
      "accepter 10.20.8.0/22 create",
      "accepter 100.64.1.0/24 create",
    ]);
    const narrower = decide(
      facts({
        status: "active",
        requesterCidrs: ["10.20.0.0/16", "100.64.0.0/16"],
        accepterTables: [accepterMain()],
        requesterTables: [requesterMain()],
        requesterSubnets: [APP, subnet("subnet-0cgnat", ["100.64.1.0/24"], { Tier: "app" })],
      }),
      policy([rule({ requester: { subnets: { tags: { Tier: "app" } } } })]),
    );
    expect(routed(narrower).filter((r) => r.startsWith("accepter"))).toEqual([
      "accepter 10.20.8.0/22 create",
    ]);
    expect(narrower.reasons).toContain(
      "requester subnet subnet-0cgnat block 100.64.1.0/24 is not inside 10.20.0.0/16: not routed",
    );
  });
});

describe("routes follow the subnets", () => {
  const routedToShared = { requesterTables: [requesterMain(route("10.0.1.0/24", CONNECTION_ID))] };

  it("a subnet untagged: its route goes at the next decision", () => {
    const decision = decideWith(
      { accepter: { subnets: { tags: { Tier: "shared" } } } },
      { status: "active", ...routedToShared, accepterSubnets: [{ ...SHARED, tags: {} }, PRIVATE] },
    );
    expect(decision.action).toBe("maintain");
    expect(decision.removals.map((r) => `${r.side} ${r.destination}`)).toEqual(["requester 10.0.1.0/24"]);
    expect(decision.reasons).toContain("no accepter subnet is tagged Tier=shared: nothing of it is routed");
  });

  it("a subnet tagged later: its route is added", () => {
    const decision = decideWith(
      { accepter: { subnets: { tags: { Tier: "shared" } } } },
      {
        status: "active",
        ...routedToShared,
        accepterSubnets: [SHARED, { ...PRIVATE, tags: { Tier: "shared" } }],
      },
    );
    expect(routed(decision).filter((r) => r.startsWith("requester"))).toEqual([
      "requester 10.0.1.0/24 present",
      "requester fd00:a:0:1::/64 create",
      "requester 10.0.2.0/24 create",
    ]);
    expect(decision.removals).toEqual([]);
  });

  it.each(
    named([
      {
        name: "could not be read (no role)",
        accepterSubnets: { unreadable: "cannot assume the role" },
        reason: "cannot assume the role",
      },
      { name: "were not read", accepterSubnets: undefined, reason: "the accepter subnets were not read" },
    ]),
  )("subnets that %s: that side is left as it is", (_, { accepterSubnets, reason }) => {
    const decision = decide(
      facts({
        status: "active",
        ...routedToShared,
        accepterTables: [accepterMain()],
        requesterSubnets: [APP],
        ...(accepterSubnets && { accepterSubnets }),
      }),
      policy([rule({ accepter: { subnets: { tags: { Tier: "shared" } } } })]),
    );
    expect(decision.removals).toEqual([]);
    expect(decision.plan.filter((r) => r.side === "requester")).toEqual([]);
    expect(decision.unmanaged).toEqual({ requester: reason });
    expect(decision.reasons).toContain(`requester side not changed: ${reason}`);
  });
});

describe("guards and conflicts apply to what is routed", () => {
  // The requester already sends 10.0.128.0/20 elsewhere: a conflict for the whole VPC, not for one subnet.
  const busy = { requesterTables: [requesterMain(route("10.0.128.0/20", "tgw-0elsewhere"))] };

  it("a route in the way of the whole VPC rejects the request", () => {
    expect(decideWith({}, busy).action).toBe("reject");
  });

  it("the same route does not stop a request routed only to a subnet beside it", () => {
    const decision = decideWith({ accepter: { subnets: { tags: { Tier: "shared" } } } }, busy);
    expect(decision.action).toBe("accept");
    expect(routed(decision).filter((r) => r.startsWith("requester"))).toEqual([
      "requester 10.0.1.0/24 create",
      "requester fd00:a:0:1::/64 create",
    ]);
  });

  it("a route in the way of a routed subnet rejects it", () => {
    const inTheWay = { requesterTables: [requesterMain(route("10.0.1.128/25", "tgw-0elsewhere"))] };
    const decision = decideWith({ accepter: { subnets: { tags: { Tier: "shared" } } } }, inTheWay);
    expect(decision.action).toBe("reject");
    expect(decision.findings).toEqual(["rejected", "route-conflict"]);
  });
});

describe("reachedDestinations", () => {
  const peer = { side: "accepter" as const, cidrs: ["10.0.0.0/16"] };
  it.each(
    named([
      { name: "vpc: every CIDR", reach: "vpc" as const, input: peer, destinations: ["10.0.0.0/16"] },
      {
        name: "blocks: the same block twice is routed once",
        reach: { cidrs: ["10.0.1.0/24", "10.0.1.0/24"] },
        input: peer,
        destinations: ["10.0.1.0/24"],
      },
      {
        name: "subnets: a block two tagged subnets share is routed once",
        reach: { subnets: { tags: { Tier: "shared" } } },
        input: {
          ...peer,
          subnets: { readable: true as const, subnets: [SHARED, { ...SHARED, id: "subnet-0twin" }] },
        },
        destinations: ["10.0.1.0/24"],
      },
    ]),
  )("%s", (_, { reach, input, destinations }) => {
    const reached = reachedDestinations(reach, input);
    expect(reached.kind === "reached" && reached.destinations).toEqual(destinations);
  });
});
