import { describe, expect, it } from "vitest";
import { requestPeering } from "../../model";
import { routesOf, useService } from "./harness";
import { sharedServices } from "./worlds";

describe("the record of a maintained connection with a route in the way", () => {
  const service = useService(sharedServices);

  it("lists the conflicting route and what it conflicts with, and leaves that route alone", async () => {
    const world = service.world();
    const { shared, app, sharedPrivate } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.invoke(event);
    // Someone routes part of the peer's range elsewhere in one table, after the connection was routed.
    const table = world.routeTable(sharedPrivate);
    table.routes = table.routes.filter((r) => r.destination !== "10.20.0.0/16");
    table.routes.push({
      destination: "10.20.4.0/24",
      target: { transitGatewayId: "tgw-0aaaabbbbccccdddd" },
      state: "active",
      origin: "CreateRoute",
    });

    const result = await service.invoke(event);

    expect(result).toMatchObject({
      record: {
        action: "maintain",
        findings: ["route-conflict"],
        routes: {
          created: [],
          conflicting: [
            {
              side: "accepter",
              routeTableId: sharedPrivate,
              destination: "10.20.0.0/16",
              conflictsWith: "10.20.4.0/24 -> tgw-0aaaabbbbccccdddd",
            },
          ],
        },
      },
    });
    expect(routesOf(world, sharedPrivate)).toContain("10.20.4.0/24 -> tgw-0aaaabbbbccccdddd");
    expect(routesOf(world, sharedPrivate)).not.toContain(`10.20.0.0/16 -> ${connectionId}`);
  });
});
