import { ModifyVpcPeeringConnectionOptionsCommand } from "@aws-sdk/client-ec2";
import type { DnsChange } from "../../decision/decision";
import { failureText } from "../error-code";
import type { AwsSessions } from "../sessions/sessions";

export type DnsResult =
  | { change: DnsChange; result: "enabled" | "present" }
  | { change: DnsChange; result: "failed"; error: string };

/**
 * Enables remote DNS resolution, each side by its owner in its own region (EC2 allows nothing else),
 * on an active connection. Sides already enabled are left alone.
 */
export function enableDns(
  sessions: AwsSessions,
  connectionId: string,
  changes: DnsChange[],
): Promise<DnsResult[]> {
  return Promise.all(
    changes.map(async (change): Promise<DnsResult> => {
      if (change.status === "present") return { change, result: "present" };
      const options = { AllowDnsResolutionFromRemoteVpc: true };
      try {
        await sessions.ec2(change.account, change.region).send(
          new ModifyVpcPeeringConnectionOptionsCommand({
            VpcPeeringConnectionId: connectionId,
            ...(change.side === "accepter"
              ? { AccepterPeeringConnectionOptions: options }
              : { RequesterPeeringConnectionOptions: options }),
          }),
        );
        return { change, result: "enabled" };
      } catch (error) {
        return {
          change,
          result: "failed",
          error: failureText(error),
        };
      }
    }),
  );
}
