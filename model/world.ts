import { cidrsOverlap, cidrWithin, isIpv6Cidr, isNetworkCidr, prefixLength } from "./cidr";
import { FaultPlan, type SimulatedCrash } from "./faults";
import { IdSequence } from "./ids";
import { type Ec2RateLimitShapes, Ec2RateLimits } from "./rate-limits";
import { checkAddable, type RuleDraft, ruleDraft } from "./security-group-rules";
import type {
  AccountRecord,
  CallRecord,
  CrashPoint,
  Fault,
  IssuedCredentials,
  PeeringRecord,
  PeeringSide,
  PeeringStatusCode,
  PublishedEvent,
  RoleRecord,
  RouteRecord,
  RouteTableRecord,
  RouteTarget,
  RuleSource,
  SecurityGroupRecord,
  SecurityGroupRuleRecord,
  SubnetRecord,
  VpcRecord,
} from "./state";

export const EXECUTION_ROLE_NAME = "peering-autopilot-execution";
const PENDING_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export interface WorldOptions {
  /** DescribeVpcPeeringConnections calls that answer NotFound after CreateVpcPeeringConnection. */
  visibilityDelay: number;
  /** The same in time: milliseconds of the world's clock during which a new connection is not shown. */
  visibilityDelayMs: number;
  /** Describes that still show "provisioning" after AcceptVpcPeeringConnection (0: active on the next). */
  describesUntilActive: number;
  /** Milliseconds of the world's clock a connection stays "provisioning" after it is accepted. */
  activationDelayMs: number;
  /** Describe the requester side with CidrBlock only, as older responses and emulators do. */
  omitCidrBlockSet: boolean;
  /** Non-local routes a route table may hold. */
  routeLimit: number;
  /** Rules a security group may hold per direction, counted separately for IPv4 and IPv6 (AWS: 60). */
  rulesPerGroup: number;
  /** EC2's request throttling (token buckets per account, region and action); none when undefined. */
  ec2RateLimits?: Ec2RateLimitShapes;
}

export interface VpcSpec {
  ownerId: string;
  region: string;
  vpcId?: string;
  cidrs: string[];
  ipv6Cidrs?: string[];
}

export interface RouteTableSpec {
  vpcId: string;
  main?: boolean;
  subnetIds?: string[];
  tags?: Record<string, string>;
  routes?: Array<{ destination: string; target: RouteTarget }>;
}

export interface SubnetSpec {
  vpcId: string;
  /** The subnet's IPv4 block: /16 to /28, inside one of the VPC's IPv4 blocks. */
  cidr: string;
  /** Its IPv6 block, inside one of the VPC's IPv6 blocks. */
  ipv6Cidr?: string;
  /** Default: the region's first zone (`us-east-1a`). */
  availabilityZone?: string;
  tags?: Record<string, string>;
}

/** A security-group rule: exactly one source (cidrIpv4, cidrIpv6, referencedGroupId or prefixListId). */
export interface RuleSpec {
  /** `tcp`, `udp`, `icmp`, `icmpv6`, a protocol number, or `-1` for all. */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  /** A group of the same VPC, or of a peered VPC with `vpcPeeringConnectionId`. */
  referencedGroupId?: string;
  vpcPeeringConnectionId?: string;
  prefixListId?: string;
  description?: string;
  tags?: Record<string, string>;
}

export interface SecurityGroupSpec {
  vpcId: string;
  /** Default: `group-` and the id's digits. */
  name?: string;
  /** Default: the name. */
  description?: string;
  tags?: Record<string, string>;
  ingress?: RuleSpec[];
  /** Default: EC2's one outbound rule for a new group, all traffic to 0.0.0.0/0; `[]` for none. */
  egress?: RuleSpec[];
}

export interface PeeringSpec {
  requesterVpcId: string;
  accepterVpcId: string;
  status?: PeeringStatusCode;
  /** Describes that answer NotFound before the connection shows up. */
  hiddenForDescribes?: number;
  /** Milliseconds of the world's clock before describes show the connection. */
  hiddenForMs?: number;
}

export class World {
  readonly homeAccount: string;
  readonly options: WorldOptions;
  clock: () => Date;
  readonly accounts = new Map<string, AccountRecord>();
  readonly vpcs = new Map<string, VpcRecord>();
  readonly routeTables = new Map<string, RouteTableRecord>();
  readonly subnets = new Map<string, SubnetRecord>();
  readonly securityGroups = new Map<string, SecurityGroupRecord>();
  readonly peerings = new Map<string, PeeringRecord>();
  readonly issuedCredentials = new Map<string, IssuedCredentials>();
  readonly calls: CallRecord[] = [];
  readonly published: PublishedEvent[] = [];
  /** Awaited by every call before it takes effect: a benchmark sets it to charge each call its latency. */
  network?: (call: CallRecord) => Promise<void>;
  /** Injected failures and crash points (see failNext, crashAfter). */
  readonly faults = new FaultPlan();
  private readonly ids = new IdSequence();
  private buckets: Ec2RateLimits | undefined;

  /** homeAccount is where the function runs: calls with its own (non-assumed) credentials land there. */
  constructor(init: { homeAccount: string; clock?: () => Date; options?: Partial<WorldOptions> }) {
    this.homeAccount = init.homeAccount;
    this.clock = init.clock ?? (() => new Date());
    this.options = {
      visibilityDelay: 0,
      visibilityDelayMs: 0,
      describesUntilActive: 0,
      activationDelayMs: 0,
      omitCidrBlockSet: false,
      routeLimit: 50,
      rulesPerGroup: 60,
      ...init.options,
    };
    this.addAccount(init.homeAccount);
  }

  now(): Date {
    return this.clock();
  }

  /** Moves the world's clock forward (time-based delays, expirations; waits inside the service stay real). */
  advanceClock(ms: number): this {
    const before = this.clock;
    this.clock = () => new Date(before().getTime() + ms);
    return this;
  }

  nextId(prefix: string): string {
    return this.ids.next(prefix);
  }

  // --- builders -------------------------------------------------------------------------------

  /** Adds (or replaces) an account; `role: false` means this service has no role to assume there. */
  addAccount(accountId: string, opts: { role?: RoleRecord | false } = {}): this {
    const role = opts.role === undefined ? { name: EXECUTION_ROLE_NAME } : opts.role || undefined;
    this.accounts.set(accountId, { id: accountId, role });
    return this;
  }

  addVpc(spec: VpcSpec): string {
    if (!this.accounts.has(spec.ownerId))
      throw new Error(`unknown account ${spec.ownerId}: addAccount first`);
    if (spec.cidrs.length === 0) throw new Error("a VPC needs a primary IPv4 CIDR");
    const id = spec.vpcId ?? this.nextId("vpc");
    if (this.vpcs.has(id)) throw new Error(`VPC ${id} already exists`);
    this.vpcs.set(id, { id, ownerId: spec.ownerId, region: spec.region, cidrs: [], ipv6Cidrs: [] });
    this.addRouteTable({ vpcId: id, main: true });
    for (const cidr of [...spec.cidrs, ...(spec.ipv6Cidrs ?? [])]) this.associateVpcCidr(id, cidr);
    return id;
  }

  addRouteTable(spec: RouteTableSpec): string {
    const vpc = this.vpc(spec.vpcId);
    const main = spec.main ?? false;
    if (main) for (const table of this.routeTablesOfVpc(vpc.id)) table.main = false;
    const id = this.nextId("rtb");
    const routes: RouteRecord[] = [...vpc.cidrs, ...vpc.ipv6Cidrs].map(({ cidr }) => localRoute(cidr));
    for (const { destination, target } of spec.routes ?? []) {
      routes.push({ destination, target, state: this.routeStateFor(target), origin: "CreateRoute" });
    }
    this.routeTables.set(id, {
      id,
      vpcId: vpc.id,
      ownerId: vpc.ownerId,
      region: vpc.region,
      main,
      subnetIds: [...(spec.subnetIds ?? [])],
      tags: { ...spec.tags },
      routes,
    });
    return id;
  }

  /**
   * A subnet as CreateSubnet makes it; its blocks must lie inside the VPC's and overlap no other subnet
   * of the VPC, as EC2 requires.
   */
  addSubnet(spec: SubnetSpec): string {
    const vpc = this.vpc(spec.vpcId);
    const others = this.subnetsOfVpc(vpc.id);
    checkSubnetBlock(vpc, spec.cidr, "ipv4", others);
    if (spec.ipv6Cidr !== undefined) {
      const taken = others.flatMap(({ id, ipv6Cidr }) => (ipv6Cidr ? [{ id, cidr: ipv6Cidr.cidr }] : []));
      checkSubnetBlock(vpc, spec.ipv6Cidr, "ipv6", taken);
    }
    const id = this.nextId("subnet");
    this.subnets.set(id, {
      id,
      vpcId: vpc.id,
      ownerId: vpc.ownerId,
      region: vpc.region,
      availabilityZone: spec.availabilityZone ?? `${vpc.region}a`,
      cidr: spec.cidr,
      ...(spec.ipv6Cidr !== undefined && {
        ipv6Cidr: { cidr: spec.ipv6Cidr, associationId: this.nextId("subnet-cidr-assoc") },
      }),
      tags: { ...spec.tags },
    });
    return id;
  }

  /** As DeleteSubnet: the subnet goes, and with it its explicit route-table associations. */
  removeSubnet(id: string): void {
    this.subnet(id);
    this.subnets.delete(id);
    for (const table of this.routeTables.values()) {
      table.subnetIds = table.subnetIds.filter((subnetId) => subnetId !== id);
    }
  }

  /**
   * A security group as CreateSecurityGroup makes it (with EC2's default outbound rule unless `egress`
   * says otherwise), with its rules checked as AuthorizeSecurityGroupIngress/Egress would check them.
   */
  addSecurityGroup(spec: SecurityGroupSpec): string {
    const vpc = this.vpc(spec.vpcId);
    const id = this.nextId("sg");
    const name = spec.name ?? id.replace(/^sg-/, "group-");
    if (name.startsWith("sg-")) throw new Error(`a security group's name cannot start with sg-: ${name}`);
    if (this.securityGroupsOfVpc(vpc.id).some((group) => group.name === name)) {
      throw new Error(`${vpc.id} already has a security group named ${name}`);
    }
    const egress = spec.egress ?? [{ protocol: "-1", cidrIpv4: "0.0.0.0/0" }];
    const specs = [
      ...(spec.ingress ?? []).map((rule) => ({ rule, isEgress: false })),
      ...egress.map((rule) => ({ rule, isEgress: true })),
    ];
    const drafts = specs.map(({ rule, isEgress }) => ({
      draft: this.ruleDraftOf(rule, isEgress, vpc.id),
      tags: rule.tags,
    }));
    checkAddable(
      [],
      drafts.map(({ draft }) => draft),
      this.options.rulesPerGroup,
    );
    this.securityGroups.set(id, {
      id,
      vpcId: vpc.id,
      ownerId: vpc.ownerId,
      region: vpc.region,
      name,
      description: spec.description ?? name,
      tags: { ...spec.tags },
      rules: [],
    });
    for (const { draft, tags } of drafts) this.insertSecurityGroupRules(id, [draft], tags);
    return id;
  }

  /** A rule put in place directly, as someone other than this service would add it; returns its id. */
  addSecurityGroupRule(groupId: string, spec: RuleSpec & { egress?: boolean }): string {
    const group = this.securityGroup(groupId);
    const draft = this.ruleDraftOf(spec, spec.egress ?? false, group.vpcId);
    const [rule] = this.insertSecurityGroupRules(groupId, [draft], spec.tags);
    return found(rule, "rule just added").id;
  }

  /** Creates a connection directly in a status, its sides copied from the VPCs as they are now. */
  addPeering(spec: PeeringSpec): string {
    const requester = this.vpc(spec.requesterVpcId);
    const accepter = this.vpc(spec.accepterVpcId);
    const id = this.nextId("pcx");
    this.peerings.set(id, {
      id,
      requester: sideOf(requester),
      accepter: sideOf(accepter),
      status: { code: "pending-acceptance", message: "" },
      expirationTime: new Date(this.now().getTime() + PENDING_LIFETIME_MS),
      tagsByAccount: {},
      hiddenForDescribes: spec.hiddenForDescribes ?? 0,
      describesUntilActive: 0,
      ...(spec.hiddenForMs && { visibleFrom: new Date(this.now().getTime() + spec.hiddenForMs) }),
    });
    this.setPeeringStatus(id, spec.status ?? "pending-acceptance");
    return id;
  }

  /** Returns the association id; the VPC's route tables get the local route. */
  associateVpcCidr(vpcId: string, cidr: string): string {
    const vpc = this.vpc(vpcId);
    const ipv6 = isIpv6Cidr(cidr);
    if (!isNetworkCidr(cidr, ipv6 ? "ipv6" : "ipv4")) throw new Error(`not a network CIDR: ${cidr}`);
    const list = ipv6 ? vpc.ipv6Cidrs : vpc.cidrs;
    if (list.some((entry) => entry.cidr === cidr)) throw new Error(`${vpcId} already has ${cidr}`);
    const associationId = this.nextId("vpc-cidr-assoc");
    list.push({ cidr, associationId });
    for (const table of this.routeTablesOfVpc(vpcId)) table.routes.push(localRoute(cidr));
    return associationId;
  }

  disassociateVpcCidr(vpcId: string, cidr: string): void {
    const vpc = this.vpc(vpcId);
    const before = vpc.cidrs.length + vpc.ipv6Cidrs.length;
    vpc.cidrs = vpc.cidrs.filter((entry) => entry.cidr !== cidr);
    vpc.ipv6Cidrs = vpc.ipv6Cidrs.filter((entry) => entry.cidr !== cidr);
    if (vpc.cidrs.length + vpc.ipv6Cidrs.length === before) throw new Error(`${vpcId} has no ${cidr}`);
    for (const table of this.routeTablesOfVpc(vpcId)) {
      table.routes = table.routes.filter((route) => !(isLocal(route) && route.destination === cidr));
    }
  }

  /**
   * The next `times` (default 1) matching calls fail with this error, before touching state: a service
   * exception (client or server fault) or a network error; see Fault. Faults are tried in the order given.
   */
  failNext(fault: Fault): this {
    this.faults.fail(fault);
    return this;
  }

  /**
   * The invocation dies right after the `times`-th (default 1) matching call took effect: that call
   * changes the world and is recorded, then it and every later call throw SimulatedCrash without
   * reaching the world, until recoverFromCrash() (Lambda runs the retry in a new container).
   */
  crashAfter(point: CrashPoint): this {
    this.faults.crashAfter(point);
    return this;
  }

  /** The crash that happened, if the invocation is dead. */
  get crashed(): SimulatedCrash | undefined {
    return this.faults.crashed;
  }

  /** A new container: calls reach the world again. */
  recoverFromCrash(): this {
    this.faults.crashed = undefined;
    return this;
  }

  /** Forgets every injected failure and crash point not yet consumed (the outage is over). */
  clearFaults(): this {
    this.faults.clear();
    return this;
  }

  /**
   * EC2's token buckets, made from `options.ec2RateLimits` when first needed (so a test may set the
   * option after construction) and made anew, full, when the option is replaced.
   */
  get rateLimits(): Ec2RateLimits | undefined {
    const shapes = this.options.ec2RateLimits;
    if (this.buckets?.shapes !== shapes) this.buckets = shapes && new Ec2RateLimits(shapes);
    return this.buckets;
  }

  // --- reads for assertions and the demo -----------------------------------------------------

  vpc(id: string): VpcRecord {
    return found(this.vpcs.get(id), `VPC ${id}`);
  }

  routeTable(id: string): RouteTableRecord {
    return found(this.routeTables.get(id), `route table ${id}`);
  }

  routeTablesOfVpc(vpcId: string): RouteTableRecord[] {
    return [...this.routeTables.values()].filter((table) => table.vpcId === vpcId);
  }

  subnet(id: string): SubnetRecord {
    return found(this.subnets.get(id), `subnet ${id}`);
  }

  subnetsOfVpc(vpcId: string): SubnetRecord[] {
    return [...this.subnets.values()].filter((subnet) => subnet.vpcId === vpcId);
  }

  peering(id: string): PeeringRecord {
    return found(this.peerings.get(id), `peering connection ${id}`);
  }

  securityGroup(id: string): SecurityGroupRecord {
    return found(this.securityGroups.get(id), `security group ${id}`);
  }

  securityGroupsOfVpc(vpcId: string): SecurityGroupRecord[] {
    return [...this.securityGroups.values()].filter((group) => group.vpcId === vpcId);
  }

  /** Its ingress and egress rules, in the order they were added. */
  securityGroupRules(groupId: string): SecurityGroupRuleRecord[] {
    return this.securityGroup(groupId).rules;
  }

  /** Calls that change (or tried to change) state: not Describe*, Get*, nor STS AssumeRole. */
  mutatingCalls(): CallRecord[] {
    return this.calls.filter(
      (call) =>
        !/^(Describe|Get)/.test(call.operation) &&
        !(call.service === "STS" && call.operation === "AssumeRole"),
    );
  }

  /** Calls that failed with RequestLimitExceeded: throttled by the buckets or by an injected fault. */
  throttledCalls(): CallRecord[] {
    return this.calls.filter((call) => call.error === "RequestLimitExceeded");
  }

  // --- used by the operations ----------------------------------------------------------------

  /** Changes the status and, as AWS does, makes routes to the connection active or blackhole. */
  setPeeringStatus(id: string, code: PeeringStatusCode, message?: string): void {
    const peering = this.peering(id);
    peering.status = { code, message: message ?? defaultStatusMessage(code, peering) };
    for (const table of this.routeTables.values()) {
      for (const route of table.routes) {
        if ("vpcPeeringConnectionId" in route.target && route.target.vpcPeeringConnectionId === id) {
          route.state = this.routeStateFor(route.target);
        }
      }
    }
  }

  /** Pending requests expire after 7 days; checked whenever a connection is looked at. */
  expireIfDue(peering: PeeringRecord): void {
    if (peering.status.code === "pending-acceptance" && this.now() >= peering.expirationTime) {
      this.setPeeringStatus(peering.id, "expired");
    }
  }

  /** Adds rules to a group, all or none: refused when one duplicates another or the quota would be exceeded. */
  insertSecurityGroupRules(
    groupId: string,
    drafts: RuleDraft[],
    tags: Record<string, string> = {},
  ): SecurityGroupRuleRecord[] {
    const group = this.securityGroup(groupId);
    checkAddable(group.rules, drafts, this.options.rulesPerGroup);
    const rules = drafts.map((draft) => ({ ...draft, id: this.nextId("sgr"), groupId, tags: { ...tags } }));
    group.rules.push(...rules);
    return rules;
  }

  routeStateFor(target: RouteTarget): RouteRecord["state"] {
    if (!("vpcPeeringConnectionId" in target)) return "active";
    return this.peerings.get(target.vpcPeeringConnectionId)?.status.code === "active"
      ? "active"
      : "blackhole";
  }

  private ruleDraftOf(spec: RuleSpec, isEgress: boolean, vpcId: string): RuleDraft {
    const { protocol, fromPort, toPort, description } = spec;
    return ruleDraft({
      isEgress,
      protocol,
      fromPort,
      toPort,
      description,
      source: this.ruleSource(spec, vpcId),
    });
  }

  private ruleSource(spec: RuleSpec, vpcId: string): RuleSource {
    const given = [spec.cidrIpv4, spec.cidrIpv6, spec.referencedGroupId, spec.prefixListId];
    if (given.filter((value) => value !== undefined).length !== 1) {
      throw new Error("a rule needs exactly one of cidrIpv4, cidrIpv6, referencedGroupId, prefixListId");
    }
    if (spec.cidrIpv4 !== undefined) return { cidrIpv4: spec.cidrIpv4 };
    if (spec.cidrIpv6 !== undefined) return { cidrIpv6: spec.cidrIpv6 };
    if (spec.prefixListId !== undefined) return { prefixListId: spec.prefixListId };
    const referenced = this.securityGroup(spec.referencedGroupId ?? "");
    const through = spec.vpcPeeringConnectionId;
    if (referenced.vpcId !== vpcId && through === undefined) {
      throw new Error(
        `${referenced.id} is in another VPC: name the peering connection the rule goes through`,
      );
    }
    if (through !== undefined) {
      const { requester, accepter } = this.peering(through);
      const sides = [requester.vpcId, accepter.vpcId];
      if (!sides.includes(vpcId) || !sides.includes(referenced.vpcId)) {
        throw new Error(`${through} does not connect ${vpcId} and ${referenced.vpcId}`);
      }
    }
    return {
      referencedGroup: {
        groupId: referenced.id,
        userId: referenced.ownerId,
        ...(through !== undefined && { vpcId: referenced.vpcId, vpcPeeringConnectionId: through }),
      },
    };
  }
}

export function isLocal(route: RouteRecord): boolean {
  return "gatewayId" in route.target && route.target.gatewayId === "local";
}

function localRoute(cidr: string): RouteRecord {
  return { destination: cidr, target: { gatewayId: "local" }, state: "active", origin: "CreateRouteTable" };
}

/** EC2's rules for a subnet's block of one family; `taken` are the VPC's other subnets' blocks. */
function checkSubnetBlock(
  vpc: VpcRecord,
  cidr: string,
  family: "ipv4" | "ipv6",
  taken: Array<{ id: string; cidr: string }>,
): void {
  const label = family === "ipv4" ? "IPv4" : "IPv6";
  if (!isNetworkCidr(cidr, family))
    throw new Error(`a subnet's ${label} block must be a network CIDR: ${cidr}`);
  if (family === "ipv4" && (prefixLength(cidr) < 16 || prefixLength(cidr) > 28)) {
    throw new Error(`a subnet's IPv4 block must be from /16 to /28: ${cidr}`);
  }
  const blocks = (family === "ipv4" ? vpc.cidrs : vpc.ipv6Cidrs).map((entry) => entry.cidr);
  if (!blocks.some((block) => cidrWithin(cidr, block))) {
    throw new Error(
      `${cidr} lies outside every ${label} block of ${vpc.id} (${blocks.join(", ") || "none"})`,
    );
  }
  const clash = taken.find((other) => cidrsOverlap(cidr, other.cidr));
  if (clash) throw new Error(`${cidr} overlaps ${clash.cidr} of ${clash.id}, another subnet of ${vpc.id}`);
}

function sideOf(vpc: VpcRecord): PeeringSide {
  return {
    vpcId: vpc.id,
    ownerId: vpc.ownerId,
    region: vpc.region,
    cidrs: vpc.cidrs.map((entry) => entry.cidr),
    ipv6Cidrs: vpc.ipv6Cidrs.map((entry) => entry.cidr),
    allowDnsResolutionFromRemoteVpc: false,
  };
}

function defaultStatusMessage(code: PeeringStatusCode, peering: PeeringRecord): string {
  const accepter = peering.accepter.ownerId;
  switch (code) {
    case "initiating-request":
      return `Initiating Request to ${accepter}`;
    case "pending-acceptance":
      return `Pending Acceptance by ${accepter}`;
    case "rejected":
      return `Rejected by ${accepter}`;
    default:
      return code.charAt(0).toUpperCase() + code.slice(1);
  }
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the model has no ${what}`);
  return value;
}
