import type { CreateTagsRequest, DeleteTagsRequest } from "@aws-sdk/client-ec2";
import { ec2Error } from "../errors";
import type { Caller } from "../state";
import type { World } from "../world";
import { findVisiblePeering } from "./peering-access";
import { findOwnRouteTable } from "./route-tables";
import { findOwnSecurityGroup, findOwnSecurityGroupRule } from "./security-groups";
import { findOwnSubnet } from "./subnets";

export function createTags(world: World, caller: Caller, input: CreateTagsRequest): Record<string, never> {
  // Resolve every resource first so that one bad id leaves everything untouched.
  const targets = (input.Resources ?? []).map((id) => tagsOf(world, caller, id));
  for (const tags of targets) {
    for (const tag of input.Tags ?? []) tags[tag.Key ?? ""] = tag.Value ?? "";
  }
  return {};
}

/** Without Tags, removes all; a tag with a Value is only removed when the value matches. */
export function deleteTags(world: World, caller: Caller, input: DeleteTagsRequest): Record<string, never> {
  const targets = (input.Resources ?? []).map((id) => tagsOf(world, caller, id));
  for (const tags of targets) {
    const toDelete = input.Tags ?? Object.keys(tags).map((Key) => ({ Key, Value: undefined }));
    for (const { Key: key = "", Value: value } of toDelete) {
      if (value === undefined || tags[key] === value) delete tags[key];
    }
  }
  return {};
}

/** Peering connections keep one tag set per account: each side tags and sees its own. */
function tagsOf(world: World, caller: Caller, id: string): Record<string, string> {
  if (id.startsWith("pcx-")) {
    const peering = findVisiblePeering(world, caller, id);
    peering.tagsByAccount[caller.account] ??= {};
    return peering.tagsByAccount[caller.account] ?? {};
  }
  if (id.startsWith("rtb-")) return findOwnRouteTable(world, caller, id).tags;
  if (id.startsWith("subnet-")) return findOwnSubnet(world, caller, id).tags;
  if (id.startsWith("sg-")) return findOwnSecurityGroup(world, caller, id).tags;
  if (id.startsWith("sgr-")) return findOwnSecurityGroupRule(world, caller, id).rule.tags;
  throw ec2Error(
    "InvalidID",
    `The ID '${id}' is not valid (the model tags only pcx-, rtb-, subnet-, sg- and sgr- resources)`,
  );
}
