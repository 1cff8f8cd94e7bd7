// Generators of Lua 5.1 pattern cases: subjects drawn from a small alphabet (so that patterns
// match often) with control bytes, NUL and multi-byte UTF-8; patterns from a grammar of every
// pattern feature, and malformed patterns made by splicing a broken fragment into a good one.
import fc from "fast-check";
import type { PatternCase } from "./lua-oracle";

/** Subject characters: letters the patterns use, digits, blanks, controls, magic bytes, UTF-8. */
const SUBJECT_CHARS = ["a", "a", "b", "b", "c", "A", "Z", "0", "1", "9", " ", "\t", "\n", "\0", "\x01", "\x7f", "(", ")", "[", "]", "%", "-", ".", "_", "é", "€", "😀"];

export const subjectArbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.constantFrom(...SUBJECT_CHARS), { maxLength: 16 }).map((chars) => chars.join("")) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 10 }) },
);

const literal = fc.constantFrom("a", "b", "c", "A", "0", "1", " ", "_", ",", "é", "\n", "]", "^");
// No `%g`: Lua 5.1, the oracle here, reads it as the letter g; LuaJIT (Kong's VM) as a class,
// which the matcher follows and a LuaJIT test checks.
const escaped = fc.constantFrom("%.", "%%", "%(", "%)", "%[", "%]", "%-", "%+", "%*", "%?", "%^", "%$", "% ", "%_");
const classLetter = fc.constantFrom(..."acdlpsuwxzACDLPSUWXZ".split("").map((letter) => `%${letter}`));

/** A set: optional `^`, optional `]` first, members (bytes, ranges, classes, escapes), optional `-` last. */
const set = fc
  .record({
    complement: fc.boolean(),
    bracketFirst: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    members: fc.array(fc.oneof(literal, fc.constantFrom("a-c", "0-9", "A-Z", "-", "a-", "\x01-\x1f", "é-é"), classLetter, escaped), { maxLength: 4 }),
    minusLast: fc.boolean(),
  })
  .map(({ complement, bracketFirst, members, minusLast }) => `[${complement ? "^" : ""}${bracketFirst ? "]" : ""}${members.join("")}${minusLast ? "-" : ""}]`);

const singleClass = fc.oneof({ weight: 4, arbitrary: literal }, { weight: 2, arbitrary: fc.constant(".") }, { weight: 2, arbitrary: escaped }, { weight: 3, arbitrary: classLetter }, { weight: 3, arbitrary: set });
const quantified = fc.tuple(singleClass, fc.constantFrom("", "", "*", "+", "-", "?")).map(([item, quantifier]) => item + quantifier);
const balanced = fc.constantFrom("%b()", "%b[]", "%bab", "%baa", "%b)(");
/** Frontiers of word boundaries and of NUL (which Lua reads before and after the subject), and of any set. */
const frontier = fc.oneof(fc.constantFrom("[%w]", "[%W]", "[%z]", "[%Z]", "[%c]", "[%s]", "[^%s]"), set).map((s) => `%f${s}`);
const backReference = fc.constantFrom("%1", "%1", "%2", "%3");
const oddAnchor = fc.constantFrom("^", "$");

const { sequence } = fc.letrec<{ item: string; sequence: string }>((tie) => ({
  item: fc.oneof(
    { maxDepth: 3, depthSize: "small" },
    { weight: 10, arbitrary: quantified },
    { weight: 1, arbitrary: balanced },
    { weight: 1, arbitrary: frontier },
    { weight: 1, arbitrary: backReference },
    { weight: 1, arbitrary: fc.constant("()") },
    { weight: 1, arbitrary: oddAnchor },
    { weight: 3, arbitrary: tie("sequence").map((inner) => `(${inner})`) },
  ),
  sequence: fc.array(tie("item"), { maxLength: 5 }).map((items) => items.join("")),
}));

/** A well-formed pattern, perhaps anchored at either end. */
export const patternArbitrary: fc.Arbitrary<string> = fc
  .tuple(fc.boolean(), sequence, fc.boolean())
  .map(([start, body, end]) => `${start ? "^" : ""}${body}${end ? "$" : ""}`);

/** Fragments that make a pattern malformed where the search reaches them (or, after a NUL, invisible). */
const BROKEN = ["[", "[a", "[^", "[]", "[%", "%", "(", ")", "(()", "%b", "%bx", "%f", "%fa", "%f[a", "%0", "%9", "\0", "\0("];

/** A well-formed pattern with a broken fragment spliced in at some position. */
export const malformedPatternArbitrary: fc.Arbitrary<string> = fc
  .tuple(patternArbitrary, fc.constantFrom(...BROKEN), fc.nat())
  .map(([pattern, fragment, at]) => {
    const cut = at % (pattern.length + 1);
    return pattern.slice(0, cut) + fragment + pattern.slice(cut);
  });

/** A case: mostly from the start, sometimes from an `init` inside, before or after the subject. */
export const patternCaseArbitrary: fc.Arbitrary<PatternCase> = fc.record({
  subject: subjectArbitrary,
  pattern: fc.oneof({ weight: 4, arbitrary: patternArbitrary }, { weight: 1, arbitrary: malformedPatternArbitrary }),
  init: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: -20, max: 20 }) }),
});
