import {
  DescribeVpcPeeringConnectionsCommand,
  type EC2Client,
  type VpcPeeringConnection,
} from "@aws-sdk/client-ec2";
import { createWaiter, WaiterState } from "@smithy/core/client";
import { hasErrorCode } from "../error-code";

export interface WaitBounds {
  maxWaitSeconds: number;
  minDelaySeconds: number;
  maxDelaySeconds: number;
}

function waiterConfig(client: EC2Client, bounds: WaitBounds) {
  return {
    client,
    maxWaitTime: bounds.maxWaitSeconds,
    minDelay: bounds.minDelaySeconds,
    maxDelay: bounds.maxDelaySeconds,
  };
}

type Check = (connection: VpcPeeringConnection | undefined) => WaiterState;

/**
 * Polls one connection with the SDK's waiter machinery (exponential backoff with jitter, bounded
 * by maxWaitSeconds). "Not found" is retried: right after creation, especially across regions,
 * EC2 may not show the connection yet. Other errors end the wait and propagate.
 * Returns the last connection seen, and whether `check` succeeded.
 */
async function pollConnection(ec2: EC2Client, connectionId: string, bounds: WaitBounds, check: Check) {
  let last: VpcPeeringConnection | undefined;
  const result = await createWaiter(
    waiterConfig(ec2, bounds),
    { VpcPeeringConnectionIds: [connectionId] },
    async (client, input) => {
      try {
        const output = await client.send(new DescribeVpcPeeringConnectionsCommand(input));
        last = output.VpcPeeringConnections?.[0];
        return { state: check(last), reason: output };
      } catch (error) {
        if (hasErrorCode(error, "InvalidVpcPeeringConnectionID.NotFound"))
          return { state: WaiterState.RETRY, reason: error };
        throw error;
      }
    },
  );
  return { connection: last, succeeded: result.state === WaiterState.SUCCESS };
}

// States that move on by themselves within seconds; deciding on them would decide on a blur.
const IN_TRANSIT = new Set(["initiating-request", "provisioning"]);

/**
 * Waits until the connection can be seen and is not in transit. A retry after an accept that timed
 * out thus finds the connection active and completes its routes.
 */
export function waitForConnectionVisible(ec2: EC2Client, connectionId: string, bounds: WaitBounds) {
  return pollConnection(ec2, connectionId, bounds, (c) =>
    c && !IN_TRANSIT.has(c.Status?.Code ?? "") ? WaiterState.SUCCESS : WaiterState.RETRY,
  );
}

const DEAD_ENDS = new Set(["failed", "rejected", "expired", "deleting", "deleted"]);

/**
 * Waits until none of these connections is still on its way to `active` (one describe per poll, by
 * filter so that one not shown yet is no error). Returns the status last seen of each; a connection
 * never seen is absent.
 */
export async function waitForConnectionsActive(
  ec2: EC2Client,
  connectionIds: string[],
  bounds: WaitBounds,
): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const settled = (id: string) => {
    const status = seen.get(id);
    return status === "active" || (status !== undefined && DEAD_ENDS.has(status));
  };
  await createWaiter(
    waiterConfig(ec2, bounds),
    { Filters: [{ Name: "vpc-peering-connection-id", Values: connectionIds }] },
    async (client, input) => {
      const output = await client.send(new DescribeVpcPeeringConnectionsCommand(input));
      for (const c of output.VpcPeeringConnections ?? []) {
        if (c.VpcPeeringConnectionId) seen.set(c.VpcPeeringConnectionId, c.Status?.Code ?? "unknown");
      }
      return {
        state: connectionIds.every(settled) ? WaiterState.SUCCESS : WaiterState.RETRY,
        reason: output,
      };
    },
  );
  return seen;
}
