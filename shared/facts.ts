/**
 * The facts a decision is made from: plain data read from the EC2 API, with no SDK types,
 * so that the core can be tested from tables and a decision can be explained from what it saw.
 */

export type PeeringStatus =
  | "initiating-request"
  | "pending-acceptance"
  | "provisioning"
  | "active"
  | "failed"
  | "rejected"
  | "expired"
  | "deleting"
  | "deleted";

/** A route as it stands in a route table; `target` is the target's id (`local`, `igw-…`, `pcx-…`, …). */
export interface Route {
  destination: string;
  target: string;
  state?: string;
}

export interface RouteTable {
  id: string;
  main: boolean;
  tags: Record<string, string>;
  routes: Route[];
}

/** Where a VPC lives. */
export interface VpcLocation {
  account: string;
  region: string;
  vpcId: string;
}

/** One side of a peering connection as the EC2 API describes it. */
export interface PeeringSide extends VpcLocation {
  /** IPv4 and IPv6 blocks; empty when the API returned none. */
  cidrs: string[];
}

export interface PeeringConnection {
  id: string;
  status: PeeringStatus | string;
  requester: PeeringSide;
  accepter: PeeringSide;
  tags: Record<string, string>;
  /** Whether each side already resolves the other side's private DNS names (its peering options). */
  dnsResolution: { requester: boolean; accepter: boolean };
  /** When a pending request expires (ISO 8601): EC2 sets it 7 days after the request was made. */
  expiresAt?: string;
}

/** A subnet of a VPC: its id, its IPv4 and IPv6 blocks, and its tags. */
export interface Subnet {
  id: string;
  cidrs: string[];
  tags: Record<string, string>;
}

/** What is known of one side's subnets: read, or not readable (and why). */
export type SubnetsRead = { readable: true; subnets: Subnet[] } | { readable: false; reason: string };

/**
 * An ingress rule as EC2 lists it, reduced to what the service compares: protocol by name (`tcp`, `udp`,
 * `icmp`, `icmpv6`, `-1` for all, else its number), ports (-1 when the protocol has none) and the CIDR
 * source. Rules with other sources (groups, prefix lists) have no `cidr`.
 */
export interface IngressRule {
  protocol: string;
  fromPort: number;
  toPort: number;
  cidr?: string;
}

/** A rule the service tagged `peering-autopilot:connection`: its id and the connection it was made for. */
export interface TaggedRule extends IngressRule {
  id: string;
  connectionId: string;
}

/**
 * A security group of a VPC: its tags, every ingress rule (whoever made it), and the rules among them
 * that carry the service's connection tag.
 */
export interface SecurityGroup {
  id: string;
  tags: Record<string, string>;
  ingress: IngressRule[];
  tagged: TaggedRule[];
}

/**
 * Which security groups a read returns: `all` of the VPCs' groups (a rule opens some), or only those
 * holding the service's `own` rules (no rule opens any: all that can be left to do is revoke them).
 */
export type GroupsRead = "all" | "own";

/** What is known of one side's security groups: read, or not readable (and why). */
export type SecurityGroupsRead =
  | { readable: true; groups: SecurityGroup[] }
  | { readable: false; reason: string };

/** What is known of one side's route tables: read, or not readable (and why). */
export type RouteTablesRead = { readable: true; tables: RouteTable[] } | { readable: false; reason: string };

/**
 * The quotas a request is checked against before it is accepted: the routes a route table may hold
 * (local routes aside), the active peering connections a VPC may have, either side, and the inbound
 * rules a security group may hold, counted apart for IPv4 and IPv6 sources as AWS counts them.
 */
export interface Quotas {
  routesPerTable: number;
  activePeeringsPerVpc: number;
  rulesPerSecurityGroup: number;
}

export interface DecisionFacts {
  connection: PeeringConnection;
  /**
   * The accepter VPC's CIDRs from DescribeVpcs in the accepter account (authoritative); the
   * connection's own copy only when the accepter account cannot be read.
   */
  accepterCidrs: string[];
  /** Each side's tables are read in its own account, through a role that may not be available. */
  accepterRouteTables: RouteTablesRead;
  requesterRouteTables: RouteTablesRead;
  /**
   * Each side's subnets, read (in its own account) only when a rule of the policy routes to subnets:
   * absent, they were not read.
   */
  accepterSubnets?: SubnetsRead;
  requesterSubnets?: SubnetsRead;
  /**
   * Each side's security groups with their ingress rules, read (in its own account) only when a rule of
   * the policy opens security groups: absent, they were not read.
   */
  accepterSecurityGroups?: SecurityGroupsRead;
  requesterSecurityGroups?: SecurityGroupsRead;
  /** When the facts were read (ISO 8601): how long a pending request has left is judged against it. */
  readAt?: string;
  /**
   * Who tagged the connection with `peering-approval`, as the CloudTrail event that triggered this
   * decision names them (principal ARN). Only the tag read from EC2 says what the answer is.
   */
  answeredBy?: string;
  /** Absent: nothing is checked against quotas (facts read before quotas were configured). */
  quotas?: Quotas;
  /**
   * The accepter VPC's active peering connections, either side, this one aside; read only for a pending
   * request. Absent: its quota is not checked.
   */
  accepterActivePeerings?: number;
  /**
   * What decisions made earlier in the same pass create before this one is carried out (a pass carries a
   * phase's decisions out together): routes by route table id, inbound rules by `sg-… IPv4` or
   * `sg-… IPv6`. Counted against the quotas with what the tables and groups hold, so that two
   * connections cannot together fill a table or a group past its quota. Absent: nothing is planned.
   */
  plannedMeanwhile?: PlannedMeanwhile;
}

export interface PlannedMeanwhile {
  routes: Record<string, number>;
  rules: Record<string, number>;
}
