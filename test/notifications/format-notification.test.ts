import { describe, expect, it } from "vitest";
import { APPROVAL_TAG } from "../../shared/decision/approval-tag";
import type { Decision } from "../../shared/decision/decision";
import { NotifiedDecisionSchema } from "../../shared/notifications/decision-event";
import { formatNotification, type Notification } from "../../shared/notifications/format-notification";
import { CONNECTION_ID, route } from "../helpers/facts";
import { BoundedNotificationSchema } from "./custom-notification-schema";
import { carriedOut, decision, KINDS, type Kind, NOW, notified, notifiedRecord, PERSON } from "./decisions";

const format = (kind: Kind, now = NOW): Notification =>
  formatNotification(notified(kind), { now, eventId: "6a7e8feb-b491-4cf7-a9f1-bf3703467718" });

const SUBJECT_PREFIX = `Peering ${CONNECTION_ID} from`;

const APPROVE = `npm run peering -- approve ${CONNECTION_ID} --account 111111111111 --region us-east-1`;
const DENY = `npm run peering -- deny ${CONNECTION_ID} --account 111111111111 --region us-east-1`;
const TAG = (answer: string) =>
  `aws ec2 create-tags --resources ${CONNECTION_ID} --tags Key=${APPROVAL_TAG},Value=${answer} --region us-east-1`;

/** What each kind of decision must say: its findings, its subject, and lines its email must hold. */
const EXPECTED: Record<Kind, { findings: string[]; subject: string; text: string[]; answers: boolean }> = {
  rejected: {
    findings: ["rejected"],
    subject: `${SUBJECT_PREFIX} 222222222222 us-east-1: rejected`,
    text: [
      "The request was rejected (see the reasons).",
      "  - rule 'shared': requester CIDR 172.31.0.0/16 is not inside 10.16.0.0/12",
    ],
    answers: false,
  },
  "route-conflict": {
    findings: ["rejected", "route-conflict"],
    subject: `${SUBJECT_PREFIX} 222222222222 us-east-1: rejected, route conflict`,
    text: [
      "Conflicting routes",
      "  accepter 111111111111 us-east-1 rtb-0accept0000000main 10.20.0.0/16 (in the way: 10.20.0.0/16 -> tgw-0a1b2c3d4e5f60001)",
      "Planned routes (not created)",
      "  requester 222222222222 us-east-1 rtb-0request000000main 10.0.0.0/16",
    ],
    answers: false,
  },
  "outside-policy": {
    findings: ["outside-policy"],
    subject: `${SUBJECT_PREFIX} 999999999999 us-east-1: outside policy`,
    text: ["The connection is active, but no rule of the policy governs it: nothing is routed for it."],
    answers: false,
  },
  "awaiting-approval": {
    findings: ["awaiting-approval"],
    subject: `${SUBJECT_PREFIX} 666666666666 eu-west-1: awaiting approval`,
    text: [
      "Rule         payments",
      "Expires      2026-12-07T09:00:00.000Z (5 d 21 h left)",
      "Planned routes (created when approved)",
      "  accepter 111111111111 us-east-1 rtb-0accept0000000main 10.66.0.0/16",
      "  accepter 111111111111 us-east-1 rtb-0accept000partners 10.66.0.0/16",
      "  requester 666666666666 eu-west-1 rtb-0request000000main 10.0.0.0/16",
    ],
    answers: true,
  },
  approved: {
    findings: ["approved"],
    subject: `${SUBJECT_PREFIX} 666666666666 eu-west-1: approved`,
    text: [
      `${PERSON} approved the request, so it was accepted and routed.`,
      `Approved by  ${PERSON}`,
      "Created routes",
      "  requester 666666666666 eu-west-1 rtb-0request000000main 10.0.0.0/16",
    ],
    answers: false,
  },
  denied: {
    findings: ["rejected", "denied"],
    subject: `${SUBJECT_PREFIX} 666666666666 eu-west-1: denied`,
    text: [`${PERSON} denied the request, so it was rejected.`, `Denied by    ${PERSON}`],
    answers: false,
  },
  "expiring-soon": {
    findings: ["expiring-soon"],
    subject: `${SUBJECT_PREFIX} 666666666666 eu-west-1: expiring soon (5 h 20 min left)`,
    text: [
      "The request is still pending and expires at 2026-12-01T17:20:00.000Z (5 h 20 min left). Unanswered, EC2 expires it and it must be requested again.",
      "Expires      2026-12-01T17:20:00.000Z (5 h 20 min left)",
    ],
    answers: true,
  },
  expired: {
    findings: ["expired"],
    subject: `${SUBJECT_PREFIX} 666666666666 eu-west-1: expired unanswered`,
    text: [
      "The request expired while it was waiting for a person: it can no longer be accepted. If the peering is still wanted, the requester must request it again.",
      "Removed routes",
      "  requester 666666666666 eu-west-1 rtb-0request000000main 10.0.0.0/16",
    ],
    answers: false,
  },
  "cidr-not-allowed": {
    findings: ["cidr-not-allowed"],
    subject: `${SUBJECT_PREFIX} 222222222222 us-east-1: CIDR not allowed`,
    text: [
      "Requester    account 222222222222, region us-east-1, VPC vpc-0a1b2c3d4e5f60001, CIDRs 10.20.0.0/16, 10.99.0.0/16",
      "  - requester CIDR 10.99.0.0/16 is not inside 10.16.0.0/12: not routed",
    ],
    answers: false,
  },
  "approval-not-understood": {
    findings: ["approval-not-understood"],
    subject: `${SUBJECT_PREFIX} 666666666666 eu-west-1: approval not understood`,
    text: [
      "The peering-approval tag on the connection says neither approve nor deny, so nothing changed: the request still waits for an answer.",
      "  - peering-approval is 'yes please', which is neither approve nor deny: nothing changes",
    ],
    answers: true,
  },
  "approval-not-applicable": {
    findings: ["approval-not-applicable"],
    subject: `${SUBJECT_PREFIX} 222222222222 us-east-1: approval not applicable`,
    text: [
      "A peering-approval tag was set on the connection, but it changes nothing (see the reasons).",
      "  - the peering-approval tag changes nothing: rule 'shared' approves the request without asking a person",
    ],
    answers: false,
  },
  "report-accept": {
    findings: ["report-only"],
    subject: `${SUBJECT_PREFIX} 222222222222 us-east-1: report mode, would accept`,
    text: [
      `Would accept ${CONNECTION_ID}, create 3 routes and enable remote DNS resolution on the accepter and requester sides (report mode: nothing was changed). Nothing is carried out until the rule or the policy is switched to mode: enforce.`,
      "Mode         report: nothing in AWS was changed",
      "Would create routes (report mode: not created)",
      "  accepter 111111111111 us-east-1 rtb-0accept0000000main 10.20.0.0/16",
      "  accepter 111111111111 us-east-1 rtb-0accept000partners 10.20.0.0/16",
      "  requester 222222222222 us-east-1 rtb-0request000000main 10.0.0.0/16",
      "Would enable remote DNS resolution (report mode: not enabled)",
      "  accepter 111111111111 us-east-1",
      "  requester 222222222222 us-east-1",
    ],
    answers: false,
  },
  "report-rejected": {
    findings: ["rejected", "report-only"],
    subject: `${SUBJECT_PREFIX} 222222222222 us-east-1: report mode, would reject`,
    text: [
      `Would reject ${CONNECTION_ID} (report mode: nothing was changed). See the reasons. Nothing is carried out until the rule or the policy is switched to mode: enforce.`,
      "  - rule 'shared': requester CIDR 172.31.0.0/16 is not inside 10.16.0.0/12",
    ],
    answers: false,
  },
  "report-route-conflict": {
    findings: ["rejected", "route-conflict", "report-only"],
    subject: `${SUBJECT_PREFIX} 222222222222 us-east-1: report mode, would reject (conflict)`,
    text: [
      `Would reject ${CONNECTION_ID} (report mode: nothing was changed). A route already in a selected route table is in the way of a route the connection needs (see the conflicting routes). Nothing is carried out until the rule or the policy is switched to mode: enforce.`,
      "Conflicting routes",
      "  accepter 111111111111 us-east-1 rtb-0accept0000000main 10.20.0.0/16 (in the way: 10.20.0.0/16 -> tgw-0a1b2c3d4e5f60001)",
    ],
    answers: false,
  },
  "report-awaiting-approval": {
    findings: ["awaiting-approval"],
    subject: `${SUBJECT_PREFIX} 666666666666 eu-west-1: awaiting approval (report mode)`,
    text: [
      "Rule 'payments' approves this request and asks a person to approve or deny it. In report mode an answer is decided and reported too, but not carried out. Report mode: nothing in AWS was changed.",
      "Planned routes (report mode: approval creates none)",
      "  In report mode an answer is decided and reported like any other, but not carried out: nothing is accepted or rejected.",
    ],
    answers: true,
  },
  "report-approved": {
    findings: ["approved", "report-only"],
    subject: `${SUBJECT_PREFIX} 666666666666 eu-west-1: report mode, would accept (approved)`,
    text: [
      `Would accept ${CONNECTION_ID} and create 3 routes (report mode: nothing was changed). ${PERSON} approved the request. Nothing is carried out until the rule or the policy is switched to mode: enforce.`,
      `Approved by  ${PERSON}`,
      "Would create routes (report mode: not created)",
      "  requester 666666666666 eu-west-1 rtb-0request000000main 10.0.0.0/16",
    ],
    answers: false,
  },
  "report-denied": {
    findings: ["rejected", "denied", "report-only"],
    subject: `${SUBJECT_PREFIX} 666666666666 eu-west-1: report mode, would reject (denied)`,
    text: [
      `Would reject ${CONNECTION_ID} (report mode: nothing was changed). ${PERSON} denied the request. Nothing is carried out until the rule or the policy is switched to mode: enforce.`,
      `Denied by    ${PERSON}`,
    ],
    answers: false,
  },
  "report-maintain": {
    findings: ["report-only"],
    subject: `${SUBJECT_PREFIX} 222222222222 us-east-1: report mode, would change routes and DNS`,
    text: [
      `Would create 1 route, remove 1 route and enable remote DNS resolution on the requester side for ${CONNECTION_ID} (report mode: nothing was changed). Nothing is carried out until the rule or the policy is switched to mode: enforce.`,
      "Would create routes (report mode: not created)",
      "  accepter 111111111111 us-east-1 rtb-0accept0000000main 10.20.0.0/16",
      "Would remove routes (report mode: not removed)",
      "  accepter 111111111111 us-east-1 rtb-0accept0000000main 10.21.0.0/16",
      "Would enable remote DNS resolution (report mode: not enabled)",
      "  requester 222222222222 us-east-1",
    ],
    answers: false,
  },
  "report-cleanup": {
    findings: ["report-only"],
    subject: `${SUBJECT_PREFIX} 222222222222 us-east-1: report mode, would remove routes`,
    text: [
      `Would remove 1 route for ${CONNECTION_ID} (report mode: nothing was changed). Nothing is carried out until the rule or the policy is switched to mode: enforce.`,
      "Would remove routes (report mode: not removed)",
      "  requester 222222222222 us-east-1 rtb-0request000000main 10.0.0.0/16",
    ],
    answers: false,
  },
};

const lines = (text: string) => text.split("\n");

describe("a notification for each kind of decision", () => {
  it.each(KINDS)("%s: the decision the core makes has the findings the notification is about", (kind) => {
    expect(notified(kind).findings).toEqual(EXPECTED[kind].findings);
  });

  it.each(KINDS)("%s: the subject says which connection, from where, and what happened", (kind) => {
    expect(format(kind).subject).toBe(EXPECTED[kind].subject);
  });

  it.each(KINDS)("%s: the email names both sides, the rule, the reasons and the routes", (kind) => {
    const { text, subject } = format(kind);
    const record = notified(kind);
    expect(lines(text)[0]).toBe(subject);
    expect(lines(text)).toEqual(expect.arrayContaining(EXPECTED[kind].text));
    expect(text).toContain(
      `Connection   ${CONNECTION_ID} (status ${record.status}, decision ${record.action})`,
    );
    expect(text).toContain(`account ${record.accepter.account}, region ${record.accepter.region}`);
    for (const reason of record.reasons) expect(lines(text)).toContain(`  - ${reason}`);
    expect(lines(text)).toContain(
      `  npm run peering -- explain ${CONNECTION_ID} --account 111111111111 --region us-east-1`,
    );
  });

  it.each(KINDS)("%s: the chat body is a valid custom notification, threaded by connection", (kind) => {
    const { chat, subject } = format(kind);
    expect(BoundedNotificationSchema.parse(chat)).toEqual(chat);
    expect(chat.id).toBe("6a7e8feb-b491-4cf7-a9f1-bf3703467718");
    expect(chat.metadata?.threadId).toBe(CONNECTION_ID);
    expect(chat.metadata?.summary).toBe(subject);
    expect(chat.content.title).toContain(subject);
    expect(chat.metadata?.additionalContext).toMatchObject({
      connectionId: CONNECTION_ID,
      accepterAccount: "111111111111",
      accepterRegion: "us-east-1",
      findings: EXPECTED[kind].findings.join(","),
    });
  });

  it.each(KINDS)("%s: says how to answer exactly when the request waits for a person", (kind) => {
    const { text, chat } = format(kind);
    const answering = [APPROVE, DENY, TAG("approve"), TAG("deny")];
    if (EXPECTED[kind].answers) {
      for (const command of answering) expect(lines(text).some((line) => line.endsWith(command))).toBe(true);
      expect(chat.content.nextSteps).toEqual(
        expect.arrayContaining([`Approve: \`${APPROVE}\``, expect.stringContaining(`\`${DENY}\``)]),
      );
    } else {
      for (const command of answering) expect(text).not.toContain(command);
      expect(text).not.toContain("To answer");
      expect(chat.content.nextSteps).toHaveLength(1);
    }
  });
});

const REPORT_KINDS = KINDS.filter((kind) => notified(kind).mode === "report");
// What only a decision carried out can say: none of it may appear in a message about one in report mode.
const AS_IF_DONE = [
  /so it was (accepted|rejected)/,
  /The request was rejected/,
  /^Created routes/m,
  /^Removed routes/m,
  /\*(Created|Removed) routes:\*/,
  /created when approved/,
];

describe("a decision in report mode", () => {
  it("is among the kinds told, for accepts, rejects, answers, routes, DNS and dead connections", () => {
    expect(REPORT_KINDS.map((kind) => notified(kind).action).sort()).toEqual(
      ["accept", "accept", "await-approval", "cleanup", "maintain", "reject", "reject", "reject"].sort(),
    );
    const would = REPORT_KINDS.map((kind) => notified(kind).wouldChange);
    expect(would.some((w) => (w?.createRoutes.length ?? 0) > 0)).toBe(true);
    expect(would.some((w) => (w?.removeRoutes.length ?? 0) > 0)).toBe(true);
    expect(would.some((w) => (w?.enableDns.length ?? 0) > 0)).toBe(true);
  });

  it.each(REPORT_KINDS)("%s: subject, email and chat say report mode and that nothing changed", (kind) => {
    const { subject, text, chat } = format(kind);
    expect(subject).toContain("report mode");
    expect(lines(text)).toContain("Mode         report: nothing in AWS was changed");
    expect(text).toMatch(/nothing (in AWS )?was changed/);
    expect(chat.content.title).toContain("report mode");
    expect(chat.content.description).toContain("*Mode:* report: nothing in AWS was changed");
    expect(chat.content.keywords).toContain("report-mode");
    expect(chat.metadata?.additionalContext).toMatchObject({ mode: "report" });
  });

  it.each(REPORT_KINDS)("%s: no body is phrased as if the decision had been carried out", (kind) => {
    const { subject, text, chat } = format(kind);
    for (const body of [subject, text, chat.content.description, ...(chat.content.nextSteps ?? [])]) {
      for (const done of AS_IF_DONE) expect(body).not.toMatch(done);
    }
  });

  it("would catch an enforced decision's words: each phrase checked is one a carried-out message uses", () => {
    const enforced = (["approved", "denied", "rejected", "expired", "awaiting-approval"] as const).map(
      (kind) => format(kind),
    );
    for (const done of AS_IF_DONE) {
      expect(enforced.some(({ text, chat }) => done.test(text) || done.test(chat.content.description))).toBe(
        true,
      );
    }
  });

  it("says what an answer does in report mode, next to the commands that give it", () => {
    const { chat } = format("report-awaiting-approval");
    expect(chat.content.nextSteps).toContain(
      "In report mode an answer is decided and reported like any other, but not carried out: nothing is accepted or rejected.",
    );
    expect(BoundedNotificationSchema.parse(chat).content.nextSteps).toHaveLength(5);
  });

  it("leads with what would change, the finding that caused it second", () => {
    expect(format("report-route-conflict").chat.metadata?.eventType).toBe("peering-report-only");
    expect(format("report-route-conflict").chat.content.title).toMatch(/^:memo: /);
    expect(format("report-awaiting-approval").chat.metadata?.eventType).toBe("peering-awaiting-approval");
  });

  it("is told as enforced when a record written before report mode carries no mode", () => {
    const { mode: _mode, wouldChange: _would, ...older } = notified("rejected");
    const told = formatNotification(NotifiedDecisionSchema.parse(older), { now: NOW });
    expect(told.subject).toBe(`${SUBJECT_PREFIX} 222222222222 us-east-1: rejected`);
    expect(told.text).not.toContain("report mode");
  });
});

describe("a decision in enforce mode", () => {
  it.each(KINDS.filter((kind) => !REPORT_KINDS.includes(kind)))("%s: says nothing of report mode", (kind) => {
    const { subject, text, chat } = format(kind);
    for (const body of [subject, text, JSON.stringify(chat)]) expect(body).not.toMatch(/report/i);
  });
});

describe("a record marked notify that carries no finding", () => {
  it("still says what was decided, in a subject SNS accepts and a valid chat body", () => {
    const plain = decision("approval-not-applicable");
    const record = notifiedRecord({ ...plain, findings: [] });
    const { subject, chat } = formatNotification(record, { now: NOW });
    expect(subject).toBe(`${SUBJECT_PREFIX} 222222222222 us-east-1: decided (accept)`);
    expect(chat.metadata?.eventType).toBe("peering-decided");
    expect(chat.metadata?.additionalContext).not.toHaveProperty("findings");
    expect(BoundedNotificationSchema.safeParse(chat).success).toBe(true);
  });
});

describe("time left before a request expires", () => {
  it("is counted from the time the notification is written", () => {
    const later = new Date(NOW.getTime() + 4 * 3_600_000);
    expect(format("expiring-soon", later).subject).toMatch(/expiring soon \(1 h 20 min left\)$/);
    expect(format("expiring-soon", later).text).toContain("(1 h 20 min left)");
  });

  it("says expired once the time has passed, and nothing for a connection no longer pending", () => {
    expect(format("expiring-soon", new Date("2026-12-02T00:00:00Z")).subject).toMatch(
      /expiring soon \(expired\)$/,
    );
    expect(format("expired").text).not.toContain("left)");
  });
});

describe("what went wrong while carrying a decision out", () => {
  const approved = decision("approved");
  const [first, ...rest] = approved.plan;
  if (!first) throw new Error("the approved request plans routes");
  const outcome = {
    ...carriedOut(approved),
    routes: [
      { route: first, result: "failed" as const, error: "RouteLimitExceeded: the table is full" },
      ...rest.map((planned) => ({ route: planned, result: "created" as const })),
    ],
  };
  const unmanaged: Decision = {
    ...approved,
    unmanaged: { requester: "cannot assume the role in 666666666666" },
  };
  const record = notifiedRecord(unmanaged, outcome);
  const withError = notifiedRecord(
    unmanaged,
    outcome,
    Object.assign(new Error("CreateRoute failed"), { name: "AwsCallError" }),
  );

  it("lists the failed route with its error, and the side that is not managed", () => {
    const { text, chat } = formatNotification(record, { now: NOW });
    expect(lines(text)).toEqual(
      expect.arrayContaining([
        "Failed routes",
        "  accepter 111111111111 us-east-1 rtb-0accept0000000main 10.66.0.0/16 (RouteLimitExceeded: the table is full)",
        "Not managed",
        "  requester: cannot assume the role in 666666666666",
      ]),
    );
    expect(chat.content.description).toContain("*Failed routes:*");
    expect(chat.content.description).toContain("*Not managed:*");
  });

  it("says that carrying it out stopped part way and is tried again", () => {
    const { text, chat } = formatNotification(withError, { now: NOW });
    expect(text).toContain(
      "Carrying the decision out stopped part way (AwsCallError: CreateRoute failed); the service tries again.",
    );
    expect(chat.content.description).toContain("*Problem:* CreateRoute failed; the service tries again.");
    expect(formatNotification(record, { now: NOW }).text).not.toContain("Problem");
  });
});

describe("a decision that carrying out did not get as far as doing", () => {
  it.each([
    {
      kind: "approved" as const,
      says: `The service decided to accept the request (approved by ${PERSON}), but has not accepted it yet (see the problem): it tries again.`,
    },
    {
      kind: "denied" as const,
      says: `The service decided to reject the request (denied by ${PERSON}), but has not rejected it yet (see the problem): it tries again.`,
    },
    {
      kind: "rejected" as const,
      says: "The service decided to reject the request, but has not rejected it yet (see the problem): it tries again.",
    },
  ])("$kind: says it is not done yet, rather than done", ({ kind, says }) => {
    const made = decision(kind);
    const stopped = { ...carriedOut(made), connection: "unchanged" as const, routes: [], tagged: false };
    const record = notifiedRecord(
      made,
      stopped,
      new Error("AcceptVpcPeeringConnection failed: InternalError"),
    );
    const { text } = formatNotification(record, { now: NOW });
    expect(lines(text)).toContain(says);
    expect(text).toContain("Problem");
    expect(formatNotification(notified(kind), { now: NOW }).text).not.toContain("has not");
  });
});

describe("text that came from outside the service", () => {
  // A person's tag value reaches the reasons: it must not add lines, links or mentions to a message.
  const hostile = decision("approval-not-understood");
  const record = notifiedRecord({
    ...hostile,
    reasons: hostile.reasons.map((reason) =>
      reason.replace("'yes please'", "'<!channel> ok\nSubject: approved <https://evil.example|click>'"),
    ),
  });
  const { text, chat, subject } = formatNotification(record, { now: NOW });

  it("stays on one line in the email", () => {
    expect(lines(text)).toContain(
      "  - peering-approval is '<!channel> ok Subject: approved <https://evil.example|click>', which is neither approve nor deny: nothing changes",
    );
    expect(lines(text).filter((line) => line.startsWith("Subject:"))).toEqual([]);
  });

  it("can become neither a link nor a mention in chat", () => {
    expect(JSON.stringify(chat)).not.toMatch(/[<>]/);
    expect(chat.content.description).toContain(
      "‹!channel› ok Subject: approved ‹https://evil.example|click›",
    );
    expect(BoundedNotificationSchema.safeParse(chat).success).toBe(true);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe("a decision with a great many routes", () => {
  const many = decision("awaiting-approval");
  const tables = Array.from({ length: 120 }, (_, i) => ({
    side: "accepter" as const,
    account: "111111111111",
    region: "us-east-1",
    routeTableId: `rtb-0${String(i).padStart(16, "0")}`,
    destination: "10.66.0.0/16",
    status: "create" as const,
  }));
  const record = notifiedRecord({ ...many, plan: tables });
  const { text, chat } = formatNotification(record, { now: NOW });

  it("lists the first fifty routes in the email and says how many more there are", () => {
    const listed = lines(text).filter((line) => line.startsWith("  accepter 111111111111 us-east-1 rtb-0"));
    expect(listed).toHaveLength(50);
    expect(lines(text)).toContain("  and 70 more");
  });

  it("keeps the chat description within its bounds, with the commands to answer still there", () => {
    expect(BoundedNotificationSchema.safeParse(chat).success).toBe(true);
    expect(chat.content.description).toContain("- and 110 more");
    expect(chat.content.nextSteps?.[0]).toBe(`Approve: \`${APPROVE}\``);
  });

  it("cuts a description that would still be too long at a whole line, and says so", () => {
    const reasons = Array.from({ length: 10 }, (_, i) => `reason ${i}: ${"x".repeat(400)}`);
    const long = formatNotification(notifiedRecord({ ...many, reasons }), { now: NOW }).chat;
    expect(long.content.description.length).toBeLessThanOrEqual(3_000);
    expect(
      long.content.description.endsWith("_(cut short: the email and the decision record have all of it)_"),
    ).toBe(true);
    const reasonLines = long.content.description.split("\n").filter((line) => line.startsWith("- reason"));
    expect(reasonLines.length).toBeGreaterThan(0);
    for (const line of reasonLines) expect(line).toMatch(/^- reason \d: x{400}$/);
  });
});

describe("a conflicting route in an active connection", () => {
  it("says the connection stays, and which route is in the way", () => {
    const made = decision("cidr-not-allowed");
    const conflicted = notifiedRecord(
      { ...made, findings: ["route-conflict"] },
      {
        ...carriedOut(made),
        routes: made.plan.map((planned) => ({
          route: { ...planned, conflictsWith: route(planned.destination, "tgw-0a1b2c3d4e5f60001") },
          result: "conflicting" as const,
        })),
      },
    );
    const { subject, text } = formatNotification(conflicted, { now: NOW });
    expect(subject).toBe(`${SUBJECT_PREFIX} 222222222222 us-east-1: route conflict`);
    expect(text).toContain(
      "The connection is active, but a route already in a selected route table is in the way",
    );
    expect(lines(text)).toContain(
      "  accepter 111111111111 us-east-1 rtb-0accept0000000main 10.20.0.0/16 (in the way: 10.20.0.0/16 -> tgw-0a1b2c3d4e5f60001)",
    );
  });
});
