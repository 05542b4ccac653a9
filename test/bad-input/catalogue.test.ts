import { describe, expect, it } from "vitest";
import {
  EVENT_CASES,
  EVENT_GROUPS,
  type EventCase,
  FUZZ_PROPERTIES,
  FUZZ_SAMPLES,
  POLICY_CASES,
  RECONCILE_CASES,
} from "./catalogue";
import { CLOUDTRAIL_FUNCTIONS } from "./fresh-service";
import { propertyOptions } from "./mutations";

const count = <T>(list: readonly T[], key: (item: T) => string) =>
  list.reduce<Record<string, number>>((acc, item) => {
    acc[key(item)] = (acc[key(item)] ?? 0) + 1;
    return acc;
  }, {});

/**
 * The sizes of the catalogue, pinned: a case added or dropped shows up here, and events.test.ts and
 * policies.test.ts check (in their afterAll) that each catalogued case became a test that ran to the
 * end. Together: what is reported is what is tested, with no silent skip.
 */
describe("the catalogue of bad inputs", () => {
  it("has the sizes that are reported", () => {
    const totals = {
      handWrittenEvents: EVENT_CASES.length,
      reconcilerEvents: RECONCILE_CASES.length,
      policies: POLICY_CASES.length,
      fuzzSamples: FUZZ_SAMPLES.length,
      fuzzProperties: FUZZ_PROPERTIES.length,
    };
    expect(totals).toEqual({
      handWrittenEvents: 452,
      reconcilerEvents: 13,
      policies: 77,
      fuzzSamples: 17,
      fuzzProperties: 4,
    });
    expect(count(EVENT_CASES, (c) => c.group)).toEqual({
      envelope: 117,
      detail: 77,
      "failed-call": 24,
      "unknown-event-name": 27,
      "other-source": 18,
      "wrong-function": 6,
      "huge-payload": 25,
      "malformed-id": 134,
      "outside-policy": 6,
      "lying-payload": 13,
      "unexpected-account": 5,
    });
    expect(count(EVENT_CASES, (c) => c.fn)).toEqual({
      "on-peering-request": 171,
      "on-peering-change": 136,
      "on-vpc-cidr-change": 145,
    });
    expect(count(POLICY_CASES, (c) => c.group)).toEqual({ validation: 49, yaml: 26, file: 2 });
    if (process.env.PROPERTY_TALLY) {
      console.log(
        JSON.stringify({
          ...totals,
          fuzzRunsPerProperty: propertyOptions().numRuns,
          seed: propertyOptions().seed,
        }),
      );
    }
  });

  it("names every case once", () => {
    for (const list of [EVENT_CASES, POLICY_CASES, RECONCILE_CASES]) {
      const names = list.map((c) => c.name);
      expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
    }
    expect(new Set(FUZZ_SAMPLES).size).toBe(FUZZ_SAMPLES.length);
  });

  const has = (pick: (c: EventCase) => boolean) => EVENT_CASES.some(pick);

  it("covers every group of bad event for every CloudTrail function", () => {
    for (const group of EVENT_GROUPS)
      expect(
        has((c) => c.group === group),
        group,
      ).toBe(true);
    const everyFunction = EVENT_GROUPS.filter((g) => g !== "wrong-function" && g !== "lying-payload");
    for (const fn of CLOUDTRAIL_FUNCTIONS) {
      for (const group of everyFunction) {
        expect(
          has((c) => c.fn === fn && c.group === group),
          `${fn} ${group}`,
        ).toBe(true);
      }
    }
  });

  it("covers each envelope and detail field, missing and of the wrong type, for every function", () => {
    const envelope = ["id", "source", "account", "region", "time", "detail-type", "detail"];
    const detail = ["eventName", "eventSource", "awsRegion", "requestParameters", "responseElements"];
    for (const fn of CLOUDTRAIL_FUNCTIONS) {
      for (const field of envelope) {
        expect(
          has((c) => c.fn === fn && c.name === `${fn}: envelope ${field} missing`),
          `${fn} ${field}`,
        ).toBe(true);
        expect(
          has((c) => c.fn === fn && c.name === `${fn}: envelope ${field} 42`) ||
            has((c) => c.fn === fn && c.name.startsWith(`${fn}: envelope ${field} 1`)),
          `${fn} ${field} wrong type`,
        ).toBe(true);
      }
      for (const field of detail) {
        expect(
          has((c) => c.name === `${fn}: detail.${field} missing`),
          `${fn} detail.${field} missing`,
        ).toBe(true);
        expect(
          has((c) => c.name === `${fn}: detail.${field} 42`),
          `${fn} detail.${field} wrong type`,
        ).toBe(true);
      }
    }
  });

  it("covers a failed call of each of the six calls, for every function", () => {
    const calls = [
      "CreateVpcPeeringConnection",
      "AcceptVpcPeeringConnection",
      "RejectVpcPeeringConnection",
      "DeleteVpcPeeringConnection",
      "AssociateVpcCidrBlock",
      "DisassociateVpcCidrBlock",
    ];
    for (const fn of CLOUDTRAIL_FUNCTIONS) {
      for (const call of calls) {
        expect(
          has((c) => c.group === "failed-call" && c.fn === fn && c.name.includes(`failed ${call} `)),
          `${fn} ${call}`,
        ).toBe(true);
      }
    }
  });

  it("covers lying payloads of Accept, Reject, Delete, Associate, Disassociate and Create events", () => {
    for (const base of ["accept", "reject", "delete", "associate", "disassociate", "create"] as const) {
      expect(
        has((c) => c.group === "lying-payload" && c.base === base),
        base,
      ).toBe(true);
    }
  });

  it("covers every policy validation rule and YAML edge case the brief names", () => {
    const names = POLICY_CASES.map((c) => c.name).join("\n");
    for (const topic of [
      /unknown top-level key/,
      /unknown key in a rule/,
      /bad CIDR/,
      /host bits/,
      /account id/,
      /region/,
      /bad VPC id/,
      /duplicate rule name/,
      /missing version/,
      /missing rules/,
      /missing requester\.cidrs/,
      /empty requester\.cidrs/,
      /version 2/,
      /unmatched/,
      /routes selector/,
      /dnsResolution/,
      /anchor/,
      /alias bomb/,
      /merge key/,
      /duplicate .*key/,
      /is a string|is a mapping|as a scalar/,
      /tab/,
      /two documents/,
      /an empty file/,
      /binary file/,
      /missing file/,
      /directory/,
    ]) {
      expect(names, String(topic)).toMatch(topic);
    }
  });
});
