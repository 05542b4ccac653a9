/** One thing wrong with a policy file, located as precisely as the problem allows. */
export interface PolicyProblem {
  /** The rule's name, or `rules[3]` when the rule has no usable name; absent for top-level fields. */
  rule?: string;
  /** Dotted path inside the rule (or the document), e.g. `requester.cidrs[1]`. */
  field?: string;
  message: string;
}

/** A policy that does not parse or validate. The service must change nothing while it stands. */
export class PolicyError extends Error {
  override readonly name = "PolicyError";

  constructor(
    readonly file: string,
    readonly problems: PolicyProblem[],
  ) {
    super(`invalid policy ${file}:\n${problems.map((p) => `  - ${describeProblem(p)}`).join("\n")}`);
  }
}

export function describeProblem(problem: PolicyProblem): string {
  const where = [problem.rule && `rule '${problem.rule}'`, problem.field && `field ${problem.field}`]
    .filter(Boolean)
    .join(", ");
  return where ? `${where}: ${problem.message}` : problem.message;
}
