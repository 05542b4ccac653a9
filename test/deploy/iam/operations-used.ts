// The AWS operations the service's code sends, read from the SDK commands, paginators and waiters it
// imports in shared/ and functions/ (bin/ is the CLI, which runs with the user's own credentials).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..", "..");

/** Each SDK client package the service uses, and the IAM service prefix of its operations. */
export const CLIENTS = {
  "client-ec2": "ec2",
  "client-sts": "sts",
  "client-eventbridge": "events",
  "client-sns": "sns",
} as const;
export type Client = keyof typeof CLIENTS;

// A waiter polls one describe operation; a new waiter must be added here to be counted.
const WAITERS: Record<string, string> = {
  waitUntilVpcPeeringConnectionExists: "DescribeVpcPeeringConnections",
  waitUntilVpcPeeringConnectionDeleted: "DescribeVpcPeeringConnections",
  waitUntilVpcExists: "DescribeVpcs",
  waitUntilVpcAvailable: "DescribeVpcs",
};

function sources(): string[] {
  return ["shared", "functions"].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => readFileSync(join(ROOT, dir, file), "utf8")),
  );
}

/** IAM actions (`ec2:CreateRoute`, …) of every operation the code imports from an SDK client, sorted. */
export function actionsUsed(client: Client): string[] {
  const found = new Set<string>();
  const imports = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*"@aws-sdk/${client}"`, "g");
  for (const source of sources()) {
    for (const [, names = ""] of source.matchAll(imports)) {
      for (const name of names.split(",").map((n) => n.trim())) {
        if (name.startsWith("type ")) continue;
        const operation = /^(?:paginate(\w+)|(\w+)Command)$/.exec(name);
        const waiter = name.startsWith("waitUntil") ? WAITERS[name] : undefined;
        if (name.startsWith("waitUntil") && !waiter) throw new Error(`${name}: add its operation to WAITERS`);
        const op = operation?.[1] ?? operation?.[2] ?? waiter;
        if (op) found.add(`${CLIENTS[client]}:${op}`);
      }
    }
  }
  return [...found].sort();
}
