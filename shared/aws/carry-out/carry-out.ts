import {
  AcceptVpcPeeringConnectionCommand,
  type EC2Client,
  RejectVpcPeeringConnectionCommand,
} from "@aws-sdk/client-ec2";
import { chunks, groupBy, type NonEmpty } from "../../collections";
import type { Decision } from "../../decision/decision";
import { hasErrorCode } from "../error-code";
import { connectionStatus } from "../read/find-connections";
import { type WaitBounds, waitForConnectionsActive } from "../read/waiters";
import type { AwsSessions } from "../sessions/sessions";
import { applyRoutes } from "./apply-routes";
import { authorizeRules, revokeRules } from "./apply-rules";
import { ActivationTimeoutError } from "./carry-out-errors";
import { enableDns } from "./enable-dns";
import type { CarriedOut, CarryOutOptions, DecisionToCarryOut, Job, Outcome } from "./jobs";
import { removeRoutes } from "./remove-routes";
import { tagDecisions } from "./tag-decisions";

/**
 * Carries decisions out in AWS: accept or reject in the accepter account and region; once a connection
 * is active, create its planned routes, remove the unwanted ones and enable DNS on both sides, each in
 * its own account and region, then its security-group rules (once the routes exist); tag the
 * connection with the decision. A rejection is tagged first: once rejected, nothing would decide the
 * connection again to tag it.
 *
 * Many decisions share calls where the API allows: tags go on many connections at once, and accepted
 * connections are awaited in chunks with one describe each. A chunk's routes go ahead while the next
 * chunk is being accepted, so a long backlog keeps every account's request buckets busy. One
 * decision's failure stops only that decision. A decision in report mode changes nothing.
 */
export async function carryOutAll(
  items: DecisionToCarryOut[],
  options: CarryOutOptions,
): Promise<CarriedOut[]> {
  const jobs = items.map((item): Job => ({ ...item, outcome: emptyOutcome() }));
  // A decision in report mode is carried out nowhere: not even its tags are written.
  const enforced = jobs.filter((job) => job.decision.mode === "enforce");
  const ofAction = (...actions: Decision["action"][]) =>
    enforced.filter((job) => actions.includes(job.decision.action));

  const rejections = ofAction("reject");
  await tagDecisions(rejections, options);
  await Promise.all(rejections.map((job) => step(job, () => reject(job, options.sessions))));

  await Promise.all([
    ...[...groupBy(ofAction("accept"), accepterKey).values()].map((group) => acceptInChunks(group, options)),
    ...ofAction("reject", "maintain", "cleanup").map((job) =>
      step(job, () => applyChanges(job, options.sessions)),
    ),
  ]);

  // Parked and dead connections are tagged too: what was announced about them is announced once.
  await tagDecisions(
    enforced.filter((job) => job.decision.action !== "reject"),
    options,
  );
  return jobs.map(({ outcome, error }) => ({ outcome, error }));
}

/** Runs one step of a job that has not failed yet; a failure is kept on the job, not thrown. */
async function step(job: Job, work: () => Promise<void>): Promise<void> {
  if (job.error !== undefined) return;
  try {
    await work();
  } catch (error) {
    job.error = error;
  }
}

// Accepted connections awaited with one describe; small enough that routes follow accepts closely.
const ACCEPT_CHUNK = 10;

async function acceptInChunks(group: NonEmpty<Job>, options: CarryOutOptions): Promise<void> {
  const [first] = group;
  const ec2 = options.sessions.ec2(first.decision.accepter.account, first.decision.accepter.region);
  const followUps: Promise<unknown>[] = [];
  for (const chunk of chunks(group, ACCEPT_CHUNK)) {
    await Promise.all(chunk.map((job) => step(job, () => accept(job, ec2))));
    followUps.push(
      awaitActive(
        ec2,
        chunk.filter((job) => job.error === undefined),
        options.activeWait,
      ).then((active) =>
        Promise.all(active.map((job) => step(job, () => applyChanges(job, options.sessions)))),
      ),
    );
  }
  await Promise.all(followUps);
}

async function accept(job: Job, ec2: EC2Client): Promise<void> {
  const id = job.decision.connectionId;
  try {
    await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
  } catch (error) {
    await unlessAlreadyThere(ec2, id, error, ACCEPTED);
  }
  job.outcome.connection = "accepted";
}

async function reject(job: Job, sessions: AwsSessions): Promise<void> {
  const { accepter, connectionId } = job.decision;
  const ec2 = sessions.ec2(accepter.account, accepter.region);
  try {
    await ec2.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: connectionId }));
  } catch (error) {
    await unlessAlreadyThere(ec2, connectionId, error, REJECTED);
  }
  job.outcome.connection = "rejected";
}

const ACCEPTED = new Set(["provisioning", "active"]);
const REJECTED = new Set(["rejected"]);

/**
 * The SDK re-sends a call whose answer was lost on the network; if the first send took effect, the
 * re-send finds the connection moved on and fails with InvalidStateTransition. One re-read tells: if the
 * connection is where the call was taking it, the call is done; otherwise its failure stands.
 */
async function unlessAlreadyThere(ec2: EC2Client, id: string, error: unknown, there: Set<string>) {
  if (!hasErrorCode(error, "InvalidStateTransition")) throw error;
  if (!there.has((await connectionStatus(ec2, id)) ?? "")) throw error;
}

/** Routes to a connection that is not active yet would be blackholes, and DNS options cannot be set. */
async function awaitActive(ec2: EC2Client, jobs: Job[], bounds: WaitBounds): Promise<Job[]> {
  if (jobs.length === 0) return [];
  let seen: Map<string, string>;
  try {
    seen = await waitForConnectionsActive(
      ec2,
      jobs.map((job) => job.decision.connectionId),
      bounds,
    );
  } catch (error) {
    for (const job of jobs) job.error = error;
    return [];
  }
  return jobs.filter((job) => {
    const id = job.decision.connectionId;
    const status = seen.get(id) ?? "unknown";
    if (status !== "active") job.error = new ActivationTimeoutError(id, status, bounds.maxWaitSeconds);
    return status === "active";
  });
}

/**
 * Routes, removals and DNS options, all sides in parallel; then the security-group rules, so that a
 * group opens to the peer once the routes to it exist. A rejected request's routes and rules are never made.
 */
async function applyChanges(job: Job, sessions: AwsSessions): Promise<void> {
  const { decision, outcome } = job;
  const routed = decision.action === "accept" || decision.action === "maintain";
  [outcome.routes, outcome.removed, outcome.dns] = await Promise.all([
    routed ? applyRoutes(sessions, decision.connectionId, decision.plan) : [],
    removeRoutes(sessions, decision.removals),
    routed ? enableDns(sessions, decision.connectionId, decision.dns) : [],
  ]);
  const rules = decision.securityGroupRules;
  if (!rules) return;
  const [authorized, revoked] = await Promise.all([
    routed ? authorizeRules(sessions, decision.connectionId, rules.plan) : [],
    revokeRules(sessions, rules.revoke),
  ]);
  outcome.securityGroupRules = { authorized, revoked };
}

const accepterKey = (job: Job) => `${job.decision.accepter.account}/${job.decision.accepter.region}`;

function emptyOutcome(): Outcome {
  return { connection: "unchanged", routes: [], removed: [], dns: [], tagged: false };
}
