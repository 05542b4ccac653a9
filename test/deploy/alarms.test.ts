// The alarms on the service's own metrics, as the packaged template creates them for one deployment, and
// as `serverless print` resolves them when the parameters they come from are overridden.
import { beforeAll, describe, expect, it } from "vitest";
import { DIMENSION, METRIC, NAMESPACE, SERVICE } from "../../shared/metrics/metric-names";
import { SERVICE_ACCOUNT } from "./iam/accounts";
import { ResolvedTemplate } from "./iam/resolved-template";
import type { Template } from "./templates/cloudformation";
import { PACKAGE_PARAMS, packageService, paramArgs, runServerless } from "./templates/service-template";

let resolved: ResolvedTemplate;
let topic: string;

beforeAll(async () => {
  const { template } = await packageService();
  resolved = new ResolvedTemplate(template, { account: SERVICE_ACCOUNT });
  topic = resolved.arn("NotificationTopic");
}, 180_000);

/** An alarm's properties that decide when it fires and whom it tells. */
const alarm = (id: string) => {
  const p = resolved.properties(id);
  return {
    metric: [p.Namespace, p.MetricName, p.Dimensions],
    statistic: p.Statistic ?? p.ExtendedStatistic,
    rule: [p.ComparisonOperator, p.Threshold],
    periods: [p.Period, p.EvaluationPeriods, p.DatapointsToAlarm ?? p.EvaluationPeriods],
    missing: p.TreatMissingData,
    actions: { alarm: p.AlarmActions, ok: p.OKActions, insufficientData: p.InsufficientDataActions },
  };
};
const service = { Name: DIMENSION.service, Value: SERVICE };

describe("the alarms on the service's metrics", () => {
  it("time to route: p99 over five minutes above timeToRouteAlarmSeconds, every slow request counted", () => {
    expect(alarm("TimeToRouteAlarm")).toEqual({
      metric: [NAMESPACE, METRIC.timeToRoute, [service]],
      statistic: "p99",
      rule: ["GreaterThanThreshold", 600],
      periods: [300, 1, 1],
      missing: "notBreaching",
      actions: { alarm: [topic], ok: undefined, insufficientData: undefined },
    });
    expect(resolved.properties("TimeToRouteAlarm")).toMatchObject({
      AlarmName: "peering-autopilot-ci-time-to-route",
      EvaluateLowSampleCountPercentile: "evaluate",
    });
    expect(resolved.properties("TimeToRouteAlarm").Statistic).toBeUndefined();
  });

  it("calls not sent: three reconcile periods running without a full pass that sent every call", () => {
    expect(resolved.properties("SweepSchedule").ScheduleExpression).toBe("rate(5 minutes)");
    expect(alarm("CallsNotSentAlarm")).toEqual({
      metric: [NAMESPACE, METRIC.callsNotSent, [service, { Name: DIMENSION.pass, Value: "full" }]],
      statistic: "Maximum",
      rule: ["GreaterThanThreshold", 0],
      periods: [300, 3, 3],
      // A period in which no full pass ended counts against the reconciler (see serverless.yml).
      missing: "breaching",
      actions: { alarm: [topic], ok: [topic], insufficientData: undefined },
    });
    expect(resolved.properties("CallsNotSentAlarm").DatapointsToAlarm).toBe(3);
  });

  it("route conflict: any route-conflict finding within a minute", () => {
    expect(alarm("RouteConflictAlarm")).toEqual({
      metric: [NAMESPACE, METRIC.findings, [service, { Name: DIMENSION.finding, Value: "route-conflict" }]],
      statistic: "Sum",
      rule: ["GreaterThanThreshold", 0],
      periods: [60, 1, 1],
      missing: "notBreaching",
      actions: { alarm: [topic], ok: undefined, insufficientData: undefined },
    });
  });

  it.each(["TimeToRouteAlarm", "CallsNotSentAlarm", "RouteConflictAlarm"])(
    "%s names the service and fits CloudWatch's 1,024 characters",
    (id) => {
      const description = String(resolved.properties(id).AlarmDescription);
      expect(description).toMatch(/^peering-autopilot: /);
      expect(description.length).toBeLessThanOrEqual(1024);
    },
  );
});

/** The service's resources as `serverless print` resolves them with these parameters (no packaging). */
async function printed(params: Record<string, string>): Promise<Template> {
  const { stdout } = await runServerless([
    "print",
    "--format",
    "json",
    ...paramArgs({ ...PACKAGE_PARAMS, ...params }),
  ]);
  return JSON.parse(stdout.slice(stdout.indexOf("{"))).resources;
}

describe("the parameters the alarms take", () => {
  it("timeToRouteAlarmSeconds sets the alarm's threshold and the dashboard's line", async () => {
    const { Resources } = await printed({ timeToRouteAlarmSeconds: "900" });
    expect(Resources.TimeToRouteAlarm?.Properties.Threshold).toBe(900);
    const body = Resources.Dashboard?.Properties.DashboardBody as { "Fn::Sub": string } | undefined;
    expect(body?.["Fn::Sub"]).toMatch(
      /"annotations": \{"horizontal": \[\{"label": "[^"]*", "value": 900\}\]\}/,
    );
  }, 60_000);

  it("reconcileRate sets both the reconciler's schedule and the calls-not-sent alarm's period", async () => {
    const { Resources } = await printed({ reconcileRate: "rate(10 minutes)" });
    expect(Resources.SweepSchedule?.Properties.ScheduleExpression).toBe("rate(10 minutes)");
    expect(Resources.CallsNotSentAlarm?.Properties.Period).toBe(600);
  }, 60_000);
});
