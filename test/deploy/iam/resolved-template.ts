// A CloudFormation template with its intrinsic functions worked out, as CloudFormation would for one
// deployment: pseudo parameters and parameters take fixed fake values, Ref and Fn::GetAtt of a resource
// give the name or ARN CloudFormation would (from the resource's own name property, else its logical id).
import type { Json, Resource, Template } from "../templates/cloudformation";
import { PARTITION, REGION } from "./accounts";

export interface Deployment {
  account: string;
  region?: string;
  /** Parameter values; a parameter not given takes its Default. */
  parameters?: Record<string, string | string[]>;
}

type Named = { name: (props: Record<string, Json>, id: string) => string; ref: "name" | "arn" | "url" };
interface Kind extends Named {
  arn: (name: string, at: Where) => string;
  attributes?: Record<string, (name: string, at: Where) => string>;
}
interface Where {
  partition: string;
  region: string;
  account: string;
}

const text = (v: Json): string | undefined => (typeof v === "string" ? v : undefined);
const last = (v: string) => v.slice(v.lastIndexOf("/") + 1);

// What Ref and Fn::GetAtt give for each resource type whose name or ARN a policy may use.
const KINDS: Record<string, Kind> = {
  "AWS::IAM::Role": {
    name: (p, id) => text(p.RoleName) ?? id,
    ref: "name",
    arn: (n, w) => `arn:${w.partition}:iam::${w.account}:role/${n}`,
  },
  "AWS::Lambda::Function": {
    name: (p, id) => text(p.FunctionName) ?? id,
    ref: "name",
    arn: (n, w) => `arn:${w.partition}:lambda:${w.region}:${w.account}:function:${n}`,
  },
  "AWS::Logs::LogGroup": {
    name: (p, id) => text(p.LogGroupName) ?? id,
    ref: "name",
    arn: (n, w) => `arn:${w.partition}:logs:${w.region}:${w.account}:log-group:${n}:*`,
  },
  "AWS::SNS::Topic": {
    name: (p, id) => text(p.TopicName) ?? id,
    ref: "arn",
    arn: (n, w) => `arn:${w.partition}:sns:${w.region}:${w.account}:${n}`,
    attributes: { TopicName: (n) => n },
  },
  "AWS::SQS::Queue": {
    name: (p, id) => text(p.QueueName) ?? (p.FifoQueue === true ? `${id}.fifo` : id),
    ref: "url",
    arn: (n, w) => `arn:${w.partition}:sqs:${w.region}:${w.account}:${n}`,
    attributes: { QueueName: (n) => n, QueueUrl: (n, w) => queueUrl(n, w) },
  },
  "AWS::Events::EventBus": {
    name: (p, id) => text(p.Name) ?? id,
    ref: "name",
    arn: (n, w) => `arn:${w.partition}:events:${w.region}:${w.account}:event-bus/${n}`,
    attributes: { Name: (n) => n },
  },
  "AWS::Events::Rule": {
    // A rule on a custom bus has the bus's name in its ARN; the name here already carries it.
    name: (p, id) => {
      const bus = text(p.EventBusName);
      const name = text(p.Name) ?? id;
      return bus && bus !== "default" ? `${last(bus)}/${name}` : name;
    },
    ref: "name",
    arn: (n, w) => `arn:${w.partition}:events:${w.region}:${w.account}:rule/${n}`,
  },
  "AWS::CloudWatch::Alarm": {
    name: (p, id) => text(p.AlarmName) ?? id,
    ref: "name",
    arn: (n, w) => `arn:${w.partition}:cloudwatch:${w.region}:${w.account}:alarm:${n}`,
  },
  "AWS::S3::Bucket": {
    name: (p, id) => text(p.BucketName) ?? id.toLowerCase(),
    ref: "name",
    arn: (n, w) => `arn:${w.partition}:s3:::${n}`,
  },
};

function queueUrl(name: string, w: Where): string {
  return `https://sqs.${w.region}.amazonaws.com/${w.account}/${name}`;
}

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const NO_VALUE = Symbol("AWS::NoValue");

export class ResolvedTemplate {
  readonly where: Where;
  private readonly parameters: Record<string, string | string[]>;

  constructor(
    readonly template: Template,
    deployment: Deployment,
  ) {
    this.where = { partition: PARTITION, region: deployment.region ?? REGION, account: deployment.account };
    this.parameters = {};
    for (const [name, p] of Object.entries(template.Parameters ?? {})) {
      const value = deployment.parameters?.[name] ?? p.Default;
      if (value === undefined) continue;
      this.parameters[name] =
        p.Type === "CommaDelimitedList" && typeof value === "string" ? value.split(",") : (value as string);
    }
    for (const [name, value] of Object.entries(deployment.parameters ?? {})) this.parameters[name] ??= value;
  }

  /** The resources this deployment creates (those whose condition holds), by logical id. */
  get resources(): [string, Resource][] {
    return Object.entries(this.template.Resources).filter(
      ([, r]) => !r.Condition || this.condition(r.Condition),
    );
  }

  ofType(type: string): [string, Resource][] {
    return this.resources.filter(([, r]) => r.Type === type);
  }

  /** A resource's properties, every intrinsic function worked out. */
  properties(id: string): Record<string, Json> {
    return this.value(this.resource(id).Properties ?? {}) as Record<string, Json>;
  }

  arn(id: string): string {
    const [kind, name] = this.kindAndName(id);
    return kind.arn(name, this.where);
  }

  condition(name: string): boolean {
    const condition = this.template.Conditions?.[name];
    if (condition === undefined) throw new Error(`no condition ${name}`);
    return this.truth(condition);
  }

  /** `value` with every intrinsic function worked out. */
  value(value: Json): Json {
    const resolved = this.resolve(value);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  private resource(id: string): Resource {
    const r = this.template.Resources[id];
    if (!r) throw new Error(`no resource ${id}`);
    return r;
  }

  private kindAndName(id: string): [Kind, string] {
    const r = this.resource(id);
    const kind = KINDS[r.Type];
    if (!kind) throw new Error(`${id}: no name or ARN known for ${r.Type}; add it to KINDS`);
    // Only the name properties are resolved here: a whole resource may refer to itself (a bus policy).
    const props = Object.fromEntries(
      Object.entries(r.Properties ?? {}).map(([k, v]) => [k, /Name$/.test(k) ? this.value(v) : v]),
    );
    return [kind, kind.name(props, id)];
  }

  private ref(name: string): Json {
    const pseudo: Record<string, string> = {
      "AWS::AccountId": this.where.account,
      "AWS::Partition": this.where.partition,
      "AWS::Region": this.where.region,
      "AWS::URLSuffix": "amazonaws.com",
      "AWS::StackName": "stack",
    };
    if (name === "AWS::NoValue") return NO_VALUE;
    if (pseudo[name] !== undefined) return pseudo[name];
    if (name in this.parameters) return this.parameters[name];
    if (!(name in this.template.Resources)) throw new Error(`Ref ${name}: no such parameter or resource`);
    const [kind, resourceName] = this.kindAndName(name);
    if (kind.ref === "arn") return kind.arn(resourceName, this.where);
    if (kind.ref === "url") return queueUrl(resourceName, this.where);
    return resourceName;
  }

  private getAtt(id: string, attribute: string): string {
    const [kind, name] = this.kindAndName(id);
    if (attribute === "Arn") return kind.arn(name, this.where);
    const read = kind.attributes?.[attribute];
    if (!read) throw new Error(`Fn::GetAtt ${id}.${attribute}: not known; add it to KINDS`);
    return read(name, this.where);
  }

  private sub(template: string, variables: Record<string, Json>): string {
    return template.replace(/\$\{([^}]*)\}/g, (_, inner: string) => {
      if (inner.startsWith("!")) return `\${${inner.slice(1)}}`;
      if (inner in variables) return String(this.resolve(variables[inner]));
      const dot = inner.indexOf(".");
      if (dot > 0 && !inner.startsWith("AWS::"))
        return this.getAtt(inner.slice(0, dot), inner.slice(dot + 1));
      const value = this.ref(inner);
      if (typeof value !== "string") throw new Error(`Fn::Sub \${${inner}} is not a string`);
      return value;
    });
  }

  private truth(value: Json): boolean {
    if (!isObject(value)) throw new Error(`not a condition: ${JSON.stringify(value)}`);
    const [fn, args] = Object.entries(value)[0] ?? [];
    const list = Array.isArray(args) ? args : [];
    if (fn === "Condition") return this.condition(String(args));
    if (fn === "Fn::Equals")
      return JSON.stringify(this.value(list[0])) === JSON.stringify(this.value(list[1]));
    if (fn === "Fn::Not") return !this.truth(list[0]);
    if (fn === "Fn::And") return list.every((c) => this.truth(c));
    if (fn === "Fn::Or") return list.some((c) => this.truth(c));
    throw new Error(`unknown condition function ${fn}`);
  }

  private resolve(value: Json): Json | typeof NO_VALUE {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v)).filter((v) => v !== NO_VALUE);
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    const [fn] = keys;
    const args = fn === undefined ? undefined : value[fn];
    if (keys.length === 1 && fn !== undefined && (fn === "Ref" || fn.startsWith("Fn::"))) {
      const list = Array.isArray(args) ? args : [];
      switch (fn) {
        case "Ref":
          return this.ref(String(args));
        case "Fn::GetAtt": {
          const [id, attribute] = Array.isArray(args) ? args.map(String) : String(args).split(".", 2);
          return this.getAtt(String(id), String(attribute));
        }
        case "Fn::Sub":
          return typeof args === "string"
            ? this.sub(args, {})
            : this.sub(String(list[0]), (list[1] ?? {}) as Record<string, Json>);
        case "Fn::Join":
          return (this.resolve(list[1]) as Json[]).map(String).join(String(list[0]));
        case "Fn::Split":
          return String(this.resolve(list[1])).split(String(list[0]));
        case "Fn::Select":
          return (this.resolve(list[1]) as Json[])[Number(this.resolve(list[0]))];
        case "Fn::If":
          return this.resolve(this.condition(String(list[0])) ? list[1] : list[2]);
        default:
          throw new Error(`${fn} is not supported here`);
      }
    }
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      const resolved = this.resolve(v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }
}
