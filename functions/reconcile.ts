import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { parser } from "@aws-lambda-powertools/parser/middleware";
import type { ParsedResult } from "@aws-lambda-powertools/parser/types";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { throttledAnswers } from "../shared/aws/sessions/throttled-answers";
import { type SqsBatch, SqsBatchSchema } from "../shared/events/sqs-batch";
import { sweepPassOf } from "../shared/events/sweep-message";
import { logger } from "../shared/log";
import { decisionMetrics } from "../shared/metrics/decision-metrics";
import { invocationMetrics, recordMetrics } from "../shared/metrics/metrics";
import { passMetrics } from "../shared/metrics/pass-metrics";
import { accountOfFunction, serviceRuntime } from "../shared/runtime";
import { reconcile } from "../shared/workflow/reconcile";
import { reportResults } from "../shared/workflow/report-results";

/**
 * Scheduled sweep, one batch of ticks from the sweep queue at a time: decides pending requests whose
 * event was lost or never came (cross-account and outside-organisation requests, answers to requests
 * awaiting approval); the full pass also keeps active connections' routes as the plan says and removes
 * routes left behind by dead connections. Logs one summary record per run.
 */
export const handler = middy(async (batch: ParsedResult<unknown, SqsBatch>, context: Context) => {
  const { workflow, publisher, config } = serviceRuntime(accountOfFunction(context.invokedFunctionArn));
  // A backlog larger than one run can clear must end with a summary, not a timeout: stop sending EC2
  // calls with a tenth of the invocation (at most a minute) left; the next run does the rest.
  const remaining = context.getRemainingTimeInMillis();
  workflow.sessions.stopSendingAt(Date.now() + remaining - Math.min(60_000, remaining / 10));
  const started = Date.now();
  const run = await reconcile(workflow, {
    regions: config.sweepRegions,
    concurrency: config.sweepConcurrency,
    // Whatever it is handed, the reconciler sweeps what the policy names; only a batch of nothing but
    // pending-pass ticks narrows that to the pending pass.
    pass: sweepPassOf(batch.success ? batch.data.Records : []),
  });
  const ended = new Date();
  recordMetrics([
    ...decisionMetrics(run.results, { onlyChanges: true, now: ended }),
    ...passMetrics(run.summary, ended.getTime() - started),
  ]);
  await reportResults(run.results, publisher, { onlyChanges: true, rethrow: false });
  await publisher.publishSummary(run.summary);
  const { errors, failed, orphanRoutesFailed } = run.summary;
  const log = errors.length > 0 || failed > 0 || orphanRoutesFailed > 0 ? logger.error : logger.info;
  log.call(logger, "reconcile summary", { summary: run.summary });
  return run.summary;
})
  .use(injectLambdaContext(logger))
  .use(parser({ schema: SqsBatchSchema, safeParse: true }))
  .use(invocationMetrics(throttledAnswers));
