import { afterEach, beforeEach, expect } from "vitest";
import { installModel, World } from "../../model";
import { ACCEPTER, PARTNER, REQUESTER } from "../handlers/harness";
import { sharedServices } from "../handlers/worlds";

const ENV_KEYS = [
  "POLICY_PATH",
  "ASSUME_ROLE_EXTERNAL_ID",
  "VISIBLE_WAIT_SECONDS",
  "WAIT_MIN_DELAY_SECONDS",
  "SWEEP_REGIONS",
];

/**
 * A fresh in-memory EC2/STS per test, with the shared-services VPCs; `home` is whose credentials the
 * CLI holds. The environment the CLI reads is cleared around each test.
 */
export function useLiveWorld(home: string, setup: (world: World) => void = () => {}) {
  let world: World | undefined;
  let ids: ReturnType<typeof sharedServices> | undefined;
  let restore = () => {};
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const key of ENV_KEYS) {
      saved[key] = process.env[key];
      delete process.env[key];
    }
    // Waiter polls are real sleeps; keep them short.
    process.env.WAIT_MIN_DELAY_SECONDS = "0.01";
    world = new World({ homeAccount: home });
    world.addAccount(ACCEPTER).addAccount(REQUESTER).addAccount(PARTNER);
    setup(world);
    ids = sharedServices(world);
    restore = installModel(world).restore;
  });
  afterEach(() => {
    restore();
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });
  return {
    world: () => world ?? expect.fail("only inside a test"),
    ids: () => ids ?? expect.fail("only inside a test"),
  };
}

/** The shipped policy's rules, with a person's approval required for the payments rule. */
export const APPROVAL_POLICY = `
version: 1
unmatched: reject
rules:
  - name: payments-to-shared
    approval: required
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"], vpcs: ["vpc-0f9e8d7c6b5a40001"] }
    requester:
      accounts: ["${REQUESTER}"]
      regions: ["us-east-1", "eu-west-1"]
      cidrs: ["10.16.0.0/12", "fd00:16::/32"]
  - name: partner-analytics
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${PARTNER}"], cidrs: ["172.20.0.0/16"] }
    routes: { accepter: { tags: { peering: partners } }, requester: none }
`;

/** Makes the connection expire `ms` from now, as EC2's ExpirationTime would say. */
export function expireIn(world: World, connectionId: string, ms: number): void {
  world.peering(connectionId).expirationTime = new Date(Date.now() + ms);
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** The only calls a read-only command may make. */
export const READ_ONLY_CALLS = new Set([
  "GetCallerIdentity",
  "AssumeRole",
  "DescribeVpcPeeringConnections",
  "DescribeVpcs",
  "DescribeRouteTables",
  "DescribeSubnets",
  "DescribeSecurityGroups",
  "DescribeSecurityGroupRules",
]);

/** A read-only command made no mutating call, and no call outside the read-only set. */
export function expectOnlyReads(world: World): void {
  expect(world.mutatingCalls()).toEqual([]);
  expect(world.calls.filter((c) => !READ_ONLY_CALLS.has(c.operation))).toEqual([]);
}
