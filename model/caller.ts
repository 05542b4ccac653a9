import type { Caller } from "./state";
import type { World } from "./world";

/** The part of a resolved SDK client config the model reads to know who is calling from where. */
export interface ClientWithConfig {
  config: {
    region: () => Promise<string>;
    credentials: () => Promise<{ accessKeyId: string }>;
  };
}

/**
 * Credentials issued by the model's AssumeRole belong to the role's account; any other access key
 * (the function's own, from the environment) belongs to the home account.
 */
export async function resolveCaller(world: World, client: ClientWithConfig): Promise<Caller> {
  const region = await client.config.region();
  const { accessKeyId } = await client.config.credentials();
  const session = world.issuedCredentials.get(accessKeyId);
  return { account: session?.account ?? world.homeAccount, region, session };
}
