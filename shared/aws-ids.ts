/**
 * How AWS spells the ids the service reads from events, policies and the command line. Regions
 * include GovCloud and the ISO partitions; VPC and peering ids the legacy 8-hex form as well.
 */
export const ACCOUNT_ID = /^\d{12}$/;
export const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
export const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const CONNECTION_ID = /^pcx-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
