// Plain data held by the World. Operations read and change these records; tests and the demo read them.

import type { PeeringStatus } from "../shared/facts";

/** The lifecycle EC2 documents; the service's facts name the same states. */
export type PeeringStatusCode = PeeringStatus;

/** The account and region a call is made in, as AWS would see it. */
export interface Caller {
  account: string;
  region: string;
  /** The assumed-role session whose credentials made the call; none for the function's own credentials. */
  session?: IssuedCredentials;
}

export interface RoleRecord {
  name: string;
  externalId?: string;
}

export interface AccountRecord {
  id: string;
  /** The execution role this service assumes there; undefined means there is none. */
  role?: RoleRecord;
}

export interface CidrAssociation {
  cidr: string;
  associationId: string;
}

export interface VpcRecord {
  id: string;
  ownerId: string;
  region: string;
  /** The first one is the primary CIDR (Vpc.CidrBlock). */
  cidrs: CidrAssociation[];
  ipv6Cidrs: CidrAssociation[];
}

export interface SubnetRecord {
  id: string;
  vpcId: string;
  /** The VPC's owner and region: a subnet lives where its VPC does. */
  ownerId: string;
  region: string;
  availabilityZone: string;
  /** Exactly one IPv4 block, inside one of the VPC's. */
  cidr: string;
  /** At most one IPv6 block, inside one of the VPC's. */
  ipv6Cidr?: CidrAssociation;
  tags: Record<string, string>;
}

/** Where a rule lets traffic come from (ingress) or go to (egress): exactly one of these, as in EC2. */
export type RuleSource =
  | { cidrIpv4: string }
  | { cidrIpv6: string }
  | { referencedGroup: ReferencedGroup }
  | { prefixListId: string };

export interface ReferencedGroup {
  groupId: string;
  /** The referenced group's owner. */
  userId: string;
  /** Set for a group in a peered VPC, with the connection the reference goes through. */
  vpcId?: string;
  vpcPeeringConnectionId?: string;
}

export interface SecurityGroupRuleRecord {
  id: string;
  groupId: string;
  isEgress: boolean;
  /** `tcp`, `udp`, `icmp`, `icmpv6`, another protocol's number, or `-1` for all. */
  protocol: string;
  /** The port range (ICMP: type and code); -1 and -1 where the protocol has no ports or all are meant. */
  fromPort: number;
  toPort: number;
  source: RuleSource;
  description?: string;
  /** Rules are taggable resources of their own. */
  tags: Record<string, string>;
}

export interface SecurityGroupRecord {
  id: string;
  vpcId: string;
  /** The VPC's owner and region: a group lives where its VPC does. */
  ownerId: string;
  region: string;
  /** Unique within the VPC. */
  name: string;
  description: string;
  tags: Record<string, string>;
  /** Ingress and egress rules, in the order they were added. */
  rules: SecurityGroupRuleRecord[];
}

export type RouteTarget =
  | { gatewayId: string }
  | { natGatewayId: string }
  | { vpcPeeringConnectionId: string }
  | { transitGatewayId: string };

export interface RouteRecord {
  /** IPv4 or IPv6 CIDR. */
  destination: string;
  target: RouteTarget;
  state: "active" | "blackhole";
  origin: "CreateRouteTable" | "CreateRoute";
}

export interface RouteTableRecord {
  id: string;
  vpcId: string;
  ownerId: string;
  region: string;
  main: boolean;
  /** Subnets explicitly associated with the table. */
  subnetIds: string[];
  tags: Record<string, string>;
  routes: RouteRecord[];
}

export interface PeeringSide {
  vpcId: string;
  ownerId: string;
  region: string;
  /** CIDRs when the connection was made; active connections show the VPC's current ones instead. */
  cidrs: string[];
  ipv6Cidrs: string[];
  allowDnsResolutionFromRemoteVpc: boolean;
}

export interface PeeringRecord {
  id: string;
  requester: PeeringSide;
  accepter: PeeringSide;
  status: { code: PeeringStatusCode; message: string };
  expirationTime: Date;
  /** Tags are per account in AWS: each side sees only its own. */
  tagsByAccount: Record<string, Record<string, string>>;
  /** Describes still to answer NotFound (eventual consistency after CreateVpcPeeringConnection). */
  hiddenForDescribes: number;
  /** Describes still to show "provisioning" after acceptance. */
  describesUntilActive: number;
  /** Hidden from describes until this time of the world's clock (eventual consistency, in time). */
  visibleFrom?: Date;
  /** Once accepted, "provisioning" until this time of the world's clock. */
  activeFrom?: Date;
}

export interface IssuedCredentials {
  accessKeyId: string;
  account: string;
  roleName: string;
  sessionName: string;
  expiration: Date;
}

export interface CallRecord {
  service: "EC2" | "STS" | "EventBridge";
  operation: string;
  account: string;
  region: string;
  input: unknown;
  /** The error code (err.name) when the call failed. */
  error?: string;
  /** The call took effect, then the invocation crashed (see World.crashAfter). */
  crashedAfter?: true;
}

/**
 * How an injected fault fails the call: `client` (a 4xx service exception, e.g. RequestLimitExceeded,
 * AccessDenied), `server` (a 5xx service exception: InternalError, ServiceUnavailable) or `network` (no
 * response at all: an Error named TimeoutError, or a socket error with a `code` such as ECONNRESET).
 */
export type FaultKind = "client" | "server" | "network";

/** Which calls a fault or a crash point applies to; every field given must match. */
export interface CallMatcher {
  /** The operation (`CreateRoute`, `AssumeRole`, …), or `*` for any. */
  operation: string;
  service?: CallRecord["service"];
  /** The account making the call (for STS AssumeRole always the function's own: see roleAccount). */
  account?: string;
  region?: string;
  /** AssumeRole only: the account whose role is assumed. */
  roleAccount?: string;
  /** Fields of the call's input that must be deeply equal, e.g. `{ RouteTableId: "rtb-…" }`. */
  input?: Record<string, unknown>;
}

export interface Fault extends CallMatcher {
  /** The AWS error code (the exception's `name`), or for network faults TimeoutError / ECONNRESET / …. */
  error: string;
  /** Inferred when absent: 5xx codes are `server`, TimeoutError and E… codes `network`, the rest `client`. */
  kind?: FaultKind;
  httpStatusCode?: number;
  message?: string;
  /**
   * The call takes effect before it fails, as when its response is lost on the way back (a network
   * fault) or the service fails after committing. Default: it fails before touching state.
   */
  afterEffect?: boolean;
  /** Consecutive matching calls that fail (default 1; Infinity until `clearFaults()`). */
  times?: number;
}

export interface CrashPoint extends CallMatcher {
  /** The invocation dies after this many matching calls have taken effect (default 1). */
  times?: number;
}

/** A custom event put on an event bus (the service's audit trail). */
export interface PublishedEvent {
  busName: string;
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  account: string;
  region: string;
}
