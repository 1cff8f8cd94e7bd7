// The real Lua 5.1 as the oracle for Lua patterns: a batch of cases goes to one lua5.1 process
// (test/schema/fixtures/pattern-oracle.lua), and both sides are described in the same one-line
// format so that a difference reads as a line diff.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { LuaPatternError, luaFindBytes, luaMatches, type LuaFindResult, type LuaByteCapture } from "../../components/schema/lua-pattern";
import { tempDir, testFixture } from "./paths";
import { mustRun } from "./tools";

/** One call of `string.find(subject, pattern, init)` and `string.match(subject, pattern)`. */
export interface PatternCase {
  readonly subject: string;
  readonly pattern: string;
  readonly init: number;
}

/** What each side answered, in the oracle's words (see pattern-oracle.lua). */
export interface PatternAnswer {
  readonly find: string;
  readonly match: string;
}

const utf8 = new TextEncoder();

/** Runs every case through lua5.1 in one process. */
export function luaOracle(cases: readonly PatternCase[]): PatternAnswer[] {
  const chunks: Uint8Array[] = [];
  for (const { subject, pattern, init } of cases) {
    const subjectBytes = utf8.encode(subject);
    const patternBytes = utf8.encode(pattern);
    chunks.push(utf8.encode(`${subjectBytes.length} ${patternBytes.length} ${init}\n`), subjectBytes, patternBytes);
  }
  const file = join(tempDir("lua-pattern-oracle-"), "cases.bin");
  writeFileSync(file, Buffer.concat(chunks));
  const lines = mustRun("lua5.1", [testFixture("schema/fixtures/pattern-oracle.lua"), file]).split("\n");
  return cases.map((_, i) => {
    const [find, match] = (lines[i] ?? "").split("\t");
    return { find: find ?? "", match: match ?? "" };
  });
}

/** What this library answers for the case, in the oracle's words. */
export function libraryAnswer({ subject, pattern, init }: PatternCase): PatternAnswer {
  return {
    find: describe(() => describeFind(luaFindBytes(utf8.encode(subject), utf8.encode(pattern), init))),
    match: describe(() => (luaMatches(subject, pattern) ? "ok" : "nil")),
  };
}

/** A `string.find` result in the oracle's words. */
export function describeFind(found: LuaFindResult<LuaByteCapture> | undefined): string {
  if (found === undefined) return "nil";
  const captures = found.captures.map((capture) => (typeof capture === "number" ? `n${capture}` : `s${Buffer.from(capture).toString("hex")}`));
  return ["ok", found.start, found.end, ...captures].join(" ");
}

/** Only a LuaPatternError is an answer: any other exception is a bug and shows as one. */
function describe(answer: () => string): string {
  try {
    return answer();
  } catch (error) {
    if (error instanceof LuaPatternError) return `err ${error.message}`;
    return `crash ${String(error)}`;
  }
}
