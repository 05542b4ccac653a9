import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { expect, it } from "vitest";
import { VirtualClock } from "../../bench/virtual-clock";
import { ACCEPTER, useWorld } from "./fixtures";

const world = useWorld((w) => {
  w.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.0.0.0/16"] });
});

it("charges every call its time on the wire: calls made together share it, calls in a row add up", async () => {
  const clock = new VirtualClock();
  world().network = () => clock.sleep(50);
  const ec2 = new EC2Client({ region: "us-east-1" });
  const describe = () => ec2.send(new DescribeVpcsCommand({}));

  await clock.run(Promise.all([describe(), describe(), describe()]));
  expect(clock.now).toBe(50);
  await clock.run(
    (async () => {
      await describe();
      await describe();
    })(),
  );
  expect(clock.now).toBe(150);
  expect(world().calls).toHaveLength(5);
});
