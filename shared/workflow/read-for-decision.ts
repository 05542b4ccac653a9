import { countActivePeerings } from "../aws/read/read-active-peerings";
import { readConnection, readDecisionFacts } from "../aws/read/read-facts";
import type { WaitBounds } from "../aws/read/waiters";
import type { AwsSessions } from "../aws/sessions/sessions";
import { isDead } from "../decision/dead";
import type { ConnectionRef } from "../events/connection-ref";
import type { DecisionFacts, PeeringConnection, Quotas } from "../facts";
import { isInRemit, isWatched } from "../policy/match-rule";
import { readsSubnets } from "../policy/reach";
import type { Policy } from "../policy/schema";
import { groupsToRead } from "../policy/security-groups";

export interface ReadContext {
  policy: Policy;
  sessions: AwsSessions;
  waits: { visible: WaitBounds };
  now: () => Date;
  /** Checked before a request is accepted; none given, none checked (and nothing more is read). */
  quotas?: Quotas;
}

export type ReadResult = { kind: "skipped"; reason: string } | { kind: "facts"; facts: DecisionFacts };

/**
 * The read phase of every decision, shared by the service and the CLI's live `explain`: check the
 * remit, re-read the connection from EC2 (where the accepter sees it, when the policy names the
 * accepter), and read both sides' facts. Read-only. Throws ConnectionNotFoundError when EC2 does not
 * show the connection.
 */
export async function readForDecision(ref: ConnectionRef, ctx: ReadContext): Promise<ReadResult> {
  const { policy, sessions } = ctx;
  if (!isWatched(policy, ref.account, ref.region)) {
    return {
      kind: "skipped",
      reason: `account ${ref.account} region ${ref.region} is not named in the policy`,
    };
  }
  let connection = await readConnection(sessions, ref, ctx.waits.visible);
  const { accepter } = connection;
  const accepterInRemit = isInRemit(policy, accepter.account, accepter.region);
  if (connection.status === "pending-acceptance" && !accepterInRemit) {
    return { kind: "skipped", reason: accepterNotNamed(accepter) };
  }
  // Accepting, rejecting and tagging happen on the accepter's side: decide on what it sees.
  if (accepterInRemit && (accepter.account !== ref.account || accepter.region !== ref.region)) {
    const where = { connectionId: ref.connectionId, account: accepter.account, region: accepter.region };
    connection = await readConnection(sessions, where, ctx.waits.visible);
  }
  const [facts, activePeerings] = await Promise.all([
    readDecisionFacts(sessions, connection, {
      subnets: readsSubnets(policy),
      // Only a dead connection's rules must go at once; a live one's withdrawn rules, the full pass revokes.
      securityGroups: groupsToRead([policy], isDead(connection.status)),
    }),
    readActivePeerings(sessions, connection, ctx.quotas),
  ]);
  // Only a tag in the accepter's view answers a request: a tag event elsewhere says nothing of who did.
  const answeredHere =
    ref.account === connection.accepter.account && ref.region === connection.accepter.region;
  return {
    kind: "facts",
    facts: {
      ...facts,
      readAt: ctx.now().toISOString(),
      ...(ref.answeredBy !== undefined && answeredHere && { answeredBy: ref.answeredBy }),
      ...(ctx.quotas && { quotas: ctx.quotas }),
      ...(activePeerings !== undefined && { accepterActivePeerings: activePeerings }),
    },
  };
}

/** Only a request is accepted, so only a request needs its accepter VPC's active connections counted. */
async function readActivePeerings(
  sessions: AwsSessions,
  connection: PeeringConnection,
  quotas: Quotas | undefined,
): Promise<number | undefined> {
  if (!quotas || connection.status !== "pending-acceptance") return undefined;
  const { account, region, vpcId } = connection.accepter;
  const counts = await countActivePeerings(sessions.ec2(account, region), [vpcId]);
  return counts.get(vpcId) ?? 0;
}

/** Why a request to an accepter the policy does not name is left alone. */
export function accepterNotNamed(accepter: { account: string; region: string }): string {
  return `the connection's accepter is ${accepter.account} ${accepter.region}, which the policy does not name`;
}
