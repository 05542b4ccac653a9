import "./env";
import { CreateTagsCommand, DeleteVpcPeeringConnectionCommand, EC2Client } from "@aws-sdk/client-ec2";
import type { Context } from "aws-lambda";
import { formatPolicyError } from "../bin/check";
import { main as peeringCli } from "../bin/main";
import { handler as approvalTagHandler } from "../functions/on-approval-tag";
import { handler as peeringChangeHandler } from "../functions/on-peering-change";
import { handler as peeringRequestHandler } from "../functions/on-peering-request";
import { handler as reconcileHandler } from "../functions/reconcile";
import { approvalTagEvent, deliverQueued, installModel, peeringCallEvent, requestPeering } from "../model";
import { loadPolicy } from "../shared/policy/load-policy";
import { PolicyError } from "../shared/policy/policy-error";
import type { Policy } from "../shared/policy/schema";
import type { HandleResult } from "../shared/workflow/handle-connection";
import type { ReconcileSummary } from "../shared/workflow/reconcile";
import { groupSnapshot, heading, line, printChanges, printDecision, printSubnets, snapshot } from "./print";
import { ACCEPTER, demoWorld, REQUESTER, VENDOR } from "./world";

/**
 * Replays peering requests through the real handler, unchanged, against the in-memory model of
 * EC2 and STS, with the example policy, and prints what it decided and did to the route tables.
 */
const policyPath = process.env.POLICY_PATH ?? "policy.yml";
const policy = loadDemoPolicy(policyPath);
const {
  world,
  shared,
  payments,
  analytics,
  legacy,
  reporting,
  dataLake,
  orders,
  vendorEtl,
  vendorSandbox,
  names,
} = demoWorld();
installModel(world);
// Each function's queue hands it raw JSON, one event a message; the parser middleware types it.
type Handler = (event: unknown, context: Context) => Promise<unknown>;
const handler = peeringRequestHandler as unknown as Handler;
const reconcile = reconcileHandler as unknown as Handler;
const onApprovalTag = approvalTagHandler as unknown as Handler;
const onPeeringChange = peeringChangeHandler as unknown as Handler;
const context = {
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCEPTER}:function:peering-autopilot-demo-onPeeringRequest`,
  functionName: "peering-autopilot-demo-onPeeringRequest",
  awsRequestId: "demo",
  getRemainingTimeInMillis: () => 120_000,
} as Context;

line("peering-autopilot demo: the real handler against an in-memory EC2 and STS (no AWS account needed)");
line(
  `Policy: ${policyPath}, rules ${policy.rules.map((r) => `'${r.name}'${r.mode ? ` (${r.mode})` : ""}`).join(", ")}; mode ${policy.mode}; unmatched requests: ${policy.unmatched}`,
);
line(`Functions run in ${ACCEPTER} (accepter); they assume peering-autopilot-execution in ${REQUESTER}.`);

const scenarios = [
  { title: "1. Approved: cross-account, inter-region (eu-west-1 → us-east-1)", requester: payments },
  { title: "2. Rejected: a requester CIDR outside the allowlist", requester: analytics },
  { title: "3. Rejected: CIDRs overlapping the shared-services VPC", requester: legacy },
  {
    title: "4. Report mode: rule 'data-platform-trial' decides, and nothing in AWS changes",
    requester: dataLake,
  },
];
const cli = { out: (text: string) => line(`    ${text}`), err: (text: string) => line(`    ${text}`) };

const connections: string[] = [];
for (const { title, requester } of scenarios) {
  heading(title);
  const tables = () => [
    ...snapshot(world, shared, names[shared] ?? ""),
    ...snapshot(world, requester, names[requester] ?? ""),
  ];
  const before = tables();
  const { connectionId, event } = requestPeering(world, { requesterVpcId: requester, accepterVpcId: shared });
  connections.push(connectionId);
  const vpc = world.vpc(requester);
  const cidrs = [...vpc.cidrs, ...vpc.ipv6Cidrs].map((c) => c.cidr).join(", ");
  line(`  Request ${connectionId} from ${names[requester]} VPC ${vpc.id}, ${vpc.ownerId} ${vpc.region}`);
  line(`    CIDRs ${cidrs}`);
  line(`  to ${names[shared]} VPC ${shared}, ${ACCEPTER} us-east-1`);

  const result = (await deliverQueued(handler, event, context)) as HandleResult;
  if (result.kind === "decided") printDecision(result.record);
  else if (result.kind === "skipped") line(`  Left alone: ${result.reason}`);
  else line(`  Failed: ${result.failure.message}`);
  line(`  Connection status now: ${world.peering(connectionId).status.code}`);
  line("  Route tables of both VPCs, before and after (+ added, - removed):");
  printChanges(before, tables());
}

heading("5. The plan of the next pass, before it runs (`npm run peering -- plan`)");
const lost = requestPeering(world, { requesterVpcId: reporting, accepterVpcId: shared }).connectionId;
line(`  ${lost}: a request whose CreateVpcPeeringConnection event was lost (${names[reporting]} VPC)`);
const [deleted = ""] = connections;
world.setPeeringStatus(deleted, "deleted");
line(`  ${deleted}: the payments connection, now deleted; its routes are blackholes`);
line("  The plan, read-only, with the approver's credentials:");
const planCode = await peeringCli(["plan"], cli);
line(`  Exit code ${planCode}: 2 means a pass would change something (as terraform plan -detailed-exitcode)`);
line("  The same plan as a Mermaid graph (`plan --format mermaid`, renders on GitHub):");
// Printed as it is, fenced for pasting into markdown: a wrapped line would not parse.
console.log("```mermaid");
await peeringCli(["plan", "--format", "mermaid"], { out: (text) => console.log(text), err: cli.err });
console.log("```");

heading("6. The scheduled reconciler repairs what events missed, as planned");
const before = [shared, payments, reporting].flatMap((vpc) => snapshot(world, vpc, names[vpc] ?? ""));
const tick = { "detail-type": "Scheduled Event", source: "aws.events" };
const summary = (await deliverQueued(reconcile, tick, context)) as ReconcileSummary;
line(
  `  Swept ${summary.targets} account-region(s), ${summary.connections} connection(s): ${Object.entries(
    summary.actions,
  )
    .map(([action, count]) => `${count} ${action}`)
    .join(
      ", ",
    )}; ${summary.changed} changed, ${summary.reportOnly} in report mode (not carried out), ${summary.errors.length} error(s)`,
);
line(
  `  ${lost} is now ${world.peering(lost).status.code}; ${deleted} is ${world.peering(deleted).status.code}`,
);
line("  Route tables, before and after the pass (+ added, - removed):");
printChanges(
  before,
  [shared, payments, reporting].flatMap((vpc) => snapshot(world, vpc, names[vpc] ?? "")),
);

heading("7. A vendor's requests wait for a person (rule 'vendor-onboarding', approval: required)");
const etl = requestPeering(world, { requesterVpcId: vendorEtl, accepterVpcId: shared }).connectionId;
const sandbox = requestPeering(world, { requesterVpcId: vendorSandbox, accepterVpcId: shared }).connectionId;
line(`  ${etl} from ${names[vendorEtl]} and ${sandbox} from ${names[vendorSandbox]}, account ${VENDOR}`);
line(
  "  The vendor is outside the organisation: no event reaches us. The pending pass (every minute) finds them:",
);
const pendingTick = { pass: "pending", time: world.now().toISOString() };
const pendingSummary = (await deliverQueued(reconcile, pendingTick, context)) as ReconcileSummary;
line(
  `  Pending pass: ${pendingSummary.connections} request(s): ${Object.entries(pendingSummary.actions)
    .map(([action, count]) => `${count} ${action}`)
    .join(
      ", ",
    )}: the vendor's two stay pending-acceptance and are announced once; the data-lake request is still decided in report mode, and left as it is`,
);
line("  What an approver sees (`npm run peering -- pending`):");
await peeringCli(["pending"], cli);

heading("8. Approved by tag: a person tags the connection, the CreateTags event does the rest");
const approver = `arn:aws:sts::${ACCEPTER}:assumed-role/network-approvers/alice`;
const beforeApproval = [shared, vendorEtl].flatMap((vpc) => snapshot(world, vpc, names[vpc] ?? ""));
line(`  ${approver} tags ${etl} with peering-approval=approve`);
const approval = await answer(etl, "approve", approver);
if (approval.kind === "decided") printDecision(approval.record);
line(`  Connection status now: ${world.peering(etl).status.code}`);
line("  Route tables, before and after (+ added): the rule routes only the tables tagged for partners");
printChanges(
  beforeApproval,
  [shared, vendorEtl].flatMap((vpc) => snapshot(world, vpc, names[vpc] ?? "")),
);

heading("9. Denied by tag");
line(`  ${approver} tags ${sandbox} with peering-approval=deny`);
const denial = await answer(sandbox, "deny", approver);
if (denial.kind === "decided") printDecision(denial.record);
line(`  Connection status now: ${world.peering(sandbox).status.code}`);

heading("10. Least access: only tagged subnets routed, one port opened (rule 'orders-to-shared-data')");
const leastAccessTables = () => [shared, orders].flatMap((vpc) => snapshot(world, vpc, names[vpc] ?? ""));
const sharedGroups = () => groupSnapshot(world, shared, names[shared] ?? "");
const tablesBeforeOrders = leastAccessTables();
const groupsBeforeOrders = sharedGroups();
const request = requestPeering(world, { requesterVpcId: orders, accepterVpcId: shared });
const ordersPcx = request.connectionId;
const ordersCidrs = world.vpc(orders).cidrs.map((c) => c.cidr);
line(`  Request ${ordersPcx} from ${names[orders]} VPC ${orders}, ${REQUESTER} us-east-1`);
line(`    CIDRs ${ordersCidrs.join(", ")}`);
line(
  "  The rule's routes.reach: each side's tables route only the peer's subnets tagged for it; its securityGroups: the shared-services groups tagged Peering=orders admit those subnets on tcp 5432",
);
const ordersResult = (await deliverQueued(handler, request.event, context)) as HandleResult;
if (ordersResult.kind === "decided") printDecision(ordersResult.record);
line(`  Connection status now: ${world.peering(ordersPcx).status.code}`);
line(`  Subnets, and whether the peer's tables route them: ${names[orders]} (reach.requester: Tier=app)`);
printSubnets(world, orders, shared, ordersPcx);
line(`  ${names[shared]} (reach.accepter: Tier=data)`);
printSubnets(world, shared, orders, ordersPcx);
line("  Route tables of both VPCs, before and after (+ added): subnet blocks, not the peer's /16");
const tablesWithOrders = leastAccessTables();
printChanges(tablesBeforeOrders, tablesWithOrders);
line(
  "  Security groups of shared-services, before and after: the group tagged Peering=orders admits the app subnets on 5432, each rule tagged with the connection",
);
const groupsWithOrders = sharedGroups();
printChanges(groupsBeforeOrders, groupsWithOrders);

heading("11. Least access, for an auditor: the policy offline, the organisation live");
line(
  `  \`npm run peering -- check --least-access ${policyPath}\`: offline, which rules route a whole peer VPC`,
);
const checkCode = await peeringCli(["check", "--least-access", policyPath], cli);
line(`  Exit code ${checkCode}: 1 while a rule routes a whole peer VPC, 0 when none does`);
line("  `npm run peering -- plan --least-access`: read-only, every route to a peering connection now");
const accessCode = await peeringCli(["plan", "--least-access"], cli);
line(`  Exit code ${accessCode}: 3 while a route has a whole peer VPC as its destination, 0 when none has`);

heading("12. Deleted: the routes and the security-group rules go with the connection");
line(
  `  A network administrator of ${ACCEPTER} deletes ${ordersPcx}; CloudTrail's DeleteVpcPeeringConnection event reaches onPeeringChange`,
);
await new EC2Client({ region: "us-east-1" }).send(
  new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: ordersPcx }),
);
const deletion = peeringCallEvent(
  "DeleteVpcPeeringConnection",
  { connectionId: ordersPcx, account: ACCEPTER, region: "us-east-1" },
  { time: world.now() },
);
const cleanup = (await deliverQueued(onPeeringChange, deletion, context)) as HandleResult;
if (cleanup.kind === "decided") printDecision(cleanup.record);
line(`  Connection status now: ${world.peering(ordersPcx).status.code}`);
line("  Route tables, before and after (- removed):");
printChanges(tablesWithOrders, leastAccessTables());
line("  Security groups of shared-services, before and after: only the rules tagged with the connection go");
printChanges(groupsWithOrders, sharedGroups());
line();

/**
 * A person of the accepter account answers with their own credentials, and CloudTrail records the
 * call; the handler re-reads the tag from EC2 and names who answered from the event.
 */
async function answer(connectionId: string, value: string, person: string): Promise<HandleResult> {
  const ec2 = new EC2Client({ region: "us-east-1" });
  await ec2.send(
    new CreateTagsCommand({ Resources: [connectionId], Tags: [{ Key: "peering-approval", Value: value }] }),
  );
  const call = { connectionId, account: ACCEPTER, region: "us-east-1", value, principal: person };
  const event = approvalTagEvent(call, { time: world.now() });
  const [result] = (await deliverQueued(onApprovalTag, event, context)) as HandleResult[];
  if (!result) throw new Error(`no decision for ${connectionId}`);
  return result;
}

/** An invalid policy is the user's to fix: said as `peering check` says it, not as a stack trace. */
function loadDemoPolicy(path: string): Policy {
  try {
    return loadPolicy(path);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    for (const problem of formatPolicyError(error)) console.error(problem);
    process.exit(1);
  }
}
