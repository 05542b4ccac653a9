import * as z from "zod";
import {
  AccountIdSchema as accountId,
  ConnectionIdSchema as connectionId,
  RegionSchema as region,
} from "./id-schemas";

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
