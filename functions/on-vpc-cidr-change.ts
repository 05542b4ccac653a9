import { activeConnectionsOfVpc } from "../shared/aws/read/find-connections";
import { throttledAnswers } from "../shared/aws/sessions/throttled-answers";
import { InvalidEventError } from "../shared/events/invalid-event-error";
import { toLifecycleEvent } from "../shared/events/lifecycle-event";
import { cloudTrailHandler } from "../shared/lambda/cloudtrail-handler";
import { logger } from "../shared/log";
import { decisionMetrics } from "../shared/metrics/decision-metrics";
import { invocationMetrics, recordMetrics } from "../shared/metrics/metrics";
import { isWatched } from "../shared/policy/match-rule";
import { handleConnection } from "../shared/workflow/handle-connection";
import { reportResults } from "../shared/workflow/report-results";

/**
 * AssociateVpcCidrBlock and DisassociateVpcCidrBlock: bring the routes of the VPC's active
 * connections in line (a new CIDR the rule allows is routed on the peer side, a removed one is unrouted).
 */
export const handler = cloudTrailHandler(async (event, { workflow, publisher }) => {
  const change = toLifecycleEvent(event);
  if (change.kind === "invalid") throw new InvalidEventError(event.id, change.reason);
  if (change.kind !== "vpc") {
    const reason = change.kind === "ignored" ? change.reason : `${change.eventName} is not a VPC CIDR change`;
    logger.info("event ignored", { eventId: event.id, reason });
    return { kind: "ignored", reason };
  }
  const { vpc } = change;
  if (!isWatched(workflow.policy, vpc.account, vpc.region)) {
    const reason = `account ${vpc.account} region ${vpc.region} is not named in the policy`;
    logger.info("event ignored", { eventId: event.id, reason });
    return { kind: "ignored", reason };
  }
  const ids = await activeConnectionsOfVpc(workflow.sessions.ec2(vpc.account, vpc.region), vpc);
  if (ids.length === 0) {
    const reason = `${vpc.vpcId} has no active peering connection in ${vpc.account} ${vpc.region}`;
    logger.info("event ignored", { eventId: event.id, reason });
    return { kind: "ignored", reason };
  }
  const results = await Promise.all(
    ids.map((connectionId) =>
      handleConnection({ connectionId, account: vpc.account, region: vpc.region }, workflow),
    ),
  );
  recordMetrics(decisionMetrics(results, { onlyChanges: false, now: new Date() }));
  await reportResults(results, publisher, { onlyChanges: false, rethrow: true });
  return results;
}).use(invocationMetrics(throttledAnswers));
