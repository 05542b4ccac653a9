import { CreateTagsCommand } from "@aws-sdk/client-ec2";
import { chunks } from "../../collections";
import { decisionTags } from "../../decision/decision-tags";
import type { CarryOutOptions, Job } from "./jobs";

// CreateTags takes up to 1,000 resources per call.
const MAX_RESOURCES = 1000;

/**
 * Tags each job's connection with its decision, in the accepter account and region. Connections that
 * get the same tags there share one CreateTags call; a failed call fails the jobs it carried.
 */
export async function tagDecisions(jobs: Job[], options: Pick<CarryOutOptions, "sessions" | "now">) {
  const groups = new Map<
    string,
    { account: string; region: string; tags: Record<string, string>; jobs: Job[] }
  >();
  for (const job of jobs) {
    if (job.error !== undefined) continue;
    const tags = decisionTags(job.decision, job.currentTags, options.now);
    if (Object.keys(tags).length === 0) continue;
    const { account, region } = job.decision.accepter;
    const key = JSON.stringify([account, region, tags]);
    const group = groups.get(key);
    if (group) group.jobs.push(job);
    else groups.set(key, { account, region, tags, jobs: [job] });
  }
  await Promise.all(
    [...groups.values()].flatMap(({ account, region, tags, jobs: tagged }) =>
      chunks(tagged, MAX_RESOURCES).map(async (chunk) => {
        try {
          await options.sessions.ec2(account, region).send(
            new CreateTagsCommand({
              Resources: chunk.map((job) => job.decision.connectionId),
              Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
            }),
          );
          for (const job of chunk) job.outcome.tagged = true;
        } catch (error) {
          for (const job of chunk) job.error = error;
        }
      }),
    ),
  );
}
