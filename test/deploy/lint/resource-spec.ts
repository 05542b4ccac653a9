// The CloudFormation resource specification, from AWS CDK's database of the CloudFormation registry
// schemas (@aws-cdk/aws-service-spec), reduced to what the linter asks of it.
import { loadAwsServiceSpec } from "@aws-cdk/aws-service-spec";
import type {
  Attribute,
  Property,
  PropertyType,
  Resource,
  TypeDefinition,
} from "@aws-cdk/service-spec-types";

export type { Attribute, Property, PropertyType };

/** The properties of a resource type or of a nested property type, named for messages. */
export interface PropertyShape {
  name: string;
  properties: Record<string, Property>;
}

export interface ResourceSpec {
  /** The resource type, or undefined if CloudFormation has no such type. */
  resource(cfnType: string): (PropertyShape & { attributes: Record<string, Attribute> }) | undefined;
  /** The nested property type a `ref` property type points to. */
  definition(type: Extract<PropertyType, { type: "ref" }>): PropertyShape;
}

/** Loads the database (about 0.5 s and 150 MB here): load it once per test file. */
export async function loadResourceSpec(): Promise<ResourceSpec> {
  const db = await loadAwsServiceSpec();
  const shapeOf = (r: Resource) => ({
    name: r.cloudFormationType,
    properties: r.properties,
    attributes: r.attributes,
  });
  return {
    resource(cfnType) {
      const found = db.lookup("resource", "cloudFormationType", "equals", cfnType);
      return found[0] && shapeOf(found[0]);
    },
    definition(type) {
      const def: TypeDefinition = db.get("typeDefinition", type.reference);
      return { name: def.name, properties: def.properties };
    },
  };
}
