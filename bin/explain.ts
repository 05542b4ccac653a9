import { decide } from "../shared/decision/decide";
import type { Decision } from "../shared/decision/decision";
import { loadPolicy } from "../shared/policy/load-policy";
import { isInRemit } from "../shared/policy/match-rule";
import { readExplainInput } from "./explain-input";
import { formatDecision } from "./format-decision";
import { EXIT, type Io } from "./io";

export type ExplainSource =
  | { kind: "file"; file: string }
  | { kind: "live"; connectionId: string; account: string; region: string };

export interface ExplainOptions {
  source: ExplainSource;
  policyFile: string;
  json: boolean;
  /** The accepter VPC's CIDRs, for an EC2 connection that does not show them (a pending one). */
  accepterCidrs?: string[];
}

/**
 * `explain`: the decision the service would make, from a file or read live, printed with what it
 * could not take into account. It explains and changes nothing, so it succeeds whatever the action.
 */
export async function explain(options: ExplainOptions, io: Io): Promise<number> {
  const { source, policyFile } = options;
  const policy = loadPolicy(policyFile);
  if (source.kind === "file") {
    const input = readExplainInput(source.file, options.accepterCidrs);
    const { accepter } = input.facts.connection;
    const notes = [...input.notes];
    // As the service's workflow does: a request to an accepter the policy does not name is not its business.
    const pending = input.facts.connection.status === "pending-acceptance";
    if (pending && !isInRemit(policy, accepter.account, accepter.region)) {
      notes.push(
        `accepter account ${accepter.account} region ${accepter.region} is not named in the policy: the service would leave this request alone and decide nothing; shown is what decide() gives when asked`,
      );
    }
    const header = [`Policy: ${policyFile}`, `Source: ${source.file} (${input.kind})`];
    print(decide(input.facts, policy), header, notes, options.json, io);
    return EXIT.ok;
  }

  // Imported here so that `check` and offline explanations do not wait for the AWS SDK to load.
  const { readLiveFacts } = await import("./live-facts");
  const live = await readLiveFacts(policy, source);
  if (live.kind === "skipped") {
    const lines = options.json
      ? [JSON.stringify({ connectionId: source.connectionId, skipped: live.reason }, null, 2)]
      : [`Policy: ${policyFile}`, `Connection: ${source.connectionId}`, `Not decided: ${live.reason}`];
    for (const line of lines) io.out(line);
    return EXIT.ok;
  }
  const header = [
    `Policy: ${policyFile}`,
    `Source: AWS, read as ${live.caller.arn} (read-only: nothing was changed)`,
  ];
  print(decide(live.facts, policy), header, [], options.json, io);
  return EXIT.ok;
}

/** JSON keeps stdout to the decision alone, so notes go to stderr there; text prints them after it. */
function print(decision: Decision, header: string[], notes: string[], json: boolean, io: Io): void {
  if (json) {
    io.out(JSON.stringify(decision, null, 2));
    for (const note of notes) io.err(`note: ${note}`);
    return;
  }
  for (const line of [...header, ...formatDecision(decision)]) io.out(line);
  if (notes.length > 0) {
    io.out("Notes:");
    for (const note of notes) io.out(`  - ${note}`);
  }
}
