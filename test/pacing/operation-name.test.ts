import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as ec2 from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { operationName, UNLISTED } from "../../shared/aws/pacing/operation-name";

const ROOT = join(import.meta.dirname, "..", "..");

/** A command class of the SDK by its operation's name, as the paginators and the service use it. */
function commandFor(operation: string): new (input: object) => object {
  const command = (ec2 as Record<string, unknown>)[`${operation}Command`];
  if (typeof command !== "function") throw new Error(`no ${operation}Command in @aws-sdk/client-ec2`);
  return command as new (
    input: object,
  ) => object;
}

/** The EC2 operations the service's code sends: commands it imports, and those its paginators send. */
function operationsUsed(): string[] {
  const files = ["shared", "bin", "functions"].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => join(ROOT, dir, file)),
  );
  const found = new Set<string>();
  for (const file of files) {
    const source = readFileSync(file, "utf8");
    for (const [, names] of source.matchAll(
      /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"@aws-sdk\/client-ec2"/g,
    )) {
      for (const name of (names ?? "").split(",").map((n) => n.trim())) {
        const operation = /^(?:paginate(\w+)|(\w+)Command)$/.exec(name);
        if (operation) found.add(operation[1] ?? operation[2] ?? "");
      }
    }
  }
  return [...found].sort();
}

describe("operationName", () => {
  it.each([
    "AcceptVpcPeeringConnection",
    "CreateRoute",
    "CreateTags",
    "DeleteRoute",
    "DescribeRouteTables",
    "DescribeVpcPeeringConnections",
    "DescribeVpcs",
    "ModifyVpcPeeringConnectionOptions",
    "RejectVpcPeeringConnection",
  ])("names %s from its command's class, not the class's (minified) name", (operation) => {
    const Command = commandFor(operation);
    expect(operationName(new Command({}))).toBe(operation);
  });

  it("puts any other command in the one shared bucket", () => {
    expect(operationName(new ec2.DeleteTagsCommand({ Resources: [] }))).toBe(UNLISTED);
    expect(operationName({})).toBe(UNLISTED);
  });

  it("lists every EC2 operation the service's code sends", () => {
    const used = operationsUsed();
    expect(used).toContain("DescribeVpcPeeringConnections");
    const unlisted = used.filter((operation) => operationName(new (commandFor(operation))({})) === UNLISTED);
    expect(unlisted).toEqual([]);
  });
});
