import { EC2Client } from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterEach, beforeEach } from "vitest";
import { installModel, World } from "../../model";

// The function's own credentials: the SDK's default chain finds them here without any network.
process.env.AWS_ACCESS_KEY_ID = "AKIAFUNCTIONOWNKEY00";
process.env.AWS_SECRET_ACCESS_KEY = "function-secret";
delete process.env.AWS_SESSION_TOKEN;
delete process.env.AWS_PROFILE;
process.env.AWS_EC2_METADATA_DISABLED = "true";

export const HOME = "999999999999";
export const ACCEPTER = "111111111111";
export const REQUESTER = "222222222222";

/** A fresh world per test, installed into the SDK clients; `build` adds the scenario. */
export function useWorld(build: (world: World) => void = () => {}): () => World {
  let world: World | undefined;
  let restore = () => {};
  beforeEach(() => {
    world = new World({ homeAccount: HOME });
    world.addAccount(ACCEPTER).addAccount(REQUESTER);
    build(world);
    restore = installModel(world).restore;
  });
  afterEach(() => restore());
  return () => {
    if (!world) throw new Error("useWorld: no world outside a test");
    return world;
  };
}

/** An EC2 client in another account, through the model's STS, as the service will build it. */
export async function ec2In(account: string, region: string, externalId?: string): Promise<EC2Client> {
  const sts = new STSClient({ region });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/peering-autopilot-execution`,
      RoleSessionName: "test",
      ExternalId: externalId,
    }),
  );
  return new EC2Client({
    region,
    credentials: {
      accessKeyId: Credentials?.AccessKeyId ?? "",
      secretAccessKey: Credentials?.SecretAccessKey ?? "",
      sessionToken: Credentials?.SessionToken ?? "",
    },
  });
}

/** The error code a rejected SDK call carries, for `expect(...).resolves.toBe(code)`. */
export async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof Error ? error.name : String(error);
  }
  throw new Error("expected the call to fail");
}
