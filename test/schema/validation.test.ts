// The corpus of issue 14: plugins written for these tests (test/schema/plugins/) validated with
// known-good and known-bad configs, each group citing the Kong 3.x source it encodes. An expected
// result is either the exact list of [path, message] issues (in any order), or no issue and the
// effective config (exactly, or the keys where defaults matter). Paths are this library's:
// `config.list[0]` is Kong's `config.list[1]`, a record's entity-check messages sit at the
// record's path (`config`), the plugin entity's at `@entity`.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { kongConfigCheck } from "../../components/plugin/kong-config";
import type { ResolvedPlugin } from "../../components/plugin/model";
import { resolvePlugin } from "../../components/plugin/validate";
import type { PluginEntityInput } from "../../components/schema/validate-plugin";
import { luaOracle } from "../helpers/lua-oracle";
import { explainedByKongKeyword } from "../helpers/json-schema-path";
import { testFixture } from "../helpers/paths";
import { compiledValidator } from "../../components/core/ajv";
import { mustRun } from "../helpers/tools";

const PLUGINS = ["schema-types", "schema-validators", "schema-checks", "schema-shorthands"] as const;
type PluginName = (typeof PLUGINS)[number];

const loaded = new Map<PluginName, ResolvedPlugin>();
function plugin(name: PluginName): ResolvedPlugin {
  const found = loaded.get(name) ?? resolvePlugin({ name, version: "1.0.0", source: { directory: testFixture(`schema/plugins/${name}`) } });
  loaded.set(name, found);
  return found;
}

type Issue = readonly [path: string, message: string];

interface Case {
  readonly name: string;
  /** Merged over the group's base; a key set to `undefined` is absent. `null` is JSON null. */
  readonly config?: Record<string, unknown> | null;
  readonly protocols?: readonly string[];
  readonly consumer?: boolean;
  readonly route?: boolean;
  readonly service?: boolean;
  /** The exact issues, in any order; none when omitted. */
  readonly issues?: readonly Issue[];
  /** The exact effective config. */
  readonly effective?: Record<string, unknown>;
  /** Keys of the effective config and their exact values. */
  readonly includes?: Record<string, unknown>;
  /** `[pattern, subject, matches]`: what Lua's string.match answers, checked against lua5.1 below. */
  readonly lua?: readonly (readonly [pattern: string, subject: string, matches: boolean])[];
}

interface Group {
  readonly title: string;
  readonly plugin: PluginName;
  /** The config every case starts from, so that only the case's point is wrong. */
  readonly base?: Record<string, unknown>;
  readonly cases: readonly Case[];
}

function inputOf(group: Group, item: Case): PluginEntityInput {
  const merged = item.config === null ? null : item.config === undefined && group.base === undefined ? undefined : { ...group.base, ...item.config };
  const config = merged === null || merged === undefined ? merged : Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
  return {
    ...(config !== undefined ? { config: config as Record<string, unknown> } : {}),
    ...(item.protocols !== undefined ? { protocols: item.protocols } : {}),
    ...(item.consumer !== undefined ? { consumer: item.consumer } : {}),
    ...(item.route !== undefined ? { route: item.route } : {}),
    ...(item.service !== undefined ? { service: item.service } : {}),
  };
}

const sorted = (issues: readonly Issue[]) => [...issues].map(([path, message]) => `${path}: ${message}`).sort();

function check(group: Group, item: Case): ReturnType<typeof kongConfigCheck> {
  const result = kongConfigCheck(plugin(group.plugin), inputOf(group, item));
  assert.ok(result !== undefined, "schema.lua was loaded");
  assert.deepEqual(sorted(result.issues.map((issue) => [issue.path, issue.message] as const)), sorted(item.issues ?? []));
  if (item.effective !== undefined) assert.deepEqual(result.config, item.effective);
  for (const [key, value] of Object.entries(item.includes ?? {})) assert.deepEqual(result.config[key], value, `effective config.${key}`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// schema-types: types, defaults, nulls, records, collections, referenceable, scope, protocols.

/** The effective config of schema-types for `{ name: "x" }`: every default Kong fills. */
const TYPES_DEFAULTS = {
  name: "x",
  label: null,
  greeting: "hello",
  ratio: 0.5,
  count: 3,
  verbose: false,
  fallback: null,
  tags: ["a", "b"],
  methods: null,
  limits: null,
  upstream: { host: "localhost", port: 80, tls: { verify: true, sni: null } },
  extra: null,
  routes: null,
  secret: null,
  keys: null,
  payload: null,
};

const TYPES: readonly Group[] = [
  // kong/db/schema/init.lua handle_missing_field: a default applies only to an absent (nil) value,
  // copied (cycle_aware_deep_copy), tables included; an absent optional field without one becomes
  // ngx.null; `default = ngx.null` is that null. An explicit null is kept.
  {
    title: "defaults and nulls",
    plugin: "schema-types",
    base: { name: "x" },
    cases: [
      { name: "an absent field takes its default, an optional one without a default is null", effective: TYPES_DEFAULTS },
      { name: "an explicit null is kept, not replaced by the default", config: { greeting: null }, effective: { ...TYPES_DEFAULTS, greeting: null } },
      { name: "a null number with a default stays null", config: { ratio: null }, effective: { ...TYPES_DEFAULTS, ratio: null } },
      { name: "a null boolean with default false stays null", config: { verbose: null }, effective: { ...TYPES_DEFAULTS, verbose: null } },
      { name: "a table default is copied in when absent", config: { tags: undefined }, effective: TYPES_DEFAULTS },
      { name: "a null array with a default stays null", config: { tags: null }, effective: { ...TYPES_DEFAULTS, tags: null } },
      { name: "default = ngx.null gives null when absent", config: { fallback: undefined }, includes: { fallback: null } },
      { name: "default = ngx.null does not replace a value", config: { fallback: "other" }, includes: { fallback: "other" } },
      { name: "an optional string may be null", config: { label: null }, includes: { label: null } },
      { name: "a given value replaces the default", config: { greeting: "hi", count: 7, verbose: true }, includes: { greeting: "hi", count: 7, verbose: true } },
    ],
  },
  // kong/db/schema/init.lua validate: `field.required and (input[name] == null or (full_check and
  // input[name] == nil))` → "required field missing"; validate_field(null) on a required field
  // gives the same message (one entry per field).
  {
    title: "required fields",
    plugin: "schema-types",
    cases: [
      { name: "an absent required field without a default", config: {}, issues: [["config.name", "required field missing"]] },
      { name: "an explicit null on a required field", config: { name: null }, issues: [["config.name", "required field missing"]] },
      { name: "an empty string fails the implicit len_min = 1", config: { name: "" }, issues: [["config.name", "length must be at least 1"]] },
      { name: "config: null is a missing required record", config: null, issues: [["config", "required field missing"]] },
      { name: "an absent config expands to the default tree (and its required field is missing)", issues: [["config.name", "required field missing"]] },
    ],
  },
  // kong/db/schema/init.lua validate_field: type checks and their messages (validation_errors);
  // integer = `value == floor(value)`, so 1.0 and 2^60 pass; JSON strings are never coerced.
  {
    title: "types",
    plugin: "schema-types",
    base: { name: "x" },
    cases: [
      { name: "1.0 is an integer", config: { count: 1.0 }, includes: { count: 1 } },
      { name: "2^60 is an integer (no 2^53 bound)", config: { count: 2 ** 60 }, includes: { count: 2 ** 60 } },
      { name: "1e300 is an integer", config: { count: 1e300 }, includes: { count: 1e300 } },
      { name: "1.5 is not an integer", config: { count: 1.5 }, issues: [["config.count", "expected an integer"]] },
      { name: '"5" is not an integer', config: { count: "5" }, issues: [["config.count", "expected an integer"]] },
      { name: '"5" is not a number', config: { ratio: "5" }, issues: [["config.ratio", "expected a number"]] },
      { name: "an integer is a number", config: { ratio: 2 }, includes: { ratio: 2 } },
      { name: "true is not an integer", config: { count: true }, issues: [["config.count", "expected an integer"]] },
      { name: '"true" is not a boolean', config: { verbose: "true" }, issues: [["config.verbose", "expected a boolean"]] },
      { name: "0 is not a boolean", config: { verbose: 0 }, issues: [["config.verbose", "expected a boolean"]] },
      { name: "a number is not a string", config: { name: 5 }, issues: [["config.name", "expected a string"]] },
      { name: "an object is not a string", config: { label: {} }, issues: [["config.label", "expected a string"]] },
      { name: "a string is not an array", config: { tags: "a" }, issues: [["config.tags", "expected an array"]] },
      { name: "an object with keys is not an array", config: { tags: { x: "a" } }, issues: [["config.tags", "expected an array"]] },
      { name: "a string is not a set", config: { methods: "GET" }, issues: [["config.methods", "expected a set"]] },
      { name: "a string is not a map", config: { limits: "a=1" }, issues: [["config.limits", "expected a map"]] },
      { name: "a string is not a record", config: { upstream: "localhost" }, issues: [["config.upstream", "expected a record"]] },
      { name: "several wrong fields are all reported", config: { count: "1", verbose: "no", label: 3 }, issues: [["config.count", "expected an integer"], ["config.verbose", "expected a boolean"], ["config.label", "expected a string"]] },
    ],
  },
  // kong/db/schema/init.lua validate_fields: a key the record does not declare is "unknown field",
  // null or not (the null exemption is for data planes only), at any depth.
  {
    title: "unknown fields",
    plugin: "schema-types",
    base: { name: "x" },
    cases: [
      { name: "an unknown key", config: { bogus: 1 }, issues: [["config.bogus", "unknown field"]] },
      { name: "an unknown key with a null value", config: { bogus: null }, issues: [["config.bogus", "unknown field"]] },
      { name: "an unknown key in a nested record", config: { upstream: { hots: "h" } }, issues: [["config.upstream.hots", "unknown field"]] },
      { name: "an unknown key two records deep", config: { upstream: { tls: { verfy: false } } }, issues: [["config.upstream.tls.verfy", "unknown field"]] },
      { name: "an unknown key in an array's record", config: { routes: [{ path: "/a", wieght: 2 }] }, issues: [["config.routes[0].wieght", "unknown field"]] },
    ],
  },
  // kong/db/schema/entity.lua make_records_required: records reached through `fields` are required
  // unless `required = false`; init.lua handle_missing_field builds an absent required record from
  // its own defaults (process_auto_fields({})); an explicit null on it is "required field missing";
  // a non-required record absent is null.
  {
    title: "nested records",
    plugin: "schema-types",
    base: { name: "x" },
    cases: [
      { name: "an absent record is built from its defaults, nested records too", config: { upstream: undefined }, includes: { upstream: TYPES_DEFAULTS.upstream } },
      { name: "an empty record gets every nested default", config: { upstream: {} }, includes: { upstream: TYPES_DEFAULTS.upstream } },
      { name: "given fields stay, the rest take defaults", config: { upstream: { host: "h", tls: { sni: "s" } } }, includes: { upstream: { host: "h", port: 80, tls: { verify: true, sni: "s" } } } },
      { name: "[] for a record is an empty table, filled with defaults", config: { upstream: [] }, includes: { upstream: TYPES_DEFAULTS.upstream } },
      { name: "a null record (required by default) is missing", config: { upstream: null }, issues: [["config.upstream", "required field missing"]] },
      { name: "a null nested record is missing at its own path", config: { upstream: { tls: null } }, issues: [["config.upstream.tls", "required field missing"]] },
      { name: "a null optional field inside a record stays null", config: { upstream: { port: null } }, includes: { upstream: { host: "localhost", port: null, tls: { verify: true, sni: null } } } },
      { name: "a wrong type two records deep", config: { upstream: { tls: { verify: "yes" } } }, issues: [["config.upstream.tls.verify", "expected a boolean"]] },
      { name: "a record with required = false is null when absent", config: { extra: undefined }, includes: { extra: null } },
      { name: "a record with required = false may be null", config: { extra: null }, includes: { extra: null } },
      { name: "a given optional record checks its own required fields", config: { extra: {} }, issues: [["config.extra.note", "required field missing"]] },
      { name: "a given optional record gets its defaults", config: { extra: { note: "n" } }, includes: { extra: { note: "n", level: 1 } } },
    ],
  },
  // kong/db/schema/init.lua adjust_field_for_context: each array element is processed, so records in
  // an array get their defaults; make_records_required does not reach `elements`, so a record inside
  // an element is optional (null when absent). validate_elements makes each element required and
  // reports errors per index.
  {
    title: "arrays of records",
    plugin: "schema-types",
    base: { name: "x" },
    cases: [
      {
        name: "each element gets its defaults; a record inside an element is optional",
        config: { routes: [{ path: "/a" }, { path: "/b", weight: 5, meta: {} }] },
        includes: { routes: [{ path: "/a", weight: 1, meta: null }, { path: "/b", weight: 5, meta: { owner: "ops" } }] },
      },
      { name: "a required field missing in the second element", config: { routes: [{ path: "/a" }, { weight: 2 }] }, issues: [["config.routes[1].path", "required field missing"]] },
      { name: "a null element is missing", config: { routes: [null] }, issues: [["config.routes[0]", "required field missing"]] },
      { name: "an element that is not a record", config: { routes: ["/a"] }, issues: [["config.routes[0]", "expected a record"]] },
      { name: "errors in several elements are all reported", config: { routes: [{ path: 1 }, { path: "/b" }, { path: "/c", weight: "w" }] }, issues: [["config.routes[0].path", "expected a string"], ["config.routes[2].weight", "expected an integer"]] },
      { name: "an empty array is valid", config: { routes: [] }, includes: { routes: [] } },
      { name: "{} for an array is an empty table, stored as []", config: { tags: {} }, includes: { tags: [] } },
      { name: "a wrong element type in an array of strings", config: { tags: ["a", 1] }, issues: [["config.tags[1]", "expected a string"]] },
      { name: "a null element in an array of strings", config: { tags: ["a", null] }, issues: [["config.tags[1]", "required field missing"]] },
    ],
  },
  // kong/db/schema/init.lua make_set: duplicates are removed silently (first kept, order kept)
  // before validation; equal values are table keys, so nulls (one ngx.null) are equal too.
  {
    title: "sets",
    plugin: "schema-types",
    base: { name: "x" },
    cases: [
      { name: "duplicates are removed, keeping the first of each", config: { methods: ["POST", "GET", "POST", "GET"] }, includes: { methods: ["POST", "GET"] } },
      { name: "an element error is reported at its index after duplicates are gone", config: { methods: ["GET", "GET", "DELETE"] }, issues: [["config.methods[1]", "expected one of: GET, POST, PUT"]] },
      { name: "repeated nulls are one null", config: { methods: [null, null] }, issues: [["config.methods[0]", "required field missing"]] },
      { name: "an empty set is valid", config: { methods: [] }, includes: { methods: [] } },
    ],
  },
  // kong/db/schema/init.lua validate_field (map): keys and values are required and validated; only
  // the first error is returned, as a string at the map's own path. A JSON array is a Lua table whose
  // number keys fail a string key field.
  {
    title: "maps",
    plugin: "schema-types",
    base: { name: "x" },
    cases: [
      { name: "valid keys and values", config: { limits: { abc: 3, de: 10 } }, includes: { limits: { abc: 3, de: 10 } } },
      { name: "a key failing its match", config: { limits: { Abc: 3 } }, issues: [["config.limits", "invalid value: Abc"]], lua: [["^%l+$", "Abc", false], ["^%l+$", "abc", true]] },
      { name: "a value out of range", config: { limits: { abc: 11 } }, issues: [["config.limits", "value should be between 1 and 10"]] },
      { name: "a value of the wrong type", config: { limits: { abc: "3" } }, issues: [["config.limits", "expected an integer"]] },
      { name: "a null value is missing", config: { limits: { abc: null } }, issues: [["config.limits", "required field missing"]] },
      { name: "a non-empty JSON array fails on its number keys", config: { limits: ["abc"] }, issues: [["config.limits", "expected a string"]] },
      { name: "[] for a map is an empty table, stored as {}", config: { limits: [] }, includes: { limits: {} } },
    ],
  },
  // kong/pdk/vault.lua is_reference and init.lua validate_field: a referenceable string holding
  // `{vault://...}` passes right after the type check; every validator is skipped.
  {
    title: "vault references on referenceable fields",
    plugin: "schema-types",
    base: { name: "x" },
    cases: [
      { name: "a reference skips len_min and match", config: { secret: "{vault://env/my-secret}" }, includes: { secret: "{vault://env/my-secret}" } },
      { name: "the shortest reference Kong recognises", config: { secret: "{vault://}" } },
      { name: "a value shorter than len_min", config: { secret: "short" }, issues: [["config.secret", "length must be at least 8"]] },
      { name: "a value failing match", config: { secret: "long-enough!" }, issues: [["config.secret", "invalid value: long-enough!"]], lua: [["^%w+$", "long-enough!", false]] },
      { name: "not a reference (one slash): validators apply", config: { secret: "{vault:/env/x}" }, issues: [["config.secret", "invalid value: {vault:/env/x}"]] },
      { name: "a reference still has to be a string", config: { secret: 12345678 }, issues: [["config.secret", "expected a string"]] },
      { name: "referenceable elements: a reference skips one_of, a value does not", config: { keys: ["{vault://env/k}", "k1", "k3"] }, issues: [["config.keys[2]", "expected one of: k1, k2"]] },
    ],
  },
  // kong/db/schema/entities/plugins.lua and typedefs.lua: no_consumer is `eq = null` ("value must be
  // null"); typedefs.protocols_http is a required set with a default whose elements are one_of the
  // http protocols (this library's constants are Kong Gateway Enterprise's, with ws and wss);
  // duplicates are removed; [] is accepted.
  {
    title: "plugin scope and protocols",
    plugin: "schema-types",
    base: { name: "x" },
    cases: [
      { name: "typedefs.no_consumer refuses a consumer", consumer: true, issues: [["consumer", "value must be null"]] },
      { name: "no consumer is fine", consumer: false },
      { name: "route and service are free", route: true, service: true },
      { name: "a stream protocol is not one of protocols_http", protocols: ["http", "tcp"], issues: [["protocols[1]", "expected one of: grpc, grpcs, http, https, ws, wss"]] },
      { name: "the index counts after duplicates are removed", protocols: ["http", "http", "udp"], issues: [["protocols[1]", "expected one of: grpc, grpcs, http, https, ws, wss"]] },
      { name: "an empty protocols set is accepted", protocols: [] },
      { name: "the http protocols are accepted", protocols: ["grpcs", "https"] },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// schema-validators: every validator, in Kong's order, with Kong's messages.

const VALIDATORS: readonly Group[] = [
  // kong/db/schema/init.lua Schema.validators one_of / not_one_of / eq / ne: `==` comparisons,
  // messages `expected one of: %s` / `must not be one of: %s` (concat(options, ", ")), `value must
  // be %s` (tostring(wanted)), `value must not be %s` (tostring(value)); validate_field on null:
  // `eq` not null gives the EQ message, `ne = null` gives `field.err` or "value must not be null",
  // `eq = null` refuses any value.
  {
    title: "one_of, not_one_of, eq, ne",
    plugin: "schema-validators",
    base: { must: "x" },
    cases: [
      { name: "one_of refuses another value", config: { mode: "slow" }, issues: [["config.mode", "expected one of: fast, safe"]] },
      { name: "one_of runs before len_min, so \"\" gets one_of's message", config: { mode: "" }, issues: [["config.mode", "expected one of: fast, safe"]] },
      { name: "one_of accepts a listed value", config: { mode: "safe" }, includes: { mode: "safe" } },
      { name: "not_one_of refuses a listed value", config: { level: "root" }, issues: [["config.level", "must not be one of: admin, root"]] },
      { name: "not_one_of accepts another value", config: { level: "user" } },
      { name: "eq refuses another value", config: { version: 3 }, issues: [["config.version", "value must be 2"]] },
      { name: "eq takes its default when absent", config: { version: undefined }, includes: { version: 2 } },
      { name: "eq refuses an explicit null with eq's message", config: { version: null }, issues: [["config.version", "value must be 2"]] },
      { name: "ne refuses the value", config: { forbidden: "none" }, issues: [["config.forbidden", "value must not be none"]] },
      { name: "ne accepts another value", config: { forbidden: "some" } },
      { name: "ne = null with err: an absent field becomes null and fails", config: { must: undefined }, issues: [["config.must", "must be given"]] },
      { name: "ne = null with err: an explicit null fails", config: { must: null }, issues: [["config.must", "must be given"]] },
      { name: "eq = null refuses a value", config: { never_set: "x" }, issues: [["config.never_set", "value must be null"]] },
      { name: "eq = null accepts null", config: { never_set: null } },
    ],
  },
  // kong/db/schema/init.lua Schema.validators gt / between / timestamp: gt is strict (`value > limit`,
  // tostring → %.14g: "1e+15"), between is inclusive (`value < l[1] or value > l[2]` fails, %d),
  // timestamp is `value > 0`.
  {
    title: "gt, between, timestamp",
    plugin: "schema-validators",
    base: { must: "x" },
    cases: [
      { name: "gt is strict", config: { limit: 0 }, issues: [["config.limit", "value must be greater than 0"]] },
      { name: "gt refuses a negative", config: { limit: -1 }, issues: [["config.limit", "value must be greater than 0"]] },
      { name: "gt accepts just above", config: { limit: 0.001 } },
      { name: "gt prints a fraction limit with tostring", config: { fraction: 0.5 }, issues: [["config.fraction", "value must be greater than 0.5"]] },
      { name: "gt prints a large limit as %.14g does", config: { huge: 1e15 }, issues: [["config.huge", "value must be greater than 1e+15"]] },
      { name: "gt runs only after the type check", config: { limit: "5" }, issues: [["config.limit", "expected a number"]] },
      { name: "between accepts the low bound", config: { percent: 0 } },
      { name: "between accepts the high bound", config: { percent: 100 } },
      { name: "between refuses above", config: { percent: 101 }, issues: [["config.percent", "value should be between 0 and 100"]] },
      { name: "between refuses below", config: { percent: -1 }, issues: [["config.percent", "value should be between 0 and 100"]] },
      { name: "the integer type check comes first", config: { percent: 50.5 }, issues: [["config.percent", "expected an integer"]] },
      { name: "timestamp refuses 0", config: { since: 0 }, issues: [["config.since", "expected a valid timestamp"]] },
      { name: "timestamp refuses a negative", config: { since: -5 }, issues: [["config.since", "expected a valid timestamp"]] },
      { name: "timestamp accepts a fraction above 0", config: { since: 1.5 } },
    ],
  },
  // kong/db/schema/init.lua make_length_validator: `#value` counts bytes, so "héllo" is 6; strings
  // get len_min = 1 unless they say otherwise; arrays count elements.
  {
    title: "len_eq, len_min, len_max (bytes)",
    plugin: "schema-validators",
    base: { must: "x" },
    cases: [
      { name: "len_eq 4: \"hél\" is 3 characters but 4 bytes", config: { code: "hél" } },
      { name: "len_eq 4: \"héll\" is 4 characters but 5 bytes", config: { code: "héll" }, issues: [["config.code", "length must be 4"]] },
      { name: "len_eq 4: ascii", config: { code: "abcd" } },
      { name: "len_max 5: \"héllo\" is 6 bytes", config: { nick: "héllo" }, issues: [["config.nick", "length must be at most 5"]] },
      { name: "len_min 3: \"hé\" is 3 bytes", config: { nick: "hé" } },
      { name: "len_min 3: \"ab\"", config: { nick: "ab" }, issues: [["config.nick", "length must be at least 3"]] },
      { name: "len_max 5: one emoji is 4 bytes", config: { nick: "😀" } },
      { name: "len_max 5: two emoji are 8 bytes", config: { nick: "😀😀" }, issues: [["config.nick", "length must be at most 5"]] },
      { name: "len_min = 0 allows \"\"", config: { note: "" }, includes: { note: "" } },
      { name: "the implicit len_min = 1 refuses \"\"", config: { word: "" }, issues: [["config.word", "length must be at least 1"]] },
      { name: "len_eq on an array counts elements", config: { pair: [1] }, issues: [["config.pair", "length must be 2"]] },
      { name: "len_eq on an array: exactly 2", config: { pair: [1, 2] } },
    ],
  },
  // kong/db/schema/init.lua Schema.validators match / not_match / match_all / match_none /
  // match_any: `value:match(pattern)`, a Lua pattern (C-locale classes on bytes, `^`/`$` anchors,
  // `-` a lazy repetition, not a dash); match_all/match_none report the rule's `err`, else "invalid
  // value: %s"; match_any reports `err`, else the same. Each pattern is also run through lua5.1.
  {
    title: "Lua patterns",
    plugin: "schema-validators",
    base: { must: "x" },
    cases: [
      { name: "%a+ anchored: letters", config: { word: "Hello" }, lua: [["^%a+$", "Hello", true]] },
      { name: "%a+ anchored: a digit at the end fails on $", config: { word: "abc1" }, issues: [["config.word", "invalid value: abc1"]], lua: [["^%a+$", "abc1", false]] },
      { name: "%a is ascii only: é is two non-letter bytes", config: { word: "héllo" }, issues: [["config.word", "invalid value: héllo"]], lua: [["^%a+$", "héllo", false]] },
      { name: "%d+ anchored: digits", config: { digits: "0123" }, lua: [["^%d+$", "0123", true]] },
      { name: "%d+ anchored: a letter fails", config: { digits: "12a" }, issues: [["config.digits", "invalid value: 12a"]], lua: [["^%d+$", "12a", false]] },
      { name: "%d+ anchored at ^: a leading letter fails", config: { digits: "a12" }, issues: [["config.digits", "invalid value: a12"]], lua: [["^%d+$", "a12", false]] },
      { name: "%d is ascii only: Arabic-Indic digits fail", config: { digits: "١٢" }, issues: [["config.digits", "invalid value: ١٢"]], lua: [["^%d+$", "١٢", false]] },
      { name: "x- is a lazy repetition of x: \"y\" matches ^x-y$", config: { lazy: "y" }, lua: [["^x-y$", "y", true]] },
      { name: "x- repeats: \"xxy\" matches ^x-y$", config: { lazy: "xxy" }, lua: [["^x-y$", "xxy", true]] },
      { name: "- is not a literal dash: \"x-y\" fails ^x-y$", config: { lazy: "x-y" }, issues: [["config.lazy", "invalid value: x-y"]], lua: [["^x-y$", "x-y", false]] },
      { name: "not_match %s: a space anywhere fails (unanchored)", config: { spaced: "a b" }, issues: [["config.spaced", "invalid value: a b"]], lua: [["%s", "a b", true]] },
      { name: "not_match %s: a tab is a space", config: { spaced: "a\tb" }, issues: [["config.spaced", "invalid value: a\tb"]], lua: [["%s", "a\tb", true]] },
      { name: "not_match %s: no space passes", config: { spaced: "ab" }, lua: [["%s", "ab", false]] },
      { name: "match_all: the first failing rule's err", config: { token: "abc1" }, issues: [["config.token", "must start with an upper-case letter"]], lua: [["^%u", "abc1", false]] },
      { name: "match_all: a rule without err says invalid value", config: { token: "Abc" }, issues: [["config.token", "invalid value: Abc"]], lua: [["^%u", "Abc", true], ["%d$", "Abc", false]] },
      { name: "match_all: every rule matches", config: { token: "Abc1" }, lua: [["%d$", "Abc1", true]] },
      { name: "match_none: the matching rule's err", config: { trimmed: " a" }, issues: [["config.trimmed", "must not start with a space"]], lua: [["^%s", " a", true]] },
      { name: "match_none: a rule without err says invalid value", config: { trimmed: "a " }, issues: [["config.trimmed", "invalid value: a "]], lua: [["%s$", "a ", true]] },
      { name: "match_none: an inner space matches no rule", config: { trimmed: "a b" }, lua: [["^%s", "a b", false], ["%s$", "a b", false]] },
      { name: "match_any: no pattern matches → err", config: { slug: "Ab" }, issues: [["config.slug", "must be a slug"]], lua: [["^%l+$", "Ab", false], ["^%l+%-%l+$", "Ab", false]] },
      { name: "match_any: the second pattern matches", config: { slug: "ab-cd" }, lua: [["^%l+%-%l+$", "ab-cd", true]] },
      { name: "match_any without err says invalid value", config: { ext: "a.txt" }, issues: [["config.ext", "invalid value: a.txt"]], lua: [["%.lua$", "a.txt", false], ["%.json$", "a.txt", false]] },
      { name: "match_any: %. is a literal dot", config: { ext: "init.lua" }, lua: [["%.lua$", "init.lua", true]] },
      { name: "match_any: $ anchors the end", config: { ext: "a.luax" }, issues: [["config.ext", "invalid value: a.luax"]], lua: [["%.lua$", "a.luax", false]] },
      { name: "a vault reference is an ordinary string on a field that is not referenceable", config: { word: "{vault://env/w}" }, issues: [["config.word", "invalid value: {vault://env/w}"]] },
    ],
  },
  // kong/db/schema/init.lua Schema.validators starts_with (`sub(value, 1, #expected)`), contains
  // (`array[i] == wanted`), is_regex (PCRE compile via ngx.re.match), uuid (36 bytes and the
  // pattern, any case), custom_validator (`fn(value)`: truthy passes, else its err, else "failed
  // validating: %s"; never called for null), mutually_exclusive_subsets.
  {
    title: "starts_with, contains, is_regex, uuid, custom_validator, mutually_exclusive_subsets",
    plugin: "schema-validators",
    base: { must: "x" },
    cases: [
      { name: "starts_with: a longer value", config: { prefix: "/apiv1" } },
      { name: "starts_with: a shorter value", config: { prefix: "/ap" }, issues: [["config.prefix", "should start with: /api"]] },
      { name: "starts_with is case-sensitive", config: { prefix: "/API/x" }, issues: [["config.prefix", "should start with: /api"]] },
      { name: "contains: missing item", config: { items: ["a"] }, issues: [["config.items", "expected to contain: base"]] },
      { name: "contains: present item", config: { items: ["a", "base"] } },
      { name: "is_regex: an unclosed group", config: { pattern: "(" }, issues: [["config.pattern", "not a valid regex: ("]] },
      { name: "is_regex: an unclosed class", config: { pattern: "[a-" }, issues: [["config.pattern", "not a valid regex: [a-"]] },
      { name: "is_regex: a valid regex", config: { pattern: "^a+$" } },
      { name: "is_regex: PCRE inline options", config: { pattern: "(?i)abc" } },
      { name: "uuid: not a uuid", config: { id: "not-a-uuid" }, issues: [["config.id", "expected a valid UUID"]] },
      { name: "uuid: upper case is accepted", config: { id: "3F2504E0-4F89-11D3-9A0C-0305E82C3301" } },
      { name: "uuid: lower case", config: { id: "3f2504e0-4f89-11d3-9a0c-0305e82c3301" } },
      { name: "uuid: braces make it 38 bytes", config: { id: "{3f2504e0-4f89-11d3-9a0c-0305e82c3301}" }, issues: [["config.id", "expected a valid UUID"]] },
      { name: "custom_validator: its err", config: { even: 3 }, issues: [["config.even", "must be an even number, got 3"]] },
      { name: "custom_validator: passes", config: { even: 4 } },
      { name: "custom_validator: not called for null", config: { even: null } },
      { name: "custom_validator returning false alone: failed validating", config: { never: 3 }, issues: [["config.never", "failed validating: 3"]] },
      { name: "mutually_exclusive_subsets: two subsets touched", config: { transports: ["http", "tcp"] }, issues: [["config.transports", "these sets are mutually exclusive: ('http', 'https'), ('tcp', 'tls', 'udp')"]] },
      { name: "mutually_exclusive_subsets: subsets in first-seen order", config: { transports: ["tls", "http", "udp"] }, issues: [["config.transports", "these sets are mutually exclusive: ('tcp', 'tls', 'udp'), ('http', 'https')"]] },
      { name: "mutually_exclusive_subsets: one subset", config: { transports: ["http", "https"] } },
    ],
  },
  // kong/db/schema/init.lua validate_field: `return nil, field.err or err` after a validator, so
  // `err` replaces every validator's message but not a type or required message.
  {
    title: "err",
    plugin: "schema-validators",
    base: { must: "x" },
    cases: [
      { name: "err replaces one_of's message", config: { colour: "blue" }, issues: [["config.colour", "pick red or green"]] },
      { name: "err does not replace the type message", config: { colour: 5 }, issues: [["config.colour", "expected a string"]] },
      { name: "err replaces the first failing validator's message (one_of runs before len_min)", config: { colour: "" }, issues: [["config.colour", "pick red or green"]] },
      { name: "a valid value", config: { colour: "red" } },
    ],
  },
  // kong/db/schema/init.lua validate_field: an array's elements (and a map's entries, a record's
  // fields) are checked before the field's own validators run; validators stop at the first failure.
  {
    title: "contents before validators",
    plugin: "schema-validators",
    base: { must: "x" },
    cases: [
      { name: "a bad element is reported, not the length", config: { small_list: ["a", "c", "a"] }, issues: [["config.small_list[1]", "expected one of: a, b"]] },
      { name: "valid elements, too many", config: { small_list: ["a", "b", "a"] }, issues: [["config.small_list", "length must be at most 2"]] },
      { name: "a bad element hides contains", config: { items: [1] }, issues: [["config.items[0]", "expected a string"]] },
      { name: "a bad element hides len_eq", config: { pair: [1, "x", 3] }, issues: [["config.pair[1]", "expected an integer"]] },
    ],
  },
  // kong/db/schema/typedefs.lua: url (socket.url parse; host checked before scheme), host
  // (normalize_ip: "invalid value", "must not have a port"), port and timeout (between, %d), ip,
  // cidr (= cidr_v4), path (starts_with, match_none "//", validate_path), header_name
  // (kong.tools.http validate_header_name: ^[a-zA-Z0-9-_]+$).
  {
    title: "typedefs",
    plugin: "schema-validators",
    base: { must: "x" },
    cases: [
      { name: "url: a full url", config: { url: "https://example.com/x" } },
      { name: "url: no scheme and no authority is no host", config: { url: "example.com" }, issues: [["config.url", "missing host in url"]] },
      { name: "url: an authority without a scheme", config: { url: "//example.com" }, issues: [["config.url", "missing scheme in url"]] },
      { name: "url: an empty authority", config: { url: "http://" }, issues: [["config.url", "missing host in url"]] },
      { name: "host: a name", config: { host: "example.com" } },
      { name: "host: an ip", config: { host: "10.0.0.1" } },
      { name: "host: with a port", config: { host: "example.com:8000" }, issues: [["config.host", "must not have a port"]] },
      { name: "host: bad characters", config: { host: "bad host!" }, issues: [["config.host", "invalid value: bad host!"]] },
      { name: "port: 65535", config: { port: 65535 } },
      { name: "port: 65536", config: { port: 65536 }, issues: [["config.port", "value should be between 0 and 65535"]] },
      { name: "port: -1", config: { port: -1 }, issues: [["config.port", "value should be between 0 and 65535"]] },
      { name: "ip: v4", config: { ip: "10.0.0.1" } },
      { name: "ip: v6", config: { ip: "::1" } },
      { name: "ip: three octets", config: { ip: "10.0.0" }, issues: [["config.ip", "not an ip address: 10.0.0"]] },
      { name: "cidr: /8", config: { cidr: "10.0.0.0/8" } },
      { name: "cidr: /33", config: { cidr: "10.0.0.0/33" }, issues: [["config.cidr", "invalid ipv4 cidr range: '10.0.0.0/33'"]] },
      { name: "path: absolute", config: { path: "/a/b" } },
      { name: "path: relative", config: { path: "a/b" }, issues: [["config.path", "should start with: /"]] },
      { name: "path: an empty segment", config: { path: "/a//b" }, issues: [["config.path", "must not have empty segments"]] },
      { name: "path: a space", config: { path: "/a b" }, issues: [["config.path", "invalid path: '/a b' (characters outside of the reserved list of RFC 3986 found)"]] },
      { name: "path: a bad percent escape", config: { path: "/a%zz" }, issues: [["config.path", "invalid url-encoded value: '%zz'"]] },
      { name: "header_name: dashes", config: { header: "X-Request-Id" } },
      { name: "header_name: a space", config: { header: "bad header" }, issues: [["config.header", "bad header name 'bad header', allowed characters are A-Z, a-z, 0-9, '_', and '-'"]] },
      { name: "header_name: a dot is not allowed", config: { header: "X.Dotted" }, issues: [["config.header", "bad header name 'X.Dotted', allowed characters are A-Z, a-z, 0-9, '_', and '-'"]] },
      { name: "timeout: its default", includes: { timeout: 60000 } },
      { name: "timeout: 2^31 - 1 is above", config: { timeout: 2147483647 }, issues: [["config.timeout", "value should be between 0 and 2147483646"]] },
      { name: "uuid typedef: a given uuid", config: { ref: "3f2504e0-4f89-11d3-9a0c-0305e82c3301" } },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// schema-checks: every entity check, with Kong's gating.

const CHECKS: readonly Group[] = [
  // kong/db/schema/init.lua Schema.entity_checkers and run_entity_check: at_least_one_of (runs with
  // missing and invalid fields), only_one_of (zero also fails), mutually_required, mutually_exclusive,
  // mutually_exclusive_sets (lists only the non-empty names), distinct; is_nonempty counts 0 and
  // false, not null or "". Messages go to the record's "@entity".
  {
    title: "field-list checks",
    plugin: "schema-checks",
    base: { a: "x", key: "k" },
    cases: [
      { name: "the base config passes every check", includes: { policy: "local", hash_on: "none", window: 60, zone: null } },
      { name: "at_least_one_of: both null", config: { a: null, b: null }, issues: [["config", "at least one of these fields must be non-empty: 'a', 'b'"]] },
      { name: "at_least_one_of: the other one", config: { a: undefined, b: "y" } },
      { name: "at_least_one_of runs with an invalid field (\"\" is empty)", config: { a: "" }, issues: [["config.a", "length must be at least 1"], ["config", "at least one of these fields must be non-empty: 'a', 'b'"]] },
      { name: "only_one_of: both set", config: { key_file: "f" }, issues: [["config", "exactly one of these fields must be non-empty: 'key', 'key_file'"]] },
      { name: "only_one_of: neither set also fails", config: { key: undefined }, issues: [["config", "exactly one of these fields must be non-empty: 'key', 'key_file'"]] },
      { name: "only_one_of: the other one", config: { key: undefined, key_file: "f" } },
      { name: "mutually_required: one of two", config: { host: "h" }, issues: [["config", "all or none of these fields must be set: 'host', 'port'"]] },
      { name: "mutually_required: 0 counts as set", config: { port: 0 }, issues: [["config", "all or none of these fields must be set: 'host', 'port'"]] },
      { name: "mutually_required: both", config: { host: "h", port: 1 } },
      { name: "mutually_exclusive: false counts as set", config: { user: "u", anonymous: false }, issues: [["config", "only one or none of these fields must be set: 'user', 'anonymous', 'token'"]] },
      { name: "mutually_exclusive: one", config: { anonymous: true } },
      { name: "mutually_exclusive_sets: one of each", config: { p: "1", r: "2" }, issues: [["config", "these sets are mutually exclusive: ('p'), ('r')"]] },
      { name: "mutually_exclusive_sets lists only the non-empty names", config: { p: "1", q: "2", s: "3" }, issues: [["config", "these sets are mutually exclusive: ('p', 'q'), ('s')"]] },
      { name: "mutually_exclusive_sets: one set only", config: { r: "1", s: "2" } },
      { name: "distinct: equal values", config: { primary: "a", secondary: "a" }, issues: [["config", "values of these fields must be distinct: 'primary', 'secondary'"]] },
      { name: "distinct: different values", config: { primary: "a", secondary: "b" } },
    ],
  },
  // kong/db/schema/init.lua entity_checkers.conditional: if_match/then_match take the rest of the
  // field's definition through __index; `then_match.required` and a null value give "required field
  // missing" at then_field; another failure writes then_match's error at then_field (replacing the
  // field's own) and `then_err:format(if_field)` or "failed conditional validation given value of
  // field '%s'" at "@entity"; an if_value failing if_match passes; a null if_value passes a `match`
  // if_match (validate_field(null) on an optional field).
  {
    title: "conditional",
    plugin: "schema-checks",
    base: { a: "x", key: "k" },
    cases: [
      { name: "then_match required: missing", config: { policy: "redis" }, issues: [["config.redis_host", "required field missing"], ["config", "failed conditional validation given value of field 'policy'"]] },
      { name: "then_match required: given", config: { policy: "redis", redis_host: "h" } },
      { name: "if_match fails: nothing required", config: { policy: "local" } },
      { name: "an invalid if value fails if_match: only the field's error", config: { policy: "bogus" }, issues: [["config.policy", "expected one of: local, redis, cluster"]] },
      { name: "then_match one_of (narrower than the field's) with then_err", config: { hash_on: "header", hash_fallback: "header" }, issues: [["config.hash_fallback", "expected one of: none, ip, cookie"], ["config", "hash_fallback may not be 'header' when hash_on is 'header'"]] },
      { name: "then_match's error replaces the field's own at then_field", config: { hash_on: "header", hash_fallback: "bogus" }, issues: [["config.hash_fallback", "expected one of: none, ip, cookie"], ["config", "hash_fallback may not be 'header' when hash_on is 'header'"]] },
      { name: "if_match match fails for cookie", config: { hash_on: "cookie", hash_fallback: "header" } },
      { name: "a null if value passes a match-only if_match", config: { hash_on: null, hash_fallback: "header" }, issues: [["config.hash_fallback", "expected one of: none, ip, cookie"], ["config", "hash_fallback may not be 'header' when hash_on is 'header'"]] },
    ],
  },
  // kong/db/schema/init.lua entity_checkers.conditional_at_least_one_of: if_match (layered over the
  // field) → then_at_least_one_of, message `then_err:format(list)` or the AT_LEAST_ONE_OF format;
  // else_match → else_then_at_least_one_of with else_then_err.
  {
    title: "conditional_at_least_one_of",
    plugin: "schema-checks",
    base: { a: "x", key: "k" },
    cases: [
      { name: "if_match: none of then_at_least_one_of", config: { auth: "basic" }, issues: [["config", "at least one of these fields must be non-empty: 'username', 'token'"]] },
      { name: "if_match: one of them", config: { auth: "basic", username: "u" } },
      { name: "else_match: else_then_err", config: { auth: "anonymous" }, issues: [["config", "an anonymous auth needs 'anon_id'"]] },
      { name: "else_match: satisfied", config: { auth: "anonymous", anon_id: "id" } },
      { name: "neither if_match nor else_match", config: { auth: "none" } },
    ],
  },
  // kong/db/schema/init.lua entity_checkers.custom_entity_check: fn(projection of field_sources);
  // its err verbatim; run_with_invalid_fields = false, so it does not run when a source field has an
  // error.
  {
    title: "custom_entity_check",
    plugin: "schema-checks",
    base: { a: "x", key: "k" },
    cases: [
      { name: "the function's err", config: { min: 5, max: 1 }, issues: [["config", "min must not exceed max"]] },
      { name: "the function passes", config: { min: 1, max: 5 } },
      { name: "it sees nulls for absent optional fields", config: { min: 5 } },
      { name: "it does not run when a source field is invalid", config: { min: "5", max: 1 }, issues: [["config.min", "expected an integer"]] },
    ],
  },
  // kong/db/schema/init.lua run_entity_check: a check whose field holds a vault reference in a
  // referenceable string field is skipped entirely.
  {
    title: "entity checks and vault references",
    plugin: "schema-checks",
    base: { a: "x", key: "k" },
    cases: [
      { name: "a plain value fails mutually_exclusive", config: { user: "u", token: "t" }, issues: [["config", "only one or none of these fields must be set: 'user', 'anonymous', 'token'"]] },
      { name: "a reference skips the whole check", config: { user: "u", token: "{vault://env/token}" } },
    ],
  },
  // kong/db/schema/init.lua run_entity_check: a required field that is nil (absent, not null) gives
  // "field required for entity check" at that field, replacing the required check's message, and the
  // check does not run; a nested record runs its own entity checks at its own path.
  {
    title: "entity checks of a nested record",
    plugin: "schema-checks",
    base: { a: "x", key: "k" },
    cases: [
      { name: "an absent required field: field required for entity check", config: { zone: {} }, issues: [["config.zone.region", "field required for entity check"]] },
      { name: "distinct in the nested record", config: { zone: { region: "eu", tier: "eu" } }, issues: [["config.zone", "values of these fields must be distinct: 'region', 'tier'"]] },
      { name: "the nested record passes", config: { zone: { region: "eu", tier: "gold" } }, includes: { zone: { region: "eu", tier: "gold" } } },
    ],
  },
  // kong/db/schema/init.lua run_entity_checks: a plugin schema's top-level entity_checks run on the
  // plugins entity (fields: the subschema's, else the entity's), with dotted names; messages at the
  // entity's "@entity", then_field errors nested at config.<field>; protocols defaults to
  // typedefs.protocols' default before the checks see it.
  {
    title: "plugin-level entity checks",
    plugin: "schema-checks",
    base: { a: "x", key: "k" },
    cases: [
      { name: "conditional on config.policy: then_match between", config: { policy: "cluster", window: 0 }, protocols: ["http"], issues: [["config.window", "value should be between 1 and 3600"], ["@entity", "failed conditional validation given value of field 'config.policy'"]] },
      { name: "conditional on config.policy: inside the range", config: { policy: "cluster", window: 10 }, protocols: ["http"] },
      { name: "custom_entity_check sees the default protocols", config: { policy: "cluster" }, issues: [["@entity", "the cluster policy does not serve grpc"]] },
      { name: "custom_entity_check with http only", config: { policy: "cluster" }, protocols: ["https"] },
      { name: "typedefs.protocols: a stream protocol is fine without an override", protocols: ["tcp"] },
      { name: "an unknown protocol; the check on it does not run", config: { policy: "cluster" }, protocols: ["bogus"], issues: [["protocols[0]", "expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp, ws, wss"]] },
      { name: "a consumer is allowed without typedefs.no_consumer", consumer: true, route: true },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// schema-shorthands: shorthand_fields.

/** The effective config of schema-shorthands when nothing is given. */
const SHORTHAND_DEFAULTS = { name: "default-name", redis: { host: null, port: 6379, connect_timeout: 2000, read_timeout: 2000 } };

const SHORTHANDS: readonly Group[] = [
  // kong/db/schema/init.lua process_auto_fields (shorthand loop, before defaults): a present
  // shorthand (null included) is validated as a field, removed, and its func's values merged: for a
  // deprecated one, kong/tools/table.lua null_aware_table_merge (the real field's non-null values
  // win; a real null yields only where the shorthand gives that key) and scalars only where the real
  // field is nil or null; for a current one, table_merge (the shorthand wins).
  {
    title: "translation",
    plugin: "schema-shorthands",
    cases: [
      { name: "no config: every default", effective: SHORTHAND_DEFAULTS },
      { name: "a deprecated shorthand into a nested record; the key is gone", config: { redis_host: "a.example" }, effective: { ...SHORTHAND_DEFAULTS, redis: { ...SHORTHAND_DEFAULTS.redis, host: "a.example" } } },
      { name: "the same value in both places", config: { redis_host: "a.example", redis: { host: "a.example" } }, effective: { ...SHORTHAND_DEFAULTS, redis: { ...SHORTHAND_DEFAULTS.redis, host: "a.example" } } },
      { name: "a real null yields to the shorthand's value", config: { redis_host: "a.example", redis: { host: null } }, effective: { ...SHORTHAND_DEFAULTS, redis: { ...SHORTHAND_DEFAULTS.redis, host: "a.example" } } },
      { name: "a real null of another key is kept (no default)", config: { redis_host: "a.example", redis: { port: null } }, effective: { ...SHORTHAND_DEFAULTS, redis: { ...SHORTHAND_DEFAULTS.redis, host: "a.example", port: null } } },
      { name: "a null shorthand is translated to null", config: { redis_host: null }, effective: SHORTHAND_DEFAULTS },
      { name: "a current shorthand wins over the real field", config: { redis_port: 7000, redis: { port: 6000 } }, effective: { ...SHORTHAND_DEFAULTS, redis: { ...SHORTHAND_DEFAULTS.redis, port: 7000 } } },
      { name: "two shorthands into one record", config: { redis_host: "h", redis_port: 7000 }, effective: { ...SHORTHAND_DEFAULTS, redis: { ...SHORTHAND_DEFAULTS.redis, host: "h", port: 7000 } } },
      { name: "a deprecated scalar shorthand yields to the real field", config: { old_name: "old", name: "new" }, effective: { ...SHORTHAND_DEFAULTS, name: "new" } },
      { name: "a deprecated scalar shorthand fills a null real field", config: { old_name: "old", name: null }, effective: { ...SHORTHAND_DEFAULTS, name: "old" } },
      { name: "a deprecated scalar shorthand alone", config: { old_name: "old" }, effective: { ...SHORTHAND_DEFAULTS, name: "old" } },
      { name: "a current scalar shorthand wins", config: { alias: "al", name: "new" }, effective: { ...SHORTHAND_DEFAULTS, name: "al" } },
      { name: "a shorthand inside a nested record", config: { redis: { timeout: 100 } }, effective: { ...SHORTHAND_DEFAULTS, redis: { ...SHORTHAND_DEFAULTS.redis, connect_timeout: 100, read_timeout: 100 } } },
      { name: "the translated value is validated as the real field", config: { redis_host: "bad host!" }, issues: [["config.redis.host", "invalid value: bad host!"]] },
      { name: "an unknown key beside a shorthand", config: { redis_host: "h", bogus: 1 }, issues: [["config.bogus", "unknown field"]] },
    ],
  },
  // kong/db/schema/init.lua process_auto_fields: a shorthand's validation error, or
  // validate_deprecation_exclusiveness's "both deprecated and new field are used but their values
  // mismatch: %s = %s vs %s = %s" (a deprecated shorthand and a non-null, different value at a
  // replaced_with path), makes process_auto_fields return only the shorthand errors: nothing else of
  // the entity is checked. Kong keys these errors by the bare shorthand name (no `config.` prefix);
  // this library reports them where the key was written.
  {
    title: "shorthand errors",
    plugin: "schema-shorthands",
    cases: [
      { name: "a type error; the other wrong field is not checked", config: { redis_host: 5, name: 7 }, issues: [["config.redis_host", "expected a string"]] },
      { name: "errors of two shorthands of one record", config: { redis_host: 5, old_name: 6 }, issues: [["config.redis_host", "expected a string"], ["config.old_name", "expected a string"]] },
      { name: "a shorthand's own validator", config: { old_name: "waytoolongname" }, issues: [["config.old_name", "length must be at most 10"]] },
      { name: "a shorthand's implicit len_min", config: { old_name: "" }, issues: [["config.old_name", "length must be at least 1"]] },
      { name: "replaced_with: the values differ", config: { redis_host: "a.example", redis: { host: "b.example" } }, issues: [["config.redis_host", "both deprecated and new field are used but their values mismatch: redis_host = a.example vs redis.host = b.example"]] },
      { name: "replaced_with in a nested record: the first differing path", config: { redis: { timeout: 100, connect_timeout: 50 } }, issues: [["config.redis.timeout", "both deprecated and new field are used but their values mismatch: timeout = 100 vs connect_timeout = 50"]] },
      { name: "replaced_with in a nested record: the second path differs", config: { redis: { timeout: 100, read_timeout: 50 } }, issues: [["config.redis.timeout", "both deprecated and new field are used but their values mismatch: timeout = 100 vs read_timeout = 50"]] },
      { name: "replaced_with: every path agrees", config: { redis: { timeout: 100, connect_timeout: 100, read_timeout: 100 } }, effective: { ...SHORTHAND_DEFAULTS, redis: { ...SHORTHAND_DEFAULTS.redis, connect_timeout: 100, read_timeout: 100 } } },
      { name: "a nested shorthand's type error stops the whole entity", config: { redis: { timeout: "x" }, name: 5 }, issues: [["config.redis.timeout", "expected an integer"]] },
    ],
  },
];

const GROUPS: readonly Group[] = [...TYPES, ...VALIDATORS, ...CHECKS, ...SHORTHANDS];

describe("the schema corpus plugins", () => {
  it("pass luacheck --std ngx_lua", () => {
    const files = PLUGINS.flatMap((name) => ["handler.lua", "schema.lua"].map((file) => join(testFixture("schema/plugins"), name, file)));
    const output = mustRun("luacheck", ["--std", "ngx_lua", "--no-color", "--", ...files]);
    assert.match(output, /Total: 0 warnings \/ 0 errors in 8 files/);
  });

  it(`hold at least 150 cases`, () => {
    assert.ok(GROUPS.reduce((count, group) => count + group.cases.length, 0) >= 150);
  });
});

for (const group of GROUPS) {
  describe(`${group.plugin}: ${group.title}`, () => {
    for (const item of group.cases) it(item.name, () => void check(group, item));
  });
}

describe("kong/db/schema/init.lua validate_field (map): only the first error, in pairs order", () => {
  it("two bad entries give one issue at the map, either one's", () => {
    const result = kongConfigCheck(plugin("schema-types"), { config: { name: "x", limits: { Abc: 3, def: 11 } } });
    assert.deepEqual(result?.issues.map((issue) => issue.path), ["config.limits"]);
    assert.ok(["invalid value: Abc", "value should be between 1 and 10"].includes(result?.issues[0]?.message ?? ""));
  });
});

describe("the Lua patterns of the cases, as lua5.1's string.match answers them", () => {
  it("agrees with every [pattern, subject, matches] of the cases", () => {
    const facts = GROUPS.flatMap((group) => group.cases.flatMap((item) => item.lua ?? []));
    const answers = luaOracle(facts.map(([pattern, subject]) => ({ subject, pattern, init: 1 })));
    assert.deepEqual(
      answers.map((answer, index) => `${facts[index]?.[0]} on ${JSON.stringify(facts[index]?.[1])}: ${answer.match}`),
      facts.map(([pattern, subject, matches]) => `${pattern} on ${JSON.stringify(subject)}: ${matches ? "ok" : "nil"}`),
    );
  });
});

// Kong behaviours this library does not have yet. These tests fail until it does.
describe("json fields and generated values", () => {
  // kong/db/schema/init.lua validate_fields: a json field is checked by
  // kong.db.schema.json.validate(v, json_schema.inline) (lua-resty-ljsonschema, draft-04, first
  // problem only), whose error string is stored as is ("wrong type: expected %s, got %s",
  // "property %s validation failed: %s").
  it("json fields are checked against their inline JSON schema, in ljsonschema's words", () => {
    const types = TYPES[0] as Group;
    check(types, { name: "a string for an object", config: { payload: "text" }, issues: [["config.payload", "wrong type: expected one of object, null, got string"]] });
    check(types, { name: "a property of the wrong type", config: { payload: { level: "high" } }, issues: [["config.payload", "property level validation failed: wrong type: expected integer, got string"]] });
    check(types, { name: "a valid payload", config: { payload: { level: 3 } } });
  });

  // kong/db/schema/init.lua process_auto_fields: an absent `auto = true` uuid field (typedefs.uuid)
  // gets uuid(), a random UUID, on insert. The effective config leaves it null instead: every
  // preview must give the same bytes, and Kong's generated value always passes its validators.
  it("an absent typedefs.uuid field stays null in the effective config (Kong would generate a random UUID)", () => {
    const result = check(VALIDATORS[0] as Group, { name: "absent ref", config: {} });
    assert.equal(result?.config["ref"], null);
  });
});

// The derived JSON Schema (json-schema.ts) judged on the same cases: where it refuses, Kong
// refuses; where Kong refuses what it accepts, an x-kong-* keyword on the way says why.
describe("the derived JSON Schema on every config case", () => {
  it("never refuses a config Kong accepts, and marks each rule it cannot express", () => {
    let compared = 0;
    let bothRefuse = 0;
    for (const group of GROUPS) {
      const schema = plugin(group.plugin).configSchema as Record<string, unknown>;
      const validate = compiledValidator(schema);
      for (const item of group.cases) {
        const input = inputOf(group, item);
        if (input.config === undefined || input.config === null || input.protocols !== undefined || input.consumer || input.route || input.service) continue;
        compared += 1;
        const kong = (kongConfigCheck(plugin(group.plugin), input)?.issues ?? []).filter((issue) => issue.path.startsWith("config") || issue.path === "@entity");
        const accepts = validate(input.config) as boolean;
        assert.ok(accepts || kong.length > 0, `${group.title} / ${item.name}: the JSON Schema refuses what Kong accepts: ${JSON.stringify(validate.errors)}`);
        if (!accepts) bothRefuse += 1;
        if (accepts) for (const issue of kong) assert.ok(explainedByKongKeyword(schema, issue.path), `${group.title} / ${item.name}: Kong refuses (${issue.path}: ${issue.message}) with no x-kong-* keyword on the way`);
      }
    }
    assert.ok(compared >= 150 && bothRefuse >= 30, `${compared} cases compared, ${bothRefuse} refused by both`);
  });
});
