import type { World } from "../../model";
import { ACCEPTER, PARTNER, REQUESTER } from "./harness";

/** The body the pending pass's schedule sends (with the tick's time, as deduplication needs). */
export const PENDING_TICK = { pass: "pending", time: "2026-11-27T10:01:00Z" };

/**
 * The shared-services accepter (us-east-1) swept alone: the requester account's apps need a person's
 * approval; a partner outside the organisation is accepted at once.
 */
export const APPROVAL_POLICY = `
version: 1
rules:
  - name: apps
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
    approval: required
  - name: partner
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${PARTNER}"], cidrs: ["172.20.0.0/16"] }
`;

/** A person's answer, tagged on the connection in the accepter account (no event reaches the service). */
export function answer(world: World, connectionId: string, value: string): void {
  const tags = world.peering(connectionId).tagsByAccount;
  tags[ACCEPTER] = { ...tags[ACCEPTER], "peering-approval": value };
}

/** The EC2 and STS calls the model received from `start` on, as `Operation account region` lines. */
export function awsCallsFrom(world: World, start: number): string[] {
  return world.calls
    .slice(start)
    .filter((c) => c.service !== "EventBridge")
    .map((c) => `${c.operation} ${c.account} ${c.region}`);
}

/** The decisions published on the bus from `start` on. */
export function decisionsFrom(world: World, start: number) {
  return world.published.slice(start).filter((e) => e.detailType === "Peering Decision");
}
