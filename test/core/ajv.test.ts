import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ajvFor, checkJsonSchema, compiledValidator, JsonSchemaDialect, schemaDialect, validateWithSchema } from "../../components/core/ajv";

describe("ajv cache", () => {
  it("keeps one Ajv instance per dialect", () => {
    assert.equal(ajvFor(JsonSchemaDialect.Draft07), ajvFor(JsonSchemaDialect.Draft07));
    assert.notEqual(ajvFor(JsonSchemaDialect.Draft07), ajvFor(JsonSchemaDialect.Draft2020));
  });

  it("compiles a schema once, whatever its key order", () => {
    const first = compiledValidator({ type: "object", properties: { a: { type: "integer", minimum: 1 } } });
    const second = compiledValidator({ properties: { a: { minimum: 1, type: "integer" } }, type: "object" });
    assert.equal(first, second);
    assert.notEqual(first, compiledValidator({ type: "object", properties: { a: { type: "integer", minimum: 2 } } }));
  });

  it("tells dialects apart by $schema and validates with the right one", () => {
    assert.equal(schemaDialect({}), JsonSchemaDialect.Draft07);
    assert.equal(schemaDialect({ $schema: "http://json-schema.org/draft-04/schema#" }), JsonSchemaDialect.Draft04);
    assert.equal(schemaDialect({ $schema: "https://json-schema.org/draft/2020-12/schema" }), JsonSchemaDialect.Draft2020);
    const prefixItems = { $schema: "https://json-schema.org/draft/2020-12/schema", type: "array", prefixItems: [{ type: "string" }] };
    assert.deepEqual(validateWithSchema(prefixItems, [1], "config").map((i) => i.path), ["config[0]"]);
  });

  it("accepts the https spelling of a draft's $schema", () => {
    const schema = { $schema: "https://json-schema.org/draft-07/schema", type: "object", properties: { a: { type: "integer" } } };
    assert.deepEqual(checkJsonSchema(schema, "configSchema"), []);
    assert.deepEqual(validateWithSchema(schema, { a: "x" }, "config").map((i) => i.path), ["config.a"]);
  });

  it("reports an invalid schema at the path of the bad keyword", () => {
    assert.deepEqual(checkJsonSchema({ type: "object", properties: { a: { minimum: "one" } } }, "configSchema").map((i) => i.path), ["configSchema.properties.a.minimum"]);
    assert.deepEqual(checkJsonSchema({ type: "object" }, "configSchema"), []);
  });
});
