import {
  AcceptVpcPeeringConnectionCommand,
  CreateTagsCommand,
  RejectVpcPeeringConnectionCommand,
} from "@aws-sdk/client-ec2";
import type { Decision } from "../decision/decision";
import { decisionTags } from "../decision/decision-tags";
import { applyRoutes, type RouteResult } from "./apply-routes";
import { ActivationTimeoutError, CarryOutError } from "./aws-errors";
import { type DnsResult, enableDns } from "./enable-dns";
import { type RemovalResult, removeRoutes } from "./remove-routes";
import type { AwsSessions } from "./sessions";
import { type WaitBounds, waitForConnectionActive } from "./waiters";

export interface Outcome {
  /** What was done to the connection itself. */
  connection: "accepted" | "rejected" | "unchanged";
  routes: RouteResult[];
  removed: RemovalResult[];
  dns: DnsResult[];
  tagged: boolean;
}

export interface CarryOutOptions {
  sessions: AwsSessions;
  activeWait: WaitBounds;
  currentTags: Record<string, string>;
  now: Date;
}

/**
 * Carries a decision out in AWS: accept or reject in the accepter account and region; once the
 * connection is active, create the planned routes, remove the unwanted ones and enable DNS on both
 * sides, each in its own account and region; tag the connection with the decision. A rejection is
 * tagged first: once rejected, nothing would decide the connection again to tag it. If a step fails,
 * the CarryOutError holds what had been done by then.
 */
export async function carryOut(decision: Decision, options: CarryOutOptions): Promise<Outcome> {
  const outcome: Outcome = { connection: "unchanged", routes: [], removed: [], dns: [], tagged: false };
  try {
    await carryOutSteps(decision, options, outcome);
    return outcome;
  } catch (error) {
    throw new CarryOutError(decision.connectionId, outcome, error);
  }
}

async function carryOutSteps(decision: Decision, options: CarryOutOptions, outcome: Outcome): Promise<void> {
  const { sessions } = options;
  const ec2 = sessions.ec2(decision.accepter.account, decision.accepter.region);
  const id = decision.connectionId;
  const tag = async () => {
    const tags = decisionTags(decision, options.currentTags, options.now);
    if (Object.keys(tags).length === 0) return;
    await ec2.send(
      new CreateTagsCommand({
        Resources: [id],
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    outcome.tagged = true;
  };

  if (decision.action === "reject") {
    await tag();
    await ec2.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    outcome.connection = "rejected";
  }
  if (decision.action === "accept") {
    await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    outcome.connection = "accepted";
    // Routes to a connection that is not active yet would be blackholes, and DNS options cannot be set.
    const { succeeded, connection: last } = await waitForConnectionActive(ec2, id, options.activeWait);
    if (!succeeded) {
      throw new ActivationTimeoutError(
        id,
        last?.Status?.Code ?? "unknown",
        options.activeWait.maxWaitSeconds,
      );
    }
  }
  // A rejected request's plan only explains its conflicts; its routes are never made.
  const routed = decision.action === "accept" || decision.action === "maintain";
  [outcome.routes, outcome.removed, outcome.dns] = await Promise.all([
    routed ? applyRoutes(sessions, id, decision.plan) : [],
    removeRoutes(sessions, decision.removals),
    routed ? enableDns(sessions, id, decision.dns) : [],
  ]);
  if (decision.action !== "reject") await tag();
}
