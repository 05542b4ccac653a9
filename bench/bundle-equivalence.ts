/**
 * Does the packaged bundle behave as the plain bundle does? Runs the onPeeringRequest handler of
 * both against the same fake EC2 and EventBridge endpoint and compares what they send and return.
 *
 *   npx tsx bench/bundle-equivalence.ts        (npm run bench:bundle-equivalence)
 *
 * - reference: the handler bundled with esbuild's defaults for Node, as serverless.yml had it before
 *   the size work (the SDK's CommonJS builds, no plugin);
 * - packaged: the handler from the zip that `serverless package` writes with today's serverless.yml.
 *
 * Each runs in a fresh Node process with fake credentials and AWS_ENDPOINT_URL pointing at a local
 * HTTP server (127.0.0.1 only) that answers EC2 Query and EventBridge JSON calls with canned,
 * stateful answers: the connection is first not found (an EC2 error the waiter must recognise),
 * then pending, then active once accepted; routes created are listed afterwards. The comparison
 * covers every request (operation, content type, body), the handler's result or error, and its log
 * records, with timestamps and request ids taken out. The test suite runs the handlers from source;
 * this is the check that bundling changed nothing on the way to Lambda.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { sqsBatch } from "../model";
import { packageService } from "./package-service";
import { readZip, unzip } from "./zip";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ACCOUNT = "111111111111";
const REGION = "us-east-1";
const PCX = "pcx-0123456789abcdef0";
const ACCEPTER_VPC = "vpc-0f9e8d7c6b5a40001";
const REQUESTER_VPC = "vpc-0a1b2c3d4e5f60002";

interface Recorded {
  operation: string;
  contentType: string;
  body: string;
}

/** The fake AWS: EC2 (Query protocol, XML answers) and EventBridge (JSON), one account, one region. */
class FakeAws {
  readonly requests: Recorded[] = [];
  private status = "absent";
  private readonly routes = new Map<string, { destination: string; target: string }[]>();

  constructor(private readonly scenario: "accept" | "vpc-missing") {
    this.routes.set("rtb-0accepter0000001", [{ destination: "10.0.0.0/16", target: "local" }]);
    this.routes.set("rtb-0requester000001", [
      { destination: "10.24.0.0/16", target: "local" },
      { destination: "0.0.0.0/0", target: "nat-0123456789abcdef0" },
    ]);
  }

  handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    const target = String(request.headers["x-amz-target"] ?? "");
    const contentType = String(request.headers["content-type"] ?? "");
    if (target) {
      this.requests.push({ operation: target, contentType, body });
      const entries = (JSON.parse(body) as { Entries?: unknown[] }).Entries ?? [];
      response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      response.end(
        JSON.stringify({ FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `e-${i}` })) }),
      );
      return;
    }
    const params = new URLSearchParams(body);
    const action = params.get("Action") ?? "";
    this.requests.push({ operation: action, contentType, body });
    const answer = this.ec2(action, params);
    response.writeHead(answer.status, { "content-type": "text/xml;charset=UTF-8" });
    response.end(answer.xml);
  }

  private ec2(action: string, params: URLSearchParams): { status: number; xml: string } {
    const ok = (inner: string) => ({
      status: 200,
      xml: `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId>${inner}</${action}Response>`,
    });
    const error = (code: string, message: string) => ({
      status: 400,
      xml: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>r-1</RequestID></Response>`,
    });
    switch (action) {
      case "DescribeVpcPeeringConnections":
        if (this.status === "absent") {
          this.status = "pending-acceptance";
          return error(
            "InvalidVpcPeeringConnectionID.NotFound",
            `The vpcPeeringConnection ID '${PCX}' does not exist`,
          );
        }
        return ok(`<vpcPeeringConnectionSet>${this.connection()}</vpcPeeringConnectionSet>`);
      case "DescribeVpcs":
        if (this.scenario === "vpc-missing") {
          return error("InvalidVpcID.NotFound", `The vpc ID '${params.get("VpcId.1")}' does not exist`);
        }
        return ok(
          `<vpcSet><item><vpcId>${ACCEPTER_VPC}</vpcId><ownerId>${ACCOUNT}</ownerId><state>available</state><cidrBlock>10.0.0.0/16</cidrBlock><cidrBlockAssociationSet><item><cidrBlock>10.0.0.0/16</cidrBlock><associationId>vpc-cidr-assoc-01</associationId><cidrBlockState><state>associated</state></cidrBlockState></item><item><cidrBlock>10.1.0.0/16</cidrBlock><associationId>vpc-cidr-assoc-02</associationId><cidrBlockState><state>associated</state></cidrBlockState></item></cidrBlockAssociationSet><isDefault>false</isDefault><tagSet><item><key>Name</key><value>shared</value></item></tagSet></item></vpcSet>`,
        );
      case "DescribeRouteTables": {
        const ids = [...params.entries()].filter(([k]) => /^RouteTableId\.\d+$/.test(k)).map(([, v]) => v);
        const vpc = params.get("Filter.1.Value.1");
        const tables = [
          ["rtb-0accepter0000001", ACCEPTER_VPC],
          ["rtb-0requester000001", REQUESTER_VPC],
        ].filter(([id, owner]) => (ids.length > 0 ? ids.includes(id as string) : owner === vpc));
        return ok(
          `<routeTableSet>${tables.map(([id, owner]) => this.table(id as string, owner as string)).join("")}</routeTableSet>`,
        );
      }
      case "AcceptVpcPeeringConnection":
        this.status = "active";
        return ok(
          `<vpcPeeringConnection>${this.connection().slice("<item>".length, -"</item>".length)}</vpcPeeringConnection>`,
        );
      case "CreateRoute": {
        const table = this.routes.get(params.get("RouteTableId") ?? "");
        const destination =
          params.get("DestinationCidrBlock") ?? params.get("DestinationIpv6CidrBlock") ?? "";
        if (!table) return error("InvalidRouteTableID.NotFound", "no such route table");
        table.push({ destination, target: params.get("VpcPeeringConnectionId") ?? "" });
        return ok("<return>true</return>");
      }
      case "RejectVpcPeeringConnection":
        this.status = "rejected";
        return ok("<return>true</return>");
      case "CreateTags":
        return ok("<return>true</return>");
      default:
        return error("InvalidAction", `${action} is not faked`);
    }
  }

  private connection(): string {
    const accepterCidrs =
      this.status === "active"
        ? "<cidrBlock>10.0.0.0/16</cidrBlock><cidrBlockSet><item><cidrBlock>10.0.0.0/16</cidrBlock></item><item><cidrBlock>10.1.0.0/16</cidrBlock></item></cidrBlockSet><peeringOptions><allowDnsResolutionFromRemoteVpc>false</allowDnsResolutionFromRemoteVpc></peeringOptions>"
        : "";
    return `<item><vpcPeeringConnectionId>${PCX}</vpcPeeringConnectionId><requesterVpcInfo><ownerId>${ACCOUNT}</ownerId><vpcId>${REQUESTER_VPC}</vpcId><cidrBlock>10.24.0.0/16</cidrBlock><cidrBlockSet><item><cidrBlock>10.24.0.0/16</cidrBlock></item></cidrBlockSet><ipv6CidrBlockSet><item><ipv6CidrBlock>fd00:16:24::/48</ipv6CidrBlock></item></ipv6CidrBlockSet><region>${REGION}</region></requesterVpcInfo><accepterVpcInfo><ownerId>${ACCOUNT}</ownerId><vpcId>${ACCEPTER_VPC}</vpcId>${accepterCidrs}<region>${REGION}</region></accepterVpcInfo><status><code>${this.status}</code><message>${this.status}</message></status><expirationTime>2026-11-27T09:14:03.000Z</expirationTime><tagSet><item><key>team</key><value>payments</value></item></tagSet></item>`;
  }

  private table(id: string, vpc: string): string {
    const routes = (this.routes.get(id) ?? [])
      .map(({ destination, target }) => {
        const dest = destination.includes(":")
          ? `<destinationIpv6CidrBlock>${destination}</destinationIpv6CidrBlock>`
          : `<destinationCidrBlock>${destination}</destinationCidrBlock>`;
        const via = target.startsWith("pcx-")
          ? `<vpcPeeringConnectionId>${target}</vpcPeeringConnectionId>`
          : target.startsWith("nat-")
            ? `<natGatewayId>${target}</natGatewayId>`
            : `<gatewayId>${target}</gatewayId>`;
        return `<item>${dest}${via}<state>active</state><origin>CreateRoute</origin></item>`;
      })
      .join("");
    return `<item><routeTableId>${id}</routeTableId><vpcId>${vpc}</vpcId><ownerId>${ACCOUNT}</ownerId><routeSet>${routes}</routeSet><associationSet><item><routeTableAssociationId>rtbassoc-${id.slice(4)}</routeTableAssociationId><routeTableId>${id}</routeTableId><main>true</main><associationState><state>associated</state></associationState></item></associationSet><tagSet/></item>`;
  }
}

const EVENT = {
  version: "0",
  id: "5d0e8a3c-1f42-4b7e-9a61-0c2f4d9e7b11",
  "detail-type": "AWS API Call via CloudTrail",
  source: "aws.ec2",
  account: ACCOUNT,
  time: "2026-11-20T09:14:03Z",
  region: REGION,
  resources: [],
  detail: {
    eventSource: "ec2.amazonaws.com",
    eventName: "CreateVpcPeeringConnection",
    awsRegion: REGION,
    requestParameters: { vpcId: REQUESTER_VPC, peerVpcId: ACCEPTER_VPC },
    responseElements: {
      vpcPeeringConnection: {
        vpcPeeringConnectionId: PCX,
        accepterVpcInfo: { ownerId: ACCOUNT, vpcId: ACCEPTER_VPC, region: REGION },
      },
    },
  },
};

// As the function's queue delivers it: one event, as JSON, in one SQS message. Built once, so that both
// bundles get the very same batch.
const BATCH = sqsBatch(EVENT);

const POLICY = `version: 1
rules:
  - name: bench
    accepter: { accounts: ["${ACCOUNT}"] }
    requester: { accounts: ["${ACCOUNT}"], cidrs: ["10.16.0.0/12", "fd00:16::/32"] }
`;

// Runs in the child: invoke the handler once, write its result (or error) to a file.
const CHILD = `
const [url, out] = process.argv.slice(1);
const { writeFileSync } = require("node:fs");
const context = {
  functionName: "peering-autopilot-bench-onPeeringRequest", functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:${REGION}:${ACCOUNT}:function:peering-autopilot-bench-onPeeringRequest",
  memoryLimitInMB: "256", awsRequestId: "00000000-0000-0000-0000-000000000001",
  logGroupName: "/aws/lambda/bench", logStreamName: "bench", callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 120000,
};
import(url)
  .then(({ handler }) => handler(${JSON.stringify(BATCH)}, context))
  .then(
    (result) => writeFileSync(out, JSON.stringify({ result })),
    (error) => writeFileSync(out, JSON.stringify({ error: { name: error.name, message: error.message } })),
  );
`;

const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g;
/** Takes out what differs from run to run whatever the bundle: times and ids. */
function normalise(text: string): string {
  return text.replace(/%3A/gi, ":").replace(TIME, "<time>");
}
function logRecords(stdout: string): unknown[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      for (const key of ["timestamp", "xray_trace_id", "sampling_rate"]) delete record[key];
      // A metrics record (embedded metric format) carries the time it was written, and time to route.
      const emf = record._aws as { Timestamp?: number } | undefined;
      if (emf) delete emf.Timestamp;
      if (typeof record.TimeToRoute === "number" || Array.isArray(record.TimeToRoute))
        record.TimeToRoute = "<seconds>";
      return JSON.parse(normalise(JSON.stringify(record))) as unknown;
    });
}

async function run(bundle: string, scenario: "accept" | "vpc-missing", folder: string) {
  const fake = new FakeAws(scenario);
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => fake.handle(request, Buffer.concat(chunks).toString("utf8"), response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  writeFileSync(join(folder, "bench-policy.yml"), POLICY);
  const out = join(folder, `result-${scenario}.json`);
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["-e", CHILD, pathToFileURL(bundle).href, out],
      {
        cwd: folder,
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          AWS_REGION: REGION,
          AWS_ACCESS_KEY_ID: "AKIDBENCH",
          AWS_SECRET_ACCESS_KEY: "bench-secret",
          AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
          AWS_LAMBDA_FUNCTION_NAME: "peering-autopilot-bench-onPeeringRequest",
          POLICY_PATH: "bench-policy.yml",
          EVENT_BUS_NAME: "peering-autopilot-bench",
          POWERTOOLS_LOG_LEVEL: "DEBUG",
          VISIBLE_WAIT_SECONDS: "10",
          ACTIVE_WAIT_SECONDS: "10",
        },
        timeout: 60_000,
      },
    );
    return {
      requests: fake.requests.map((r) => ({ ...r, body: normalise(r.body) })),
      outcome: JSON.parse(normalise(readFileSync(out, "utf8"))) as unknown,
      logs: logRecords(stdout),
    };
  } finally {
    server.close();
  }
}

/** The reference: the handler bundled as serverless.yml bundled it before (esbuild's Node defaults). */
async function referenceBundle(folder: string): Promise<string> {
  const outfile = join(folder, "functions", "on-peering-request.mjs");
  await build({
    absWorkingDir: root,
    entryPoints: ["functions/on-peering-request.ts"],
    bundle: true,
    minify: true,
    sourcemap: false,
    format: "esm",
    platform: "node",
    target: "node24",
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    outfile,
    logLevel: "error",
  });
  return outfile;
}

/** The packaged handler: `serverless package` (from a copy), then its bundle out of the zip (stored or deflated). */
function packagedBundle(folder: string): string {
  const packaged = join(folder, "package");
  packageService(root, packaged);
  const zip = readFileSync(join(packaged, "onPeeringRequest.zip"));
  const into = join(folder, "unzipped");
  unzip(zip, readZip(zip), into);
  return join(into, "functions", "on-peering-request.mjs");
}

/** How each scenario must end: the action decided, or the start of the error's message. */
const EXPECTED = {
  accept: "accept",
  "vpc-missing": "peering connection pcx-0123456789abcdef0: not decided, reading its facts failed",
} as const;

/** The action the handler's one result records, else its error's message. */
function outcomeOf(outcome: unknown): string {
  const { result, error } = outcome as { result?: unknown; error?: { message?: string } };
  // An event function answers its batch with one result per message.
  const [first] = Array.isArray(result) ? result : [result];
  return (first as { record?: { action?: string } } | undefined)?.record?.action ?? error?.message ?? "?";
}

async function main(): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), "peering-autopilot-equivalence-"));
  try {
    const reference = await referenceBundle(join(work, "reference"));
    const packaged = packagedBundle(join(work, "packaged"));
    let differences = 0;
    for (const scenario of ["accept", "vpc-missing"] as const) {
      const a = await run(reference, scenario, dirname(dirname(reference)));
      const b = await run(packaged, scenario, dirname(dirname(packaged)));
      const parts = ["requests", "outcome", "logs"] as const;
      const differing = parts.filter((part) => JSON.stringify(a[part]) !== JSON.stringify(b[part]));
      const summary = `${a.requests.length} requests (${[...new Set(a.requests.map((r) => r.operation))].join(", ")}), ${a.logs.length} log records`;
      if (differing.length === 0) console.log(`same  ${scenario}: ${summary}`);
      else {
        differences++;
        console.log(`DIFF  ${scenario}: ${differing.join(", ")} differ`);
        for (const part of differing) {
          // The first element (request, log record) that differs, or the whole outcome.
          const [x, y] = [a[part], b[part]].map((v) => (Array.isArray(v) ? v : [v])) as [
            unknown[],
            unknown[],
          ];
          const i = x.findIndex((item, n) => JSON.stringify(item) !== JSON.stringify(y[n]));
          console.log(`  ${part}[${i}] reference: ${JSON.stringify(x[i] ?? null).slice(0, 1500)}`);
          console.log(`  ${part}[${i}] packaged:  ${JSON.stringify(y[i] ?? null).slice(0, 1500)}`);
        }
      }
      const ended = outcomeOf(a.outcome);
      console.log(`      outcome: ${ended}`);
      // A handler that fails before reaching AWS (refusing the event, say) fails alike in both bundles
      // and proves nothing: each scenario must reach the fake AWS and end as it is meant to.
      if (a.requests.length === 0 || !ended.startsWith(EXPECTED[scenario])) {
        differences++;
        console.log(`FAIL  ${scenario}: expected to reach AWS and end in '${EXPECTED[scenario]}'`);
      }
    }
    console.log(
      differences === 0 ? "\nthe packaged bundle behaves as the reference" : "\nthe bundles differ",
    );
    return differences === 0 ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
