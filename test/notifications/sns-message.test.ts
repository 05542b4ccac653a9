import { describe, expect, it } from "vitest";
import { NotifiedDecisionSchema } from "../../shared/notifications/decision-event";
import { formatNotification } from "../../shared/notifications/format-notification";
import { snsMessage } from "../../shared/notifications/sns-message";
import { BoundedNotificationSchema } from "./custom-notification-schema";
import { NOW, notified } from "./decisions";

// SNS takes messages of up to 256 KiB, all the protocols' bodies together.
const SNS_MESSAGE_BYTES = 262_144;

describe("one SNS message for every kind of subscriber", () => {
  const notification = formatNotification(notified("awaiting-approval"), { now: NOW });
  const { subject, message } = snsMessage(notification);
  const bodies = JSON.parse(message) as Record<string, string>;

  it("gives email (and any protocol not named) the text, and chat and programs the chat JSON", () => {
    expect(subject).toBe(notification.subject);
    expect(bodies.default).toBe(notification.text);
    expect(bodies.email).toBe(notification.text);
    for (const protocol of ["https", "http", "sqs", "lambda"]) {
      expect(JSON.parse(bodies[protocol] ?? "")).toEqual(notification.chat);
    }
    expect(bodies.sms).toBe(notification.subject);
  });

  it("fits in one message even for the largest record the event schema admits", () => {
    const base = notified("awaiting-approval");
    const [first] = base.routes.planned;
    if (!first) throw new Error("a request awaiting approval plans routes");
    // Three bytes a character, every string longer than the schema keeps it.
    const wide = "€".repeat(5_000);
    const routes = Array.from({ length: 5_000 }, () => ({
      ...first,
      conflictsWith: "€".repeat(200),
      error: wide,
    }));
    const largest = NotifiedDecisionSchema.parse({
      ...base,
      reasons: Array.from({ length: 500 }, () => wide),
      approval: { answer: "approve", by: wide },
      requester: { ...base.requester, cidrs: Array.from({ length: 100 }, () => "€".repeat(64)) },
      routes: {
        ...base.routes,
        planned: routes,
        created: routes,
        conflicting: routes,
        removed: routes,
        failed: routes,
      },
      mode: "report",
      wouldChange: {
        connection: "accept",
        createRoutes: routes,
        removeRoutes: routes,
        enableDns: [
          { side: "accepter", account: base.accepter.account, region: base.accepter.region },
          { side: "requester", account: base.requester.account, region: base.requester.region },
        ],
      },
      findings: [...base.findings, "report-only"],
      unmanaged: { accepter: wide, requester: wide },
      error: { name: wide, message: wide },
    });
    const told = formatNotification(largest, { now: NOW });

    expect(Buffer.byteLength(snsMessage(told).message)).toBeLessThan(SNS_MESSAGE_BYTES);
    expect(told.text).toContain("(cut short: the decision record, on the service's bus, has all of it)");
    expect(told.text).toContain("npm run peering -- approve pcx-0123456789abcdef0 --account 111111111111");
    expect(told.text).toContain("To see why");
    expect(told.subject).toContain("report mode");
    expect(BoundedNotificationSchema.safeParse(told.chat).success).toBe(true);
  });
});
