// Konnect's three error body shapes read into issues at the inputs their fields come from.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KonnectApiError, konnectErrorIssues } from "../../components/konnect/api-errors";
import { TOKEN } from "./konnect-plugins";

const FIELDS = { name: "plugin.name", handler: 'plugin.source.files["handler.lua"]', schema: 'plugin.source.files["schema.lua"]', lua_schema: 'plugin.source.files["schema.lua"]' };

describe("Konnect's error bodies", () => {
  it("core entities' details name a field each (Kong/gateway-operator ops_errors.go)", () => {
    const body = {
      code: 3,
      message: "validation error",
      details: [
        { "@type": "type.googleapis.com/kong.admin.model.v1.ErrorDetail", type: "ERROR_TYPE_FIELD", field: "schema", messages: ["failed to load schema", "missing name"] },
        { "@type": "type.googleapis.com/kong.admin.model.v1.ErrorDetail", type: "ERROR_TYPE_ENTITY", messages: ["plugin cannot set timers"] },
      ],
    };
    assert.deepEqual(konnectErrorIssues(body, 400, FIELDS, TOKEN), [
      { path: 'plugin.source.files["schema.lua"]', message: "failed to load schema; missing name", field: "schema" },
      { path: "", message: "plugin cannot set timers" },
    ]);
  });

  it("Konnect's problem+json names fields in invalid_parameters (sdk-konnect-go BadRequestError)", () => {
    const body = { status: 400, title: "Bad Request", instance: "kong:trace:1", detail: "Invalid Parameters", invalid_parameters: [{ field: "handler", rule: "required", reason: "is a required field" }] };
    assert.deepEqual(konnectErrorIssues(body, 400, FIELDS, TOKEN), [{ path: 'plugin.source.files["handler.lua"]', message: "is a required field", field: "handler" }]);
  });

  it("a plain message, or no body, is one issue about the request; an echoed token is taken out", () => {
    assert.deepEqual(konnectErrorIssues({ message: `token ${TOKEN} is expired` }, 401, FIELDS, TOKEN), [{ path: "", message: "token [secret] is expired" }]);
    assert.deepEqual(konnectErrorIssues(undefined, 403, FIELDS, TOKEN), [{ path: "", message: "HTTP 403 without an error body" }]);
  });

  it("a unique name taken is recognised in both of Konnect's answers, and nothing else is", () => {
    const taken = konnectErrorIssues({ code: 3, message: "data constraint error", details: [{ field: "name", messages: ["name (type: unique) constraint failed"] }] }, 400, FIELDS, TOKEN);
    assert.equal(new KonnectApiError("POST /x", 400, taken).nameTaken, true);
    assert.equal(new KonnectApiError("POST /x", 409, [{ path: "", message: "plugin schema exists" }]).nameTaken, true);
    assert.equal(new KonnectApiError("POST /x", 400, konnectErrorIssues({ message: "bad schema" }, 400, FIELDS, TOKEN)).nameTaken, false);
  });
});
