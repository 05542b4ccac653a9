import {
  AcceptVpcPeeringConnectionCommand,
  CreateTagsCommand,
  RejectVpcPeeringConnectionCommand,
} from "@aws-sdk/client-ec2";
import type { Decision } from "../decision/decision";
import { decisionTags } from "../decision/decision-tags";
import { applyRoutes, type RouteResult } from "./apply-routes";
import { ActivationTimeoutError } from "./aws-errors";
import type { AwsSessions } from "./sessions";
import { type WaitBounds, waitForConnectionActive } from "./waiters";

export interface Outcome {
  /** What was done to the connection itself. */
  connection: "accepted" | "rejected" | "already active" | "unchanged";
  routes: RouteResult[];
  tagged: boolean;
}

export interface CarryOutOptions {
  sessions: AwsSessions;
  activeWait: WaitBounds;
  currentTags: Record<string, string>;
  now: Date;
}

/**
 * Carries a decision out in AWS: accept or reject in the accepter account and region, wait for
 * `active`, create the planned routes on both sides, then tag the connection with the decision.
 */
export async function carryOut(decision: Decision, options: CarryOutOptions): Promise<Outcome> {
  const { sessions } = options;
  const { account, region } = decision.accepter;
  const ec2 = sessions.ec2(account, region);
  const id = decision.connectionId;

  if (decision.action === "ignore") return { connection: "unchanged", routes: [], tagged: false };

  let connection: Outcome["connection"] = "already active";
  let routes: RouteResult[] = [];
  if (decision.action === "reject") {
    await ec2.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    connection = "rejected";
  } else {
    if (decision.status === "pending-acceptance") {
      await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
      connection = "accepted";
      // Routes to a connection that is not active yet would be blackholes until it is.
      const { succeeded, connection: last } = await waitForConnectionActive(ec2, id, options.activeWait);
      if (!succeeded) {
        throw new ActivationTimeoutError(
          id,
          last?.Status?.Code ?? "unknown",
          options.activeWait.maxWaitSeconds,
        );
      }
    }
    routes = await applyRoutes(sessions, id, decision.plan);
  }

  const tags = decisionTags(decision, options.currentTags, options.now);
  if (Object.keys(tags).length > 0) {
    await ec2.send(
      new CreateTagsCommand({
        Resources: [id],
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  }
  return { connection, routes, tagged: Object.keys(tags).length > 0 };
}
