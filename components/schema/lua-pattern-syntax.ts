// How one Lua 5.1 pattern item is read and which bytes it stands for (Lua 5.1 reference manual
// §5.4.1, "Character Class" and "Pattern Item"). The pattern is read where the matcher stands,
// never parsed up front: Lua reports a malformed item only when a match attempt reaches it, so
// `string.find("b", "a[")` is nil, not an error, and Kong's validators behave the same way.

/** A Lua pattern error, with the message Lua 5.1's string library raises for it. */
export class LuaPatternError extends Error {
  override readonly name = "LuaPatternError";
}

/** Bytes with a meaning in patterns, by their ASCII code. */
export const enum Byte {
  Nul = 0x00,
  Dollar = 0x24,
  Percent = 0x25,
  OpenParen = 0x28,
  CloseParen = 0x29,
  Star = 0x2a,
  Plus = 0x2b,
  Minus = 0x2d,
  Dot = 0x2e,
  Zero = 0x30,
  Nine = 0x39,
  Question = 0x3f,
  OpenBracket = 0x5b,
  CloseBracket = 0x5d,
  Caret = 0x5e,
  LowerB = 0x62,
  LowerF = 0x66,
}

/**
 * A pattern as Lua 5.1's matcher sees it: the bytes up to the first NUL (the matcher reads the
 * pattern as a C string, which is why Lua 5.1 has `%z`), followed by one NUL that ends it. Reading
 * the NUL where Lua reads it is what makes every "ends with" error fall out at the same place.
 */
export function terminatedPattern(pattern: Uint8Array): Uint8Array {
  const nul = pattern.indexOf(Byte.Nul);
  const length = nul < 0 ? pattern.length : nul;
  const bytes = new Uint8Array(length + 1);
  bytes.set(pattern.subarray(0, length));
  return bytes;
}

/**
 * Where the single-byte class starting at `p` ends (the index just after it): one byte, `%x`, or
 * a set `[...]`. Throws Lua's error for a `%` or a set that the pattern's end cuts off.
 */
export function classEnd(pattern: Uint8Array, p: number): number {
  const first = pattern[p++];
  if (first === Byte.Percent) {
    if (pattern[p] === Byte.Nul) throw new LuaPatternError("malformed pattern (ends with '%')");
    return p + 1;
  }
  if (first !== Byte.OpenBracket) return p;
  if (pattern[p] === Byte.Caret) p++;
  // The first byte of a set is always a member, so `[]]` and `[^]]` are sets holding `]`.
  do {
    if (pattern[p] === Byte.Nul) throw new LuaPatternError("malformed pattern (missing ']')");
    const byte = pattern[p++];
    if (byte === Byte.Percent && pattern[p] !== Byte.Nul) p++;
  } while (pattern[p] !== Byte.CloseBracket);
  return p + 1;
}

/** Whether `byte` is in the class item `pattern[p] .. pattern[end - 1]` (see {@link classEnd}). */
export function singleMatch(byte: number, pattern: Uint8Array, p: number, end: number): boolean {
  switch (pattern[p]) {
    case Byte.Dot:
      return true;
    case Byte.Percent:
      return matchClass(byte, pattern[p + 1]);
    case Byte.OpenBracket:
      return matchSet(byte, pattern, p, end - 1);
    default:
      return pattern[p] === byte;
  }
}

/**
 * Whether `byte` is in the set whose `[` is at `open` and whose closing `]` is at `close`.
 * A `-` makes a range only between two bytes inside the set, so a `-` first or last is itself.
 */
export function matchSet(byte: number, pattern: Uint8Array, open: number, close: number): boolean {
  let p = open + 1;
  const complement = pattern[p] === Byte.Caret;
  if (complement) p++;
  for (; p < close; p++) {
    const item = pattern[p];
    if (item === Byte.Percent) {
      p++;
      if (matchClass(byte, pattern[p])) return !complement;
    } else if (pattern[p + 1] === Byte.Minus && p + 2 < close) {
      p += 2;
      if (item <= byte && byte <= (pattern[p])) return !complement;
    } else if (item === byte) {
      return !complement;
    }
  }
  return complement;
}

/**
 * Whether `byte` is in the class `%letter`. The classes are those of the C locale (Lua calls
 * the C library's `isalpha` and friends, and the Lua interpreter never changes the locale), so
 * no byte above 127 is in any of them. An upper-case letter is the complement; any other byte
 * after `%` stands for itself.
 */
export function matchClass(byte: number, letter: number): boolean {
  const inClass = CLASSES.get(letter | 0x20);
  if (inClass === undefined) return letter === byte;
  return inClass(byte) !== isUpper(letter);
}

const isUpper = (b: number): boolean => b >= 0x41 && b <= 0x5a;
const isLower = (b: number): boolean => b >= 0x61 && b <= 0x7a;
const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;
const isAlpha = (b: number): boolean => isUpper(b) || isLower(b);
const isAlnum = (b: number): boolean => isAlpha(b) || isDigit(b);
const isSpace = (b: number): boolean => (b >= 0x09 && b <= 0x0d) || b === 0x20;
const isControl = (b: number): boolean => b < 0x20 || b === 0x7f;
const isPunct = (b: number): boolean => b > 0x20 && b < 0x7f && !isAlnum(b);
const isHex = (b: number): boolean => isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

/**
 * The class letters (lower case) of Lua 5.1 as LuaJIT 2.1 (Kong's VM) reads them: `%z` is the
 * NUL byte (Lua 5.2 dropped it) and `%g` the printable bytes but space (LuaJIT's lj_str.c has
 * it; plain Lua 5.1 reads `%g` as the letter g).
 */
const CLASSES: ReadonlyMap<number, (byte: number) => boolean> = new Map([
  [0x61 /* a */, isAlpha],
  [0x63 /* c */, isControl],
  [0x64 /* d */, isDigit],
  [0x67 /* g */, (b: number) => b > 0x20 && b < 0x7f],
  [0x6c /* l */, isLower],
  [0x70 /* p */, isPunct],
  [0x73 /* s */, isSpace],
  [0x75 /* u */, isUpper],
  [0x77 /* w */, isAlnum],
  [0x78 /* x */, isHex],
  [0x7a /* z */, (b: number) => b === 0],
]);
