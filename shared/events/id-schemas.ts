// The namespace import lets esbuild drop the parts of zod the functions never use (its locales, most of all).
import * as z from "zod";
import { ACCOUNT_ID, CONNECTION_ID, REGION, VPC_ID } from "../aws-ids";

/** The ids an event names, checked before anything is looked up by them. */
export const AccountIdSchema = z.string().regex(ACCOUNT_ID, "must be a 12-digit account id");
export const RegionSchema = z.string().regex(REGION, "must be an AWS region");
export const VpcIdSchema = z.string().regex(VPC_ID, "must be a VPC id");
export const ConnectionIdSchema = z.string().regex(CONNECTION_ID, "must be a peering connection id");
