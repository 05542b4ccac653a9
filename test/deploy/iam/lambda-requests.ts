// The calls Lambda itself makes with a function's role: writing the function's logs, reading the queues
// its event source mappings poll, and sending failed invocations to their destinations.
import type { Json } from "../templates/cloudformation";
import type { ResolvedTemplate } from "./resolved-template";
import type { Request } from "./service-requests";
import { type PolicyDocument, queuePolicy } from "./template-policies";

export interface LambdaRequest extends Request {
  /** The policy of the resource, when it has one. */
  resourcePolicy?: PolicyDocument;
}

// What Lambda needs of a queue it polls (the AWSLambdaSQSQueueExecutionRole managed policy's actions).
const POLL = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"];

export function lambdaRequests(t: ResolvedTemplate, functionId: string): LambdaRequest[] {
  const fn = t.properties(functionId);
  const name = String(fn.FunctionName ?? functionId);
  const logGroup = String(
    (fn.LoggingConfig as { LogGroup?: string } | undefined)?.LogGroup ?? `/aws/lambda/${name}`,
  );
  const { partition, region, account } = t.where;
  const stream = `arn:${partition}:logs:${region}:${account}:log-group:${logGroup}:log-stream:2026/01/01/[$LATEST]0a1b2c3d`;
  const requests: LambdaRequest[] = ["logs:CreateLogStream", "logs:PutLogEvents"].map((action) => ({
    what: `the log group ${logGroup}`,
    action,
    resource: stream,
    context: {},
  }));
  const isThis = (v: Json) => v === name || v === t.arn(functionId);
  for (const [id] of t.ofType("AWS::Lambda::EventSourceMapping")) {
    const p = t.properties(id);
    if (!isThis(p.FunctionName)) continue;
    const queue = queueOf(t, String(p.EventSourceArn));
    if (!queue) throw new Error(`${id}: polls ${String(p.EventSourceArn)}, which these tests do not know`);
    requests.push(
      ...POLL.map((action) => ({
        what: `its queue ${queue.id}`,
        action,
        resource: queue.arn,
        context: {},
        resourcePolicy: queuePolicy(t, queue.url),
      })),
    );
  }
  const destinations = [
    ...t
      .ofType("AWS::Lambda::EventInvokeConfig")
      .map(([id]) => t.properties(id))
      .filter((c) => isThis(c.FunctionName))
      .flatMap((c) => Object.values((c.DestinationConfig ?? {}) as Record<string, { Destination: string }>))
      .map((d) => d.Destination),
    ...((fn.DeadLetterConfig as { TargetArn?: string } | undefined)?.TargetArn ?? []),
  ];
  for (const destination of destinations) {
    const queue = queueOf(t, destination);
    if (!queue)
      throw new Error(`${functionId}: sends failures to ${destination}, which these tests do not know`);
    requests.push({
      what: `its failure destination ${queue.id}`,
      action: "sqs:SendMessage",
      resource: queue.arn,
      context: {},
      resourcePolicy: queuePolicy(t, queue.url),
    });
  }
  return requests;
}

function queueOf(t: ResolvedTemplate, arn: string) {
  const found = t.ofType("AWS::SQS::Queue").find(([id]) => t.arn(id) === arn);
  if (!found) return undefined;
  const [id] = found;
  return { id, arn, url: String(t.value({ Ref: id })) };
}
