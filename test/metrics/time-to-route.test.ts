import { describe, expect, it } from "vitest";
import { secondsToRoute } from "../../shared/metrics/time-to-route";
import { named } from "../helpers/facts";
import { ACCEPTER_ROUTE, madeSecondsAgo, NOW, PARTNERS_ROUTE, REQUESTER_ROUTE, record } from "./records";

const failed = { ...REQUESTER_ROUTE, error: "RequestLimitExceeded: slow down" };
const conflict = { ...PARTNERS_ROUTE, conflictsWith: "10.20.4.0/24 -> tgw-0a" };

describe("time to route: measured by the decision that created the last missing route", () => {
  it.each(
    named([
      { name: "every planned route created", input: {}, seconds: 90 },
      {
        name: "some created, the others there already (a hand-made route)",
        input: { routes: { created: [REQUESTER_ROUTE], present: [ACCEPTER_ROUTE, PARTNERS_ROUTE] } },
        seconds: 90,
      },
      {
        name: "a connection maintained later, when its record shows the expiration time",
        input: {
          action: "maintain" as const,
          status: "active",
          connection: "unchanged" as const,
          expiresAt: madeSecondsAgo(3600),
          routes: { created: [REQUESTER_ROUTE], present: [ACCEPTER_ROUTE, PARTNERS_ROUTE] },
        },
        seconds: 3600,
      },
      {
        name: "carrying out stopped after the routes (tagging failed): the routes are there",
        input: { error: { name: "CarryOutError", message: "CreateTags failed" } },
        seconds: 90,
      },
      {
        name: "EC2's clock a little ahead of ours: never negative",
        input: { expiresAt: madeSecondsAgo(-2) },
        seconds: 0,
      },
    ]),
  )("%s", (_, { input, seconds }) => {
    expect(secondsToRoute(record(input), NOW)).toBeCloseTo(seconds, 6);
  });

  it.each(
    named([
      {
        name: "nothing created: a retry or a later pass finds every route present",
        input: { routes: { created: [], present: [ACCEPTER_ROUTE, PARTNERS_ROUTE, REQUESTER_ROUTE] } },
      },
      {
        name: "a request a person approved: its time is the person's, not the service's",
        input: {
          approval: {
            answer: "approve" as const,
            by: "arn:aws:sts::111111111111:assumed-role/approvers/alice",
          },
        },
      },
      {
        name: "a planned route failed: the retry that creates it measures",
        input: { routes: { created: [ACCEPTER_ROUTE, PARTNERS_ROUTE], failed: [failed] } },
      },
      {
        name: "a planned route not reached (carrying out stopped part way)",
        input: {
          routes: { created: [ACCEPTER_ROUTE] },
          error: { name: "CarryOutError", message: "stopped" },
        },
      },
      {
        name: "a conflicting route blocks one of the routes",
        input: {
          action: "maintain" as const,
          routes: { planned: [REQUESTER_ROUTE], created: [REQUESTER_ROUTE], conflicting: [conflict] },
        },
      },
      {
        name: "report mode: nothing is created",
        input: { mode: "report" as const, connection: "unchanged" as const, routes: { created: [] } },
      },
      {
        name: "report mode, whatever the record says of routes",
        input: { mode: "report" as const },
      },
      { name: "no expiration time (an active connection as EC2 shows it)", input: { expiresAt: undefined } },
      { name: "an expiration time that is no time", input: { expiresAt: "soon" } },
    ]),
  )("not measured: %s", (_, { input }) => {
    expect(secondsToRoute(record(input), NOW)).toBeUndefined();
  });
});
