// Lua 5.1 patterns, as Kong's schema validators use them: `match`, `not_match`, `match_all`,
// `match_any` and `match_none` call `value:match(pattern)` (kong/db/schema/init.lua) under LuaJIT,
// whose patterns are Lua 5.1's. Lua strings are bytes, so everything here works on the UTF-8
// bytes of the subject and the pattern: `.` is one byte, positions and lengths count bytes.
// Written from the Lua 5.1 reference manual §5.4.1 and checked against the lua5.1 interpreter.
// In three corners LuaJIT 2.1 is not Lua 5.1, and this module follows Lua 5.1: LuaJIT knows
// `%g` (printable but not space; Lua 5.1 reads `%g` as a plain `g`), its `string.find` looks for
// special bytes past a NUL in the pattern, and it gives up with "pattern too complex" 200
// backtracking levels deep (here the limit is a step budget instead).
import { CAPTURE_POSITION, CAPTURE_UNFINISHED, PatternMachine } from "./lua-pattern-machine";
import { Byte, LuaPatternError, terminatedPattern } from "./lua-pattern-syntax";

export { LuaPatternError } from "./lua-pattern-syntax";
export { LUA_PATTERN_STEP_BUDGET } from "./lua-pattern-machine";

/** What `string.find` returns for a match: 1-based byte positions and the captures. */
export interface LuaFindResult<Capture> {
  /** Byte position of the match's first byte (1-based). */
  readonly start: number;
  /** Byte position of the match's last byte (1-based); `start - 1` for an empty match. */
  readonly end: number;
  /** Each capture's text, or for a position capture `()` its 1-based byte position. */
  readonly captures: readonly Capture[];
}

/** A capture as text (decoded from UTF-8) or a position. */
export type LuaCapture = string | number;
/** A capture as Lua holds it, bytes, or a position. */
export type LuaByteCapture = Uint8Array | number;

/**
 * Lua 5.1's `string.find(subject, pattern, init)`: the first match at or after byte `init`
 * (negative counts from the end), or `undefined`. As in Lua, a pattern with none of `^$*+?.([%-`
 * is searched for as plain text, and a malformed part of a pattern is an error only when the
 * search reaches it. A capture that splits a multi-byte character decodes with U+FFFD; use
 * {@link luaFindBytes} for the exact bytes.
 *
 * @throws LuaPatternError with Lua's message for a malformed pattern the search reaches, or
 *   "pattern too complex" when the search exceeds {@link LUA_PATTERN_STEP_BUDGET}.
 */
export function luaFind(subject: string, pattern: string, init = 1): LuaFindResult<LuaCapture> | undefined {
  const found = luaFindBytes(utf8.encode(subject), utf8.encode(pattern), init);
  if (found === undefined) return undefined;
  return { ...found, captures: found.captures.map((capture) => (typeof capture === "number" ? capture : textDecoder.decode(capture))) };
}

/** {@link luaFind} over bytes, for subjects and patterns that are not UTF-8 text. */
export function luaFindBytes(subject: Uint8Array, pattern: Uint8Array, init = 1): LuaFindResult<LuaByteCapture> | undefined {
  const start = startIndex(subject.length, init);
  if (!hasSpecials(pattern)) return plainFind(subject, pattern, start);
  return search(subject, pattern, start);
}

/**
 * Whether `value:match(pattern)` finds a match, the test of Kong's `match` validators (and, negated,
 * of `not_match`). Unlike `string.find`, `string.match` never falls back to a plain search.
 *
 * @throws LuaPatternError as {@link luaFind} does; Kong raises the same Lua error.
 */
export function luaMatches(subject: string, pattern: string): boolean {
  return search(utf8.encode(subject), utf8.encode(pattern), 0) !== undefined;
}

const utf8 = new TextEncoder();
const textDecoder = new TextDecoder("utf-8");

/** The bytes that make `string.find` run the matcher instead of a plain search. */
const SPECIALS = new Set([..."^$*+?.([%-"].map((c) => c.charCodeAt(0)));

/**
 * Whether `string.find` treats the pattern as one: Lua 5.1 looks for the special bytes with
 * `strpbrk`, which stops at the first NUL, so a special byte after a NUL does not count.
 */
function hasSpecials(pattern: Uint8Array): boolean {
  for (const byte of pattern) {
    if (byte === Byte.Nul) return false;
    if (SPECIALS.has(byte)) return true;
  }
  return false;
}

/** The 0-based index where the search starts, as Lua 5.1 clamps `init` into the subject. */
function startIndex(length: number, init: number): number {
  if (!Number.isSafeInteger(init)) throw new RangeError(`init must be an integer, got ${init}`);
  const position = init < 0 ? Math.max(init + length + 1, 0) : init;
  return Math.min(Math.max(position - 1, 0), length);
}

/** A plain search compares every byte of the pattern, NULs included (the empty pattern matches at the start). */
function plainFind(subject: Uint8Array, pattern: Uint8Array, start: number): LuaFindResult<LuaByteCapture> | undefined {
  const at = Buffer.from(subject.buffer, subject.byteOffset, subject.length).indexOf(pattern, start);
  return at < 0 ? undefined : { start: at + 1, end: at + pattern.length, captures: [] };
}

/** Tries the pattern at each start position from `start` (only there when it begins with `^`). */
function search(subject: Uint8Array, pattern: Uint8Array, start: number): LuaFindResult<LuaByteCapture> | undefined {
  const terminated = terminatedPattern(pattern);
  const anchored = terminated[0] === Byte.Caret;
  const machine = new PatternMachine(subject, terminated);
  for (let s = start; s <= subject.length; s++) {
    const end = machine.matchAt(s, anchored ? 1 : 0);
    if (end >= 0) return { start: s + 1, end, captures: captures(machine, subject) };
    if (anchored) break;
  }
  return undefined;
}

/** The captures of a match; one still open at the pattern's end is Lua's "unfinished capture". */
function captures(machine: PatternMachine, subject: Uint8Array): LuaByteCapture[] {
  const found: LuaByteCapture[] = [];
  for (let i = 0; i < machine.level; i++) {
    const start = machine.captureStart[i];
    const length = machine.captureLength[i];
    if (length === CAPTURE_UNFINISHED) throw new LuaPatternError("unfinished capture");
    found.push(length === CAPTURE_POSITION ? start + 1 : subject.slice(start, start + length));
  }
  return found;
}
