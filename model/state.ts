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
}

export interface Fault {
  operation: string;
  account?: string;
  region?: string;
  error: string;
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
