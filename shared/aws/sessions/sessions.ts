import { Agent } from "node:https";
import type { EC2Client } from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { HttpHandlerUserInput } from "@smithy/core/protocols";
import { DEFAULT_PACING, type PacerOptions, RequestPacer } from "../pacing/request-pacer";
import { PacedEC2Client } from "./paced-ec2-client";
import { AccountNotNamedError, RoleAssumptionError } from "./session-errors";
import { countingThrottles, EACH_ATTEMPT } from "./throttled-answers";

export interface SessionOptions {
  /** The account the function runs in: its own credentials serve there, no role is assumed. */
  homeAccount: string;
  roleName: string;
  externalId?: string;
  /** Accounts a role may be assumed into (those the policy names). */
  allowedAccounts: ReadonlySet<string>;
  /** STS is called here (the function's own region; outside Lambda nothing else may say). */
  stsRegion: string;
  now?: () => number;
  /** EC2's request buckets and this service's share of them; all of the default buckets when absent. */
  pacing?: PacerOptions;
  /** Tests only: the HTTP handler of every EC2 and STS client, in place of the network. */
  requestHandler?: HttpHandlerUserInput;
}

interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

interface CachedCredentials {
  credentials: Promise<TemporaryCredentials>;
  /** Known once AssumeRole has answered. */
  expiresAt?: number;
}

// Renew a little before expiry so a call never starts with credentials about to lapse.
const RENEW_BEFORE_MS = 5 * 60 * 1000;

/**
 * EC2 clients per account and region, built once per container, with STS credentials cached per
 * account, and one pacer for all their calls (EC2's buckets are per account, region and action).
 */
export class AwsSessions {
  private readonly clients = new Map<string, EC2Client>();
  private readonly credentials = new Map<string, CachedCredentials>();
  private readonly sts: STSClient;
  private readonly now: () => number;
  private readonly pacer: RequestPacer;

  constructor(private readonly options: SessionOptions) {
    this.now = options.now ?? Date.now;
    this.sts = new STSClient({
      ...clientDefaults(),
      region: options.stsRegion,
      ...(options.requestHandler && { requestHandler: options.requestHandler }),
    });
    this.sts.middlewareStack.addRelativeTo(countingThrottles, EACH_ATTEMPT);
    this.pacer = new RequestPacer(options.pacing ?? DEFAULT_PACING);
  }

  get homeAccount(): string {
    return this.options.homeAccount;
  }

  /** Proves the account is reachable (assuming its role if needed); throws a typed error if not. */
  async ensureAccess(account: string): Promise<void> {
    if (account !== this.options.homeAccount) await this.credentialsFor(account);
  }

  /** See RequestPacer.stopSendingAt: EC2 calls not sent by then fail with OutOfTimeError. */
  stopSendingAt(epochMs: number | undefined): void {
    this.pacer.stopSendingAt(epochMs);
  }

  /** EC2 calls refused since the last stopSendingAt because its time had come. */
  get callsNotSent(): number {
    return this.pacer.callsNotSent;
  }

  ec2(account: string, region: string): EC2Client {
    const key = `${account}/${region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new PacedEC2Client(
        {
          ...clientDefaults(),
          region,
          requestHandler: this.options.requestHandler ?? { httpsAgent: EC2_CONNECTIONS },
          ...(account !== this.options.homeAccount && { credentials: () => this.credentialsFor(account) }),
        },
        { pacer: this.pacer, account, region },
      );
      client.middlewareStack.addRelativeTo(countingThrottles, EACH_ATTEMPT);
      this.clients.set(key, client);
    }
    return client;
  }

  private credentialsFor(account: string): Promise<TemporaryCredentials> {
    if (!this.options.allowedAccounts.has(account)) return Promise.reject(new AccountNotNamedError(account));
    const cached = this.credentials.get(account);
    if (cached && (cached.expiresAt === undefined || cached.expiresAt - this.now() > RENEW_BEFORE_MS)) {
      return cached.credentials;
    }
    const entry: CachedCredentials = { credentials: this.assumeRole(account) };
    this.credentials.set(account, entry);
    entry.credentials.then(
      (credentials) => {
        entry.expiresAt = credentials.expiration.getTime();
      },
      // A failure is not cached: the next attempt may succeed once the role exists.
      () => this.credentials.delete(account),
    );
    return entry.credentials;
  }

  private async assumeRole(account: string): Promise<TemporaryCredentials> {
    const roleArn = `arn:aws:iam::${account}:role/${this.options.roleName}`;
    try {
      const { Credentials: c } = await this.sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: "peering-autopilot",
          ...(this.options.externalId && { ExternalId: this.options.externalId }),
        }),
      );
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new Error("AssumeRole returned no credentials");
      }
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: new Date(c.Expiration),
      };
    } catch (error) {
      throw new RoleAssumptionError(account, roleArn, this.options.stsRegion, error);
    }
  }
}

/**
 * One connection pool for every EC2 client of a container: a sweep of hundreds of account-regions, each
 * with calls in flight, must stay well within Lambda's 1,024 file descriptors. A call beyond the pool's
 * sockets waits in it after taking its token, so EC2 sees it later than the pacer counted, never sooner.
 */
export const EC2_CONNECTIONS = new Agent({ keepAlive: true, maxTotalSockets: 256 });

/**
 * No explicit endpoint, so the standard AWS_ENDPOINT_URL variables can point every client at an
 * emulator. Adaptive retries absorb EC2's RequestLimitExceeded without hand-written loops: the pacer
 * sees only this container's calls, not other containers' nor other automation's in the account.
 */
function clientDefaults() {
  return { retryMode: "adaptive", maxAttempts: 5 } as const;
}
