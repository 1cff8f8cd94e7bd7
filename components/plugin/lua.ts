import type { Chunk, Expression, Node, Options, Statement } from "luaparse";
import type { TextFile } from "../core/digest";
import { compareStrings } from "../core/digest";
import { timerUses } from "./lua-timers";
import { parse } from "./luaparse";
import {
  HANDLER_PHASES,
  type HandlerPhase,
  type LuaAnalysis,
  type LuaRequire,
  type LuaSyntaxError,
  type LuaTimerUse,
} from "./types";

/** Result of parsing one Lua file: its syntax tree, or where and why parsing failed. */
type ParsedLua = { readonly chunk: Chunk } | { readonly error: LuaSyntaxError };

/**
 * Lua as LuaJIT (Kong's VM) reads it: `goto` and labels are valid. Lua strings are bytes, so the
 * UTF-8 text is handed to the parser byte for byte (latin1) and string values are decoded back
 * with {@link luaString}.
 */
const PARSE_OPTIONS: Partial<Options> = {
  luaVersion: "LuaJIT",
  locations: true,
  comments: false,
  encodingMode: "pseudo-latin1",
};

/** Parses one file with the vendored luaparse (./luaparse.ts says why it is vendored). */
function parseLua(file: TextFile): ParsedLua {
  try {
    // LuaJIT skips a UTF-8 byte order mark at the start of a chunk (lj_lex.c, lj_lex_setup).
    const text = file.content.startsWith("\uFEFF") ? file.content.slice(1) : file.content;
    return { chunk: parse(Buffer.from(text, "utf8").toString("latin1"), PARSE_OPTIONS) as Chunk };
  } catch (error) {
    const { line, column, message } = error as { line?: number; column?: number; message: string };
    return {
      error: {
        file: file.path,
        line: line ?? 1,
        column: (column ?? 0) + 1,
        message: message.replace(/^\[\d+:\d+\]\s*/, ""),
      },
    };
  }
}

/** `file:line:col message`, the form compilers and editors use. */
export function formatSyntaxError(error: LuaSyntaxError): string {
  return `${error.file}:${error.line}:${error.column} ${error.message}`;
}

/**
 * Analyses a plugin's Lua files statically: handler phases, PRIORITY and VERSION, timer
 * use, requires, and the name schema.lua returns. Nothing is executed.
 */
export function analyseLua(files: readonly TextFile[]): LuaAnalysis {
  const timers: LuaTimerUse[] = [];
  const requires: LuaRequire[] = [];
  const syntaxErrors: LuaSyntaxError[] = [];
  let handler: HandlerFacts = { phases: [], fields: [] };
  let schemaName: string | undefined;
  let referenceableFields: string[] = [];

  const luaFiles = files.filter((file) => file.path.endsWith(".lua")).sort((a, b) => compareStrings(a.path, b.path));
  for (const file of luaFiles) {
    const parsed = parseLua(file);
    if ("error" in parsed) {
      syntaxErrors.push(parsed.error);
      continue;
    }
    walk(parsed.chunk, (node) => visitRequire(node, file.path, requires));
    const uses = timerUses(parsed.chunk).map(({ node, expression }) => ({ file: file.path, ...position(node), expression }));
    timers.push(...uses.sort((a, b) => a.line - b.line || a.column - b.column));
    if (file.path === "handler.lua") handler = handlerFacts(parsed.chunk);
    if (file.path === "schema.lua") {
      schemaName = returnedSchemaName(parsed.chunk);
      referenceableFields = referenceableConfigFields(parsed.chunk);
    }
  }

  return {
    phases: handler.phases,
    handlerFields: handler.fields,
    ...(handler.priority !== undefined ? { priority: handler.priority } : {}),
    ...(handler.version !== undefined ? { handlerVersion: handler.version } : {}),
    ...(schemaName !== undefined ? { schemaName } : {}),
    referenceableFields,
    timers,
    requires,
    syntaxErrors,
  };
}

/** Decodes a Lua string literal's bytes (as the parser saw them) back to text. */
function luaString(value: string): string {
  return Buffer.from(value, "latin1").toString("utf8");
}

function visitRequire(node: Node, file: string, requires: LuaRequire[]): void {
  if ((node.type === "CallExpression" || node.type === "StringCallExpression") && isIdentifier(node.base, "require")) {
    const argument = node.type === "CallExpression" ? node.arguments[0] : node.argument;
    const module = argument?.type === "StringLiteral" ? luaString(argument.value) : null;
    requires.push({ file, ...position(node), module });
  }
}

interface HandlerFacts {
  phases: HandlerPhase[];
  fields: string[];
  priority?: number;
  version?: string;
}

/**
 * Finds the table handler.lua returns and the fields set on it, in the three ways plugins
 * write it: a table constructor (`{ PRIORITY = 1000, access = function ... }`), assignments
 * (`Handler.PRIORITY = 1000`) and method definitions (`function Handler:access(conf)`).
 */
function handlerFacts(chunk: Chunk): HandlerFacts {
  const returned = returnedExpression(chunk);
  const fields = new Map<string, Node>();
  if (returned?.type === "TableConstructorExpression") collectTableFields(returned, fields);
  if (returned?.type === "Identifier") {
    const name = returned.name;
    for (const statement of chunk.body) collectHandlerFields(statement, name, fields);
  }
  const phases = HANDLER_PHASES.filter((phase) => fields.has(phase));
  const priority = numberValue(fields.get("PRIORITY"));
  const version = stringValue(fields.get("VERSION"), new Map());
  return {
    phases,
    fields: [...fields.keys()].sort(compareStrings),
    ...(priority !== undefined ? { priority } : {}),
    ...(version !== undefined ? { version } : {}),
  };
}

function collectHandlerFields(statement: Statement, name: string, fields: Map<string, Node>): void {
  switch (statement.type) {
    case "LocalStatement":
    case "AssignmentStatement":
      statement.variables.forEach((variable, index) => {
        const init = statement.init[index];
        if (!init) return;
        if (isIdentifier(variable, name) && init.type === "TableConstructorExpression") {
          collectTableFields(init, fields);
        } else if (variable.type === "MemberExpression" && isIdentifier(variable.base, name)) {
          fields.set(variable.identifier.name, init);
        }
      });
      return;
    case "FunctionDeclaration": {
      const id = statement.identifier;
      if (id?.type === "MemberExpression" && isIdentifier(id.base, name)) {
        fields.set(id.identifier.name, statement);
      }
      return;
    }
    default:
      return;
  }
}

function collectTableFields(table: Expression, fields: Map<string, Node>): void {
  if (table.type !== "TableConstructorExpression") return;
  for (const field of table.fields) {
    if (field.type === "TableKeyString") fields.set(field.key.name, field.value);
    if (field.type === "TableKey" && field.key.type === "StringLiteral") fields.set(luaString(field.key.value), field.value);
  }
}

/** The `name` field of the table schema.lua returns, following top-level string locals. */
function returnedSchemaName(chunk: Chunk): string | undefined {
  const table = returnedSchemaTable(chunk);
  if (!table) return undefined;
  const fields = new Map<string, Node>();
  collectTableFields(table, fields);
  return stringValue(fields.get("name"), topLevelStringLocals(chunk));
}

function returnedSchemaTable(chunk: Chunk): Expression | undefined {
  let table = returnedExpression(chunk);
  if (table?.type === "Identifier") table = localTable(chunk, table.name);
  return table?.type === "TableConstructorExpression" ? table : undefined;
}

/**
 * The config fields schema.lua declares `referenceable = true`, read from Kong's schema DSL:
 * `fields = { { config = { type = "record", fields = { { <name> = { ..., referenceable = true } } } } } }`.
 * Kong resolves `{vault://...}` references only in such fields.
 */
function referenceableConfigFields(chunk: Chunk): string[] {
  const config = fieldEntries(returnedSchemaTable(chunk)).get("config");
  return [...fieldEntries(config)]
    .filter(([, definition]) => {
      const attributes = new Map<string, Node>();
      if (definition?.type === "TableConstructorExpression") collectTableFields(definition, attributes);
      return attributes.get("referenceable")?.type === "BooleanLiteral" && (attributes.get("referenceable") as { value: boolean }).value;
    })
    .map(([name]) => name)
    .sort(compareStrings);
}

/** A schema table's `fields = { { name = definition }, ... }`, by name. */
function fieldEntries(table: Node | undefined): Map<string, Node> {
  const entries = new Map<string, Node>();
  if (table?.type !== "TableConstructorExpression") return entries;
  const attributes = new Map<string, Node>();
  collectTableFields(table, attributes);
  const list = attributes.get("fields");
  if (list?.type !== "TableConstructorExpression") return entries;
  for (const item of list.fields) {
    if (item.type === "TableValue" && item.value.type === "TableConstructorExpression") collectTableFields(item.value, entries);
  }
  return entries;
}

function localTable(chunk: Chunk, name: string): Expression | undefined {
  let found: Expression | undefined;
  for (const statement of chunk.body) {
    if (statement.type !== "LocalStatement" && statement.type !== "AssignmentStatement") continue;
    statement.variables.forEach((variable, index) => {
      const init = statement.init[index];
      if (isIdentifier(variable, name) && init) found = init;
    });
  }
  return found;
}

function topLevelStringLocals(chunk: Chunk): Map<string, string> {
  const constants = new Map<string, string>();
  for (const statement of chunk.body) {
    if (statement.type !== "LocalStatement") continue;
    statement.variables.forEach((variable, index) => {
      const init = statement.init[index];
      if (init?.type === "StringLiteral") constants.set(variable.name, luaString(init.value));
    });
  }
  return constants;
}

function returnedExpression(chunk: Chunk): Expression | undefined {
  const last = chunk.body[chunk.body.length - 1];
  return last?.type === "ReturnStatement" ? last.arguments[0] : undefined;
}

function stringValue(expression: Node | undefined, constants: Map<string, string>): string | undefined {
  if (expression?.type === "StringLiteral") return luaString(expression.value);
  if (expression?.type === "Identifier") return constants.get(expression.name);
  return undefined;
}

function numberValue(expression: Node | undefined): number | undefined {
  if (expression?.type === "NumericLiteral") return expression.value;
  if (expression?.type === "UnaryExpression" && expression.operator === "-" && expression.argument.type === "NumericLiteral") {
    return -expression.argument.value;
  }
  return undefined;
}

function isIdentifier(node: Node | undefined, name: string): boolean {
  return node?.type === "Identifier" && node.name === name;
}

function position(node: Node): { line: number; column: number } {
  const start = node.loc?.start;
  return { line: start?.line ?? 1, column: (start?.column ?? 0) + 1 };
}

/**
 * Pre-order walk over every syntax node.
 * Iterative: a 5,000-term expression nests 5,000 binary nodes, deeper than the stack allows.
 */
function walk(root: Node, visit: (node: Node) => void): void {
  const pending: Node[] = [root];
  while (pending.length > 0) {
    const node = pending.pop() as Node;
    visit(node);
    const children: Node[] = [];
    for (const [key, child] of Object.entries(node)) {
      if (key === "loc" || key === "range") continue;
      if (Array.isArray(child)) children.push(...child.filter(isNode));
      else if (isNode(child)) children.push(child);
    }
    // Pushed in reverse, so nodes are still visited in source order.
    for (let index = children.length - 1; index >= 0; index -= 1) pending.push(children[index] as Node);
  }
}

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === "object" && typeof (value as { type?: unknown }).type === "string";
}
