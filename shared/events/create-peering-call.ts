import * as z from "zod";

const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit account id");
const region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, "must be an AWS region");
const connectionId = z.string().regex(/^pcx-([0-9a-f]{8}|[0-9a-f]{17})$/, "must be a peering connection id");

/**
 * The parts of a CreateVpcPeeringConnection call that identify the connection and where it must be
 * accepted. Its CIDRs and statuses are deliberately not read: the connection is re-read from EC2.
 */
export const CreatePeeringCallSchema = z.object({
  account: accountId,
  detail: z.object({
    awsRegion: region,
    requestParameters: z.object({
      peerOwnerId: accountId.optional(),
      peerRegion: region.optional(),
    }),
    responseElements: z.object({
      vpcPeeringConnection: z.object({
        vpcPeeringConnectionId: connectionId,
        accepterVpcInfo: z.object({ ownerId: accountId.optional(), region: region.optional() }).optional(),
      }),
    }),
  }),
});
