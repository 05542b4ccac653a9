// The dashboard as CloudWatch gets it: the packaged template's DashboardBody with its Fn::Sub worked out
// for one deployment, parsed as JSON. Every line it draws must be a metric the code emits under the names
// of shared/metrics/metric-names.ts, or an AWS metric of a resource of this template.
import { beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, FINDINGS } from "../../shared/decision/decision";
import { DIMENSION, METRIC, NAMESPACE, SERVICE } from "../../shared/metrics/metric-names";
import { OTHER_REGION, SERVICE_ACCOUNT } from "./iam/accounts";
import { ResolvedTemplate } from "./iam/resolved-template";
import { packageService } from "./templates/service-template";

// The dimensions each metric is emitted with besides Service (the metrics contract).
const EMITTED_DIMENSIONS: Record<string, string[]> = {
  [METRIC.decisions]: [DIMENSION.action],
  [METRIC.reportOnlyDecisions]: [DIMENSION.action],
  [METRIC.findings]: [DIMENSION.finding],
  [METRIC.routesCreated]: [],
  [METRIC.routesRemoved]: [],
  [METRIC.routeConflicts]: [],
  [METRIC.securityGroupRulesAuthorized]: [],
  [METRIC.securityGroupRulesRevoked]: [],
  [METRIC.throttledCalls]: [],
  [METRIC.callsNotSent]: [DIMENSION.pass],
  [METRIC.reconcileDuration]: [DIMENSION.pass],
  [METRIC.timeToRoute]: [],
};

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown> & { title?: string };
}
interface Line {
  widget: string;
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  stat: unknown;
  label: unknown;
}

let resolved: ResolvedTemplate;
let body: { widgets: Widget[] };
let bodyText: string;

beforeAll(async () => {
  const { template } = await packageService();
  // Another region than the default, so that a region written into the body instead of substituted shows.
  resolved = new ResolvedTemplate(template, { account: SERVICE_ACCOUNT, region: OTHER_REGION });
  bodyText = String(resolved.properties("Dashboard").DashboardBody);
  body = JSON.parse(bodyText);
}, 180_000);

/** The lines of a metric widget: [namespace, name, dimension name, value, …, options?]. */
function linesOf(widget: Widget): Line[] {
  const metrics = (widget.properties.metrics ?? []) as unknown[][];
  return metrics.map((entry) => {
    const options = (typeof entry.at(-1) === "object" ? entry.at(-1) : {}) as Record<string, unknown>;
    const fields = (typeof entry.at(-1) === "object" ? entry.slice(0, -1) : entry) as string[];
    // The "." shorthand (same as the line above) would hide what a line plots: every line is spelled out.
    expect(fields).not.toContain(".");
    const [namespace = "", name = "", ...pairs] = fields;
    const dimensions: Record<string, string> = {};
    for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i] ?? ""] = pairs[i + 1] ?? "";
    const stat = options.stat ?? widget.properties.stat;
    return { widget: widget.properties.title ?? "", namespace, name, dimensions, stat, label: options.label };
  });
}

const metricWidgets = () => body.widgets.filter((w) => w.type === "metric");
const lines = () => metricWidgets().flatMap(linesOf);
const linesNamed = (name: string) => lines().filter((l) => l.namespace === NAMESPACE && l.name === name);
const widgetOf = (name: string) => {
  const found = metricWidgets().filter((w) => linesOf(w).some((l) => l.name === name));
  expect(found).toHaveLength(1);
  return found[0] as Widget;
};
const sorted = (values: string[]) => [...values].sort();
const functionNames = () =>
  resolved.ofType("AWS::Lambda::Function").map(([id]) => String(resolved.properties(id).FunctionName));
const queueNames = () =>
  resolved.ofType("AWS::SQS::Queue").map(([id]) => String(resolved.properties(id).QueueName));

describe("the dashboard", () => {
  it("is named for the stage and parses as JSON once its region, names and ARNs are substituted", () => {
    expect(resolved.properties("Dashboard").DashboardName).toBe("peering-autopilot-ci");
    expect(bodyText).not.toContain("${");
    for (const widget of metricWidgets()) expect(widget.properties.region).toBe(OTHER_REGION);
    const alarms = body.widgets.find((w) => w.type === "alarm")?.properties.alarms;
    expect(alarms).toEqual(
      ["TimeToRouteAlarm", "CallsNotSentAlarm", "RouteConflictAlarm", "DeadLetterAlarm"].map((id) =>
        resolved.arn(id),
      ),
    );
    expect(resolved.arn("TimeToRouteAlarm")).toBe(
      `arn:aws:cloudwatch:${OTHER_REGION}:${SERVICE_ACCOUNT}:alarm:peering-autopilot-ci-time-to-route`,
    );
  });

  it("draws only metrics the code emits, with the dimensions it emits them with, and AWS metrics of this template's resources", () => {
    const emitted = new Set<string>(Object.values(METRIC));
    for (const line of lines()) {
      const where = `${line.widget}: ${line.namespace} ${line.name}`;
      if (line.namespace === NAMESPACE) {
        expect(emitted.has(line.name), where).toBe(true);
        expect(sorted(Object.keys(line.dimensions)), where).toEqual(
          sorted([DIMENSION.service, ...(EMITTED_DIMENSIONS[line.name] ?? [])]),
        );
        expect(line.dimensions[DIMENSION.service], where).toBe(SERVICE);
      } else if (line.namespace === "AWS/Lambda") {
        expect([line.name, Object.keys(line.dimensions)], where).toEqual(["Errors", ["FunctionName"]]);
        expect(functionNames(), where).toContain(line.dimensions.FunctionName);
      } else {
        expect([line.namespace, line.name, Object.keys(line.dimensions)], where).toEqual([
          "AWS/SQS",
          "ApproximateNumberOfMessagesVisible",
          ["QueueName"],
        ]);
        expect(queueNames(), where).toContain(line.dimensions.QueueName);
      }
    }
  });

  it("draws every metric the code emits", () => {
    const drawn = new Set(lines().map((l) => l.name));
    for (const name of Object.values(METRIC)) expect(drawn.has(name), name).toBe(true);
  });

  it("draws the errors of every function of the template, each once", () => {
    const errors = lines().filter((l) => l.namespace === "AWS/Lambda" && l.name === "Errors");
    expect(sorted(errors.map((l) => l.dimensions.FunctionName ?? ""))).toEqual(sorted(functionNames()));
    expect(functionNames()).toHaveLength(6);
    expect(new Set(errors.map((l) => l.stat))).toEqual(new Set(["Sum"]));
  });

  it("draws the messages waiting in the dead-letter queue, and no other queue", () => {
    const waiting = lines().filter((l) => l.namespace === "AWS/SQS");
    expect(waiting.map((l) => [l.dimensions.QueueName, l.stat])).toEqual([
      [resolved.properties("DeadLetterQueue").QueueName, "Maximum"],
    ]);
  });

  it.each([
    [METRIC.decisions, DIMENSION.action, ACTIONS],
    [METRIC.reportOnlyDecisions, DIMENSION.action, ACTIONS],
    [METRIC.findings, DIMENSION.finding, FINDINGS],
  ])("draws %s summed, one line for every %s", (name, dimension, values) => {
    const drawn = linesNamed(name);
    expect(sorted(drawn.map((l) => l.dimensions[dimension] ?? ""))).toEqual(sorted([...values]));
    expect(drawn.map((l) => l.label)).toEqual(drawn.map((l) => l.dimensions[dimension]));
    expect(new Set(drawn.map((l) => l.stat))).toEqual(new Set(["Sum"]));
  });

  it("stacks the decisions by action, and names the report-mode widget for report mode", () => {
    expect(widgetOf(METRIC.decisions).properties).toMatchObject({ stacked: true });
    const report = widgetOf(METRIC.reportOnlyDecisions);
    expect(report).not.toBe(widgetOf(METRIC.decisions));
    expect(report.properties).toMatchObject({ stacked: true, title: expect.stringMatching(/^Report mode/) });
  });

  it("draws time to route at p50 and p99, with the alarm's threshold as a line", () => {
    expect(linesNamed(METRIC.timeToRoute).map((l) => l.stat)).toEqual(["p50", "p99"]);
    const threshold = resolved.properties("TimeToRouteAlarm").Threshold;
    expect(threshold).toBe(600);
    expect(widgetOf(METRIC.timeToRoute).properties.annotations).toEqual({
      horizontal: [expect.objectContaining({ value: threshold })],
    });
  });

  it("draws the duration of each pass at p50 and at most, and the calls each pass did not send", () => {
    const byPass = (name: string) =>
      linesNamed(name).map((l) => [l.dimensions[DIMENSION.pass], l.stat] as const);
    expect(byPass(METRIC.reconcileDuration)).toEqual([
      ["full", "p50"],
      ["full", "Maximum"],
      ["pending", "p50"],
      ["pending", "Maximum"],
    ]);
    // Maximum, as the alarm reads it: the most calls one pass left for the next.
    expect(byPass(METRIC.callsNotSent)).toEqual([
      ["full", "Maximum"],
      ["pending", "Maximum"],
    ]);
  });

  it("draws the security-group rules authorized and revoked, summed, in a widget of their own", () => {
    const rules = [METRIC.securityGroupRulesAuthorized, METRIC.securityGroupRulesRevoked];
    const widget = widgetOf(METRIC.securityGroupRulesAuthorized);
    expect(widgetOf(METRIC.securityGroupRulesRevoked)).toBe(widget);
    expect(widget).not.toBe(widgetOf(METRIC.routesCreated));
    expect(linesOf(widget).map((l) => [l.name, l.stat])).toEqual(rules.map((name) => [name, "Sum"]));
  });

  it("lays its widgets out on CloudWatch's 24-column grid without overlapping", () => {
    const cells = new Set<string>();
    for (const w of body.widgets) {
      expect(w.x + w.width, w.properties.title).toBeLessThanOrEqual(24);
      for (let x = w.x; x < w.x + w.width; x++) {
        for (let y = w.y; y < w.y + w.height; y++) {
          expect(cells.has(`${x},${y}`), `${w.properties.title} at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});
