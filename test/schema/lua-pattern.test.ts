import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { LUA_PATTERN_STEP_BUDGET, LuaPatternError, luaFind, luaFindBytes, luaMatches } from "../../components/schema/lua-pattern";
import { describeFind, libraryAnswer, luaOracle, type PatternCase } from "../helpers/lua-oracle";
import { patternCaseArbitrary } from "../helpers/lua-pattern-arbitrary";
import { mustRun, requireTool } from "../helpers/tools";

/** `[start, end, ...captures]` for a match, `null` for nil, or the message of the error Lua raises. */
type Expected = readonly [number, number, ...(string | number)[]] | null | string;

/** `[subject, pattern, expected]` or `[subject, pattern, expected, init]`, for `string.find`. */
type FindCase = readonly [string, string, Expected] | readonly [string, string, Expected, number];

const FIND_CASES: Record<string, readonly FindCase[]> = {
  "plain text (no special byte: a plain search)": [
    ["hello", "l", [3, 3]],
    ["hello", "lo", [4, 5]],
    ["hello", "", [1, 0]],
    ["hello", "x", null],
    ["abc", "a)", null],
    ["a)", "a)", [1, 2]],
  ],
  "`.` is one byte": [
    ["hello", ".", [1, 1]],
    ["héllo", "^h..l", [1, 4]],
    ["€", "^.*$", [1, 3]],
    ["😀!", "^....(.)$", [1, 5, "!"]],
    ["a\0b", "a.b", [1, 3]],
  ],
  "classes of the C locale and their complements": [
    ["123abc", "%a+", [4, 6]],
    ["abc123", "%A+", [4, 6]],
    ["ab\tc", "%c", [3, 3]],
    ["\x01\x7fab", "%C+", [3, 4]],
    ["abc123", "%d+", [4, 6]],
    ["123abc", "%D+", [4, 6]],
    ["ABcD", "%l", [3, 3]],
    ["abCd", "%L", [3, 3]],
    ["abc!?", "%p+", [4, 5]],
    ["!?ab", "%P+", [3, 4]],
    ["a \t\n\v\f\rb", "%s+", [2, 7]],
    [" \tab", "%S+", [3, 4]],
    ["abCd", "%u", [3, 3]],
    ["ABcD", "%U", [3, 3]],
    ["!!ab1!", "%w+", [3, 5]],
    ["ab!?", "%W+", [3, 4]],
    ["zzf0Ag", "%x+", [3, 5]],
    ["f0zz", "%X+", [3, 4]],
    ["a\0b", "%z", [2, 2]],
    ["\0\0ab", "%Z+", [3, 4]],
    ["é", "%a", null],
    ["é", "%p", null],
    ["é", "^%W+$", [1, 2]],
    ["\x7f", "%c", [1, 1]],
  ],
  "`%` before any other byte stands for that byte": [
    ["a.b", "%.", [2, 2]],
    ["100%", "%%", [4, 4]],
    ["f(x)", "%(x%)", [2, 4]],
    ["a-b", "%-", [2, 2]],
    ["a_b", "%_", [2, 2]],
    ["[]", "%[%]", [1, 2]],
  ],
  "sets": [
    ["hello", "[aeiou]", [2, 2]],
    ["hello", "[^aeiou]+", [1, 1]],
    ["x-y", "[a-z]+", [1, 1]],
    ["a]b", "[]]", [2, 2]],
    ["a]b", "[^]]+", [1, 1]],
    ["a-b", "[a-]+", [1, 2]],
    ["-ab", "[-a]+", [1, 2]],
    ["b", "[a-]", null],
    ["a1 ", "[%d%s]+", [2, 3]],
    ["a%b", "[%%]", [2, 2]],
    ["a^b", "[b^]+", [2, 3]],
    ["aé", "[é]", [2, 2]],
    ["abc", "[]", "malformed pattern (missing ']')"],
    ["abc", "[^]", "malformed pattern (missing ']')"],
    ["abc", "[a", "malformed pattern (missing ']')"],
    ["abc", "[%", "malformed pattern (missing ']')"],
    ["abc", "[%]", "malformed pattern (missing ']')"],
  ],
  "quantifiers": [
    ["aaa", "a*", [1, 3]],
    ["baaa", "a*", [1, 0]],
    ["aab", "a+", [1, 2]],
    ["b", "a+", null],
    ["aaab", "a-b", [1, 4]],
    ["aaa", "a-", [1, 0]],
    ["aaa", "^a-$", [1, 3]],
    ["ab", "a?b", [1, 2]],
    ["b", "a?b", [1, 1]],
    ["<a><b>", "<(.-)>", [1, 3, "a"]],
    ["<a><b>", "<(.*)>", [1, 6, "a><b"]],
    ["aaab", "a*ab", [1, 4]],
    ["aaa", "^a?a?a?aaa$", [1, 3]],
    ["a*", "(a)*", [1, 2, "a"]],
    ["x*a", "*a", [2, 3]],
    ["a+", "a++", [1, 2]],
  ],
  "anchors": [
    ["hello", "^h", [1, 1]],
    ["hello", "^e", null],
    ["hello", "o$", [5, 5]],
    ["hello", "l$", null],
    ["a^b", "a^b", [1, 3]],
    ["a$b", "a$b", [1, 3]],
    ["^a", "^^a", [1, 2]],
    ["hello", "^hello$", [1, 5]],
    ["hello", "^l", [3, 3], 3],
    ["hello", "^l", null, 2],
    ["abc", "$", [4, 3], 10],
  ],
  "captures": [
    ["hello world", "(h)(e)", [1, 2, "h", "e"]],
    ["key=value", "(%w+)=(%w+)", [1, 9, "key", "value"]],
    ["abc", "((a)(b))", [1, 2, "ab", "a", "b"]],
    ["abc", "()b()", [2, 2, 2, 3]],
    ["", "()", [1, 0, 1]],
    ["a", "()".repeat(32), [1, 0, ...Array<number>(32).fill(1)]],
    ["a", "()".repeat(33), "too many captures"],
    ["abc", "(a", "unfinished capture"],
    ["b", "(a", null],
    ["a", "(a))", "invalid pattern capture"],
    ["a", "(()a))", "invalid pattern capture"],
  ],
  "back-references": [
    ["abab", "(ab)%1", [1, 4, "ab"]],
    [`say 'hi' "no'`, `(["'])(.-)%1`, [5, 8, "'", "hi"]],
    ["xaa", "(a)%1", [2, 3, "a"]],
    ["aa", "()a%1", null],
    ["aa", "(a%1)", "invalid capture index"],
    ["a", "(a)%2", "invalid capture index"],
    ["a", "%0", "invalid capture index"],
    ["b", "a%1", null],
  ],
  "%b": [
    ["f(a(b)c)d", "%b()", [2, 8]],
    ["((", "%b()", null],
    ["x)", "%b()", null],
    ["[[]]x", "%b[]", [1, 4]],
    ["abba", "%baa", [1, 4]],
    ["a", "%b", "unbalanced pattern"],
    ["a", "%b(", "unbalanced pattern"],
  ],
  "%f (frontier)": [
    ["THE (quick) fox", "%f[%a]%a+", [1, 3]],
    ["THE (quick) fox", "%f[%a]%a+", [6, 10], 4],
    ["foo bar", "%f[%W]", [4, 3]],
    ["foo", "%f[%z]", [4, 3]],
    ["\0", "%f[%z]", null],
    ["abc", "%fa", "missing '[' after '%f' in pattern"],
    ["abc", "%f", "missing '[' after '%f' in pattern"],
    ["abc", "%f[a", "malformed pattern (missing ']')"],
  ],
  "malformed parts are errors only where the search reaches them": [
    ["abc", "%", "malformed pattern (ends with '%')"],
    ["a", "a%", "malformed pattern (ends with '%')"],
    ["b", "a%", null],
    ["b", "a[", null],
    ["b", "a%b", null],
  ],
  "NUL: a special byte after one does not count, and a NUL ends the pattern for the matcher": [
    ["a\0b", "a\0b", [1, 3]],
    ["a\0(", "a\0(", [1, 3]],
    ["ab", "a\0z*", null],
    ["ab", "a*\0z", [1, 1]],
  ],
  "init": [
    ["hello", "l", [4, 4], 4],
    ["hello", "l", [4, 4], -2],
    ["hello", "l", [3, 3], -100],
    ["hello", "l", null, 100],
    ["hello", "", [6, 5], 100],
    ["hello", "()", [1, 0, 1], 0],
    ["hello", "l+", [4, 4], -2],
  ],
};

/** `[subject, pattern, expected]` for `string.match` as Kong's validators call it: true, false or the error. */
const MATCH_CASES: readonly (readonly [string, string, boolean | string])[] = [
  ["abc", "b", true],
  ["abc", "^b", false],
  ["/api/v1", "^/", true],
  ["my-header", "^[%w%-_]+$", true],
  ["my header", "^[%w%-_]+$", false],
  ["abc", "a)", "invalid pattern capture"],
  ["abc", "x)", false],
  ["abc", "(a", "unfinished capture"],
  ["a\0(", "a\0(", true],
  ["ab", "a\0z*", true],
  ["abc", "[a", "malformed pattern (missing ']')"],
];

const ALL_FIND_CASES = Object.values(FIND_CASES).flat();
const utf8 = new TextEncoder();

function caseOf([subject, pattern, , init]: FindCase): PatternCase {
  return { subject, pattern, init: init ?? 1 };
}

function expectedFind(expected: Expected): string {
  if (expected === null) return "nil";
  if (typeof expected === "string") return `err ${expected}`;
  const [start, end, ...captures] = expected;
  return describeFind({ start, end, captures: captures.map((capture) => (typeof capture === "number" ? capture : utf8.encode(capture))) });
}

function actualFind(subject: string, pattern: string, init: number): Expected {
  try {
    const found = luaFind(subject, pattern, init);
    return found === undefined ? null : [found.start, found.end, ...found.captures];
  } catch (error) {
    assert.ok(error instanceof LuaPatternError, `only LuaPatternError, got ${String(error)}`);
    return error.message;
  }
}

function actualMatch(subject: string, pattern: string): boolean | string {
  try {
    return luaMatches(subject, pattern);
  } catch (error) {
    assert.ok(error instanceof LuaPatternError, `only LuaPatternError, got ${String(error)}`);
    return error.message;
  }
}

describe("luaFind: string.find of Lua 5.1 on bytes", () => {
  for (const [feature, cases] of Object.entries(FIND_CASES)) {
    it(feature, () => {
      for (const [subject, pattern, expected, init] of cases) {
        assert.deepEqual(actualFind(subject, pattern, init ?? 1), expected, `string.find(${JSON.stringify(subject)}, ${JSON.stringify(pattern)}, ${init ?? 1})`);
      }
    });
  }

  it("these expectations are what lua5.1 answers", () => {
    requireTool("lua5.1");
    const answers = luaOracle(ALL_FIND_CASES.map(caseOf));
    ALL_FIND_CASES.forEach((findCase, i) => {
      assert.equal(answers[i]?.find, expectedFind(findCase[2]), `lua5.1 string.find(${JSON.stringify(findCase[0])}, ${JSON.stringify(findCase[1])}, ${findCase[3] ?? 1})`);
    });
  });

  it("a capture keeps its bytes: luaFindBytes has them, luaFind decodes a split character as U+FFFD", () => {
    const found = luaFindBytes(utf8.encode("héllo"), utf8.encode("(h.)"));
    assert.deepEqual(found?.captures, [Uint8Array.of(0x68, 0xc3)]);
    assert.deepEqual(luaFind("héllo", "(h.)")?.captures, ["h\uFFFD"]);
    assert.deepEqual(luaFindBytes(Uint8Array.of(0x61, 0xff, 0x80, 0x62), Uint8Array.of(0x5b, 0x80, 0x2d, 0xff, 0x5d, 0x2b))?.end, 3);
  });

  it("init must be an integer", () => {
    assert.throws(() => luaFind("abc", "b", 1.5), RangeError);
    assert.throws(() => luaFind("abc", "b", Number.NaN), RangeError);
  });
});

describe("luaMatches: Kong's match validators (value:match(pattern))", () => {
  it("answers as string.match, which never searches plainly", () => {
    for (const [subject, pattern, expected] of MATCH_CASES) {
      assert.equal(actualMatch(subject, pattern), expected, `string.match(${JSON.stringify(subject)}, ${JSON.stringify(pattern)})`);
    }
  });

  it("these expectations are what lua5.1 answers", () => {
    requireTool("lua5.1");
    const answers = luaOracle(MATCH_CASES.map(([subject, pattern]) => ({ subject, pattern, init: 1 })));
    MATCH_CASES.forEach(([subject, pattern, expected], i) => {
      const words = expected === true ? "ok" : expected === false ? "nil" : `err ${expected}`;
      assert.equal(answers[i]?.match, words, `lua5.1 string.match(${JSON.stringify(subject)}, ${JSON.stringify(pattern)})`);
    });
  });
});

describe("%g: LuaJIT's class, not Lua 5.1's letter", () => {
  it("matches printable bytes but space, as LuaJIT (Kong's VM) answers string.match", () => {
    requireTool("luajit");
    const cases: [string, string][] = [["ag", "^%g+$"], ["a g", "^%g+$"], [" ", "%g"], ["\t~", "%g"], ["g", "^%G$"], ["é", "^%g+$"]];
    const answers = mustRun("luajit", ["-e", cases.map(([subject, pattern]) => `print(string.match(${JSON.stringify(subject)}, ${JSON.stringify(pattern)}) ~= nil)`).join(";")]).trim().split("\n");
    assert.deepEqual(cases.map(([subject, pattern]) => String(luaMatches(subject, pattern))), answers);
    assert.deepEqual(answers, ["true", "false", "false", "true", "false", "false"]);
  });
});

describe("long subjects and patterns: no recursion, a bounded search", () => {
  const run = "a".repeat(100_000);
  const nested = "(".repeat(50_000) + ")".repeat(50_000);
  /** Cases that Lua also finishes quickly: checked against lua5.1 too. */
  const LONG_CASES: readonly (readonly [string, string, Expected])[] = [
    [run, "^a*$", [1, 100_000]],
    [run, "^a-$", [1, 100_000]],
    [run + "b", "^(a-)b$", [1, 100_001, run]],
    [run, "^(a-)b$", null],
    [run, "^(a*)$", [1, 100_000, run]],
    [run, ".-$", [1, 100_000]],
    [run + run, "^(a*)%1$", [1, 200_000, run]],
    [nested, "%b()", [1, 100_000]],
    [run, "a?".repeat(100_000), [1, 100_000]],
    [run, "^" + "a".repeat(50_000) + "b", null],
  ];

  it("100,000-byte subjects and 200,000-byte patterns complete with Lua's answers", () => {
    for (const [subject, pattern, expected] of LONG_CASES) {
      const started = process.hrtime.bigint();
      assert.deepEqual(actualFind(subject, pattern, 1), expected, `pattern ${JSON.stringify(pattern.slice(0, 20))}...`);
      console.log(`# ${subject.length}-byte subject, pattern ${JSON.stringify(pattern.slice(0, 12))}${pattern.length > 12 ? "..." : ""}: ${Number(process.hrtime.bigint() - started) / 1e6} ms`);
    }
    requireTool("lua5.1");
    const answers = luaOracle(LONG_CASES.map(([subject, pattern]) => ({ subject, pattern, init: 1 })));
    LONG_CASES.forEach(([, pattern, expected], i) => assert.equal(answers[i]?.find, expectedFind(expected), `lua5.1, pattern ${JSON.stringify(pattern.slice(0, 20))}`));
  });

  it(`a search that would take Lua seconds to years stops after ${LUA_PATTERN_STEP_BUDGET} steps with "pattern too complex"`, () => {
    for (const [subject, pattern] of [
      ["a".repeat(60), "a*".repeat(12) + "b"],
      ["a".repeat(50), "a?".repeat(50) + "a".repeat(50) + "b"],
      [run, "a-b"],
    ]) {
      const started = process.hrtime.bigint();
      assert.throws(() => luaFind(subject as string, pattern as string), (error: unknown) => error instanceof LuaPatternError && error.message === "pattern too complex");
      console.log(`# budget reached in ${Number(process.hrtime.bigint() - started) / 1e6} ms for ${JSON.stringify((pattern as string).slice(0, 12))}...`);
    }
  });
});

describe("differential: luaFind and luaMatches answer as lua5.1 for generated cases", () => {
  /** The fast-check seed; set LUA_PATTERN_SEED to replay another run. */
  const SEED = Number(process.env["LUA_PATTERN_SEED"] ?? 20_250_511);
  const RUNS = 3_000;

  it(`${RUNS} generated subjects, patterns (well-formed and malformed) and inits`, () => {
    requireTool("lua5.1");
    console.log(`# fast-check seed ${SEED} (LUA_PATTERN_SEED=${SEED} replays it)`);
    const cases = fc.sample(patternCaseArbitrary, { seed: SEED, numRuns: RUNS });
    const lua = luaOracle(cases);
    const differences: string[] = [];
    const tally: Record<string, number> = {};
    cases.forEach((patternCase, i) => {
      const ours = libraryAnswer(patternCase);
      const theirs = lua[i];
      const kind = theirs?.find.split(" ")[0] ?? "none";
      tally[kind] = (tally[kind] ?? 0) + 1;
      if (ours.find !== theirs?.find || ours.match !== theirs?.match) {
        differences.push(`${JSON.stringify(patternCase)}\n  lua5.1: ${JSON.stringify(theirs)}\n  ours:   ${JSON.stringify(ours)}`);
      }
    });
    console.log(`# string.find answers: ${JSON.stringify(tally)}`);
    assert.deepEqual(differences.slice(0, 10), [], `${differences.length} of ${RUNS} cases differ (seed ${SEED})`);
    // The generator must reach every kind of answer, or the comparison proves little.
    assert.ok((tally["ok"] ?? 0) > RUNS / 5 && (tally["nil"] ?? 0) > RUNS / 10 && (tally["err"] ?? 0) > RUNS / 20, JSON.stringify(tally));
  });
});
