// The backtracking search of a Lua 5.1 pattern at one start position. Lua's own matcher
// recurses once per pattern item that can take another path (`?`, `*`, `+`, `-`, captures);
// here those paths are choice points on an explicit stack, so neither a long subject nor a long
// pattern can overflow the JavaScript stack. The order in which paths are tried is Lua's, so the
// first match found, its captures, and whether an error is reached at all are Lua's too.
import { Byte, classEnd, LuaPatternError, matchSet, singleMatch } from "./lua-pattern-syntax";

/**
 * How many steps (pattern items tried, bytes scanned) one search may take before it stops with
 * `LuaPatternError("pattern too complex")`. Lua has no such limit: `a*a*a*a*a*a*a*a*b` against
 * a long run of `a` takes polynomial time of a high degree, and a plugin's pattern must not hang
 * the program that checks its configuration. Ten million steps is a fraction of a second here,
 * and far more than any anchored or simple pattern needs on a 100,000-byte subject.
 */
export const LUA_PATTERN_STEP_BUDGET = 10_000_000;

/** Lua 5.1's limit on captures in one pattern (LUA_MAXCAPTURES). */
const MAX_CAPTURES = 32;

/** Capture length of a capture whose `)` is not reached yet. */
export const CAPTURE_UNFINISHED = -1;
/** Capture length of a position capture `()`. */
export const CAPTURE_POSITION = -2;

/** What one step of the search concluded. */
const enum Outcome {
  Continue,
  Failed,
  Matched,
}

/** The kinds of choice point: what is left to try when the path after it fails. */
const enum Choice {
  /** `x?` matched one byte: skip the item instead. */
  SkipOptional,
  /** `x*` / `x+` took `count` bytes: give one back. */
  GiveBack,
  /** `x-` took bytes up to `s`: take one more. */
  TakeMore,
}

/** Numbers per choice point on the stack: kind, s, item start, item end, count, trail length. */
const FRAME = 6;
/** Trail entry for an opened capture (undone by closing the level); entries >= 0 reopen a closed capture. */
const OPENED = -1;

/** One search of a pattern over a subject; it counts its steps across every start position. */
export class PatternMachine {
  /** Start index of each capture. */
  readonly captureStart = new Int32Array(MAX_CAPTURES);
  /** Length of each capture, or {@link CAPTURE_UNFINISHED} / {@link CAPTURE_POSITION}. */
  readonly captureLength = new Int32Array(MAX_CAPTURES);
  /** How many captures are open or closed on the current path. */
  level = 0;

  private s = 0;
  private p = 0;
  private steps = 0;
  /** Choice points, {@link FRAME} numbers each: a flat array keeps a deep search cheap. */
  private readonly choices: number[] = [];
  /** Capture changes since each choice point, so a failed path can be undone. */
  private readonly trail: number[] = [];

  /** `pattern` must come from `terminatedPattern`: its NUL ends it as in Lua 5.1. */
  constructor(
    private readonly subject: Uint8Array,
    private readonly pattern: Uint8Array,
  ) {}

  /** Matches the pattern from index `p` against the subject from index `start`: the end index, or -1. */
  matchAt(start: number, p: number): number {
    this.level = 0;
    this.choices.length = 0;
    this.trail.length = 0;
    this.s = start;
    this.p = p;
    for (;;) {
      this.charge(1);
      const outcome = this.step();
      if (outcome === Outcome.Matched) return this.s;
      if (outcome === Outcome.Failed && !this.backtrack()) return -1;
    }
  }

  private step(): Outcome {
    const { pattern, p } = this;
    switch (pattern[p]) {
      case Byte.Nul:
        return Outcome.Matched;
      case Byte.OpenParen:
        return this.openCapture();
      case Byte.CloseParen:
        return this.closeCapture();
      case Byte.Dollar:
        // `$` anchors only as the pattern's last byte; anywhere else it is a plain `$`.
        if (pattern[p + 1] === Byte.Nul) return this.s === this.subject.length ? Outcome.Matched : Outcome.Failed;
        break;
      case Byte.Percent: {
        const next = pattern[p + 1];
        if (next === Byte.LowerB) return this.balanced();
        if (next === Byte.LowerF) return this.frontier();
        if (next >= Byte.Zero && next <= Byte.Nine) return this.backReference(next - Byte.Zero - 1);
        break;
      }
    }
    return this.item();
  }

  /** A single-byte class, with the quantifier that may follow it. */
  private item(): Outcome {
    const { pattern, s, p } = this;
    const end = classEnd(pattern, p);
    const matches = s < this.subject.length && singleMatch(this.subject[s], pattern, p, end);
    switch (pattern[end]) {
      case Byte.Question:
        if (matches) {
          this.pushChoice(Choice.SkipOptional, s, p, end, 0);
          this.s = s + 1;
        }
        this.p = end + 1;
        return Outcome.Continue;
      case Byte.Star:
        return this.greedy(s, p, end);
      case Byte.Plus:
        return matches ? this.greedy(s + 1, p, end) : Outcome.Failed;
      case Byte.Minus:
        // Lazy: the rest of the pattern is tried first with no repetition at all.
        this.pushChoice(Choice.TakeMore, s, p, end, 0);
        this.p = end + 1;
        return Outcome.Continue;
      default:
        if (!matches) return Outcome.Failed;
        this.s = s + 1;
        this.p = end;
        return Outcome.Continue;
    }
  }

  /** Takes as many repetitions as match from `s`, and leaves a choice point to give them back one by one. */
  private greedy(s: number, p: number, end: number): Outcome {
    const { subject, pattern } = this;
    let count = 0;
    while (s + count < subject.length && singleMatch(subject[s + count], pattern, p, end)) count++;
    this.charge(count);
    this.pushChoice(Choice.GiveBack, s, p, end, count);
    this.s = s + count;
    this.p = end + 1;
    return Outcome.Continue;
  }

  private openCapture(): Outcome {
    const position = this.pattern[this.p + 1] === Byte.CloseParen;
    if (this.level >= MAX_CAPTURES) throw new LuaPatternError("too many captures");
    this.captureStart[this.level] = this.s;
    this.captureLength[this.level] = position ? CAPTURE_POSITION : CAPTURE_UNFINISHED;
    this.level++;
    this.trail.push(OPENED);
    this.p += position ? 2 : 1;
    return Outcome.Continue;
  }

  /** `)` closes the innermost capture still open; position captures are never open. */
  private closeCapture(): Outcome {
    let index = this.level - 1;
    while (index >= 0 && this.captureLength[index] !== CAPTURE_UNFINISHED) index--;
    if (index < 0) throw new LuaPatternError("invalid pattern capture");
    this.captureLength[index] = this.s - this.captureStart[index];
    this.trail.push(index);
    this.p += 1;
    return Outcome.Continue;
  }

  /** `%bxy`: from an `x` at `s` to the `y` that balances it. */
  private balanced(): Outcome {
    const { subject, pattern, s } = this;
    const open = pattern[this.p + 2];
    if (open === Byte.Nul || pattern[this.p + 3] === Byte.Nul) throw new LuaPatternError("unbalanced pattern");
    const close = pattern[this.p + 3];
    if (s >= subject.length || subject[s] !== open) return Outcome.Failed;
    let depth = 1;
    for (let i = s + 1; i < subject.length; i++) {
      const byte = subject[i];
      // The close byte is checked first, so `%baa` pairs each `a` with the next one.
      if (byte === close) {
        if (--depth === 0) {
          this.charge(i - s);
          this.s = i + 1;
          this.p += 4;
          return Outcome.Continue;
        }
      } else if (byte === open) {
        depth++;
      }
    }
    this.charge(subject.length - s);
    return Outcome.Failed;
  }

  /**
   * `%f[set]`: an empty match where the previous byte is not in the set and the next one is. Lua
   * reads a NUL before the subject's start and after its end (its strings end with one), so
   * `%f[%z]` never matches at the start but does at the end, and `%f[%a]` matches before a first letter.
   */
  private frontier(): Outcome {
    const { subject, pattern, s } = this;
    const open = this.p + 2;
    if (pattern[open] !== Byte.OpenBracket) throw new LuaPatternError("missing '[' after '%f' in pattern");
    const end = classEnd(pattern, open);
    const previous = s === 0 ? Byte.Nul : subject[s - 1];
    const current = s < subject.length ? subject[s] : Byte.Nul;
    if (matchSet(previous, pattern, open, end - 1) || !matchSet(current, pattern, open, end - 1)) return Outcome.Failed;
    this.p = end;
    return Outcome.Continue;
  }

  /** `%1`-`%9`: the bytes of an earlier closed capture again (`%0` is invalid, as in Lua 5.1). */
  private backReference(index: number): Outcome {
    const { subject, s } = this;
    if (index < 0 || index >= this.level || this.captureLength[index] === CAPTURE_UNFINISHED) {
      throw new LuaPatternError("invalid capture index");
    }
    // A position capture has no bytes: Lua compares its length as a huge unsigned number, so it never fits.
    const length = this.captureLength[index];
    if (length === CAPTURE_POSITION || subject.length - s < length) return Outcome.Failed;
    this.charge(length);
    const from = this.captureStart[index];
    for (let k = 0; k < length; k++) {
      if (subject[from + k] !== subject[s + k]) return Outcome.Failed;
    }
    this.s = s + length;
    this.p += 2;
    return Outcome.Continue;
  }

  private pushChoice(kind: Choice, s: number, p: number, end: number, count: number): void {
    this.choices.push(kind, s, p, end, count, this.trail.length);
  }

  /** Resumes the latest choice point that has a path left, after undoing the captures of the failed path. */
  private backtrack(): boolean {
    const { choices, subject, pattern } = this;
    while (choices.length > 0) {
      const top = choices.length - FRAME;
      this.undoTo(choices[top + 5]);
      const s = choices[top + 1];
      const p = choices[top + 2];
      const end = choices[top + 3];
      switch (choices[top] as Choice) {
        case Choice.SkipOptional:
          choices.length = top;
          this.s = s;
          this.p = end + 1;
          return true;
        case Choice.GiveBack: {
          const count = choices[top + 4] - 1;
          if (count < 0) break;
          choices[top + 4] = count;
          this.s = s + count;
          this.p = end + 1;
          return true;
        }
        case Choice.TakeMore:
          this.charge(1);
          if (s >= subject.length || !singleMatch(subject[s], pattern, p, end)) break;
          choices[top + 1] = s + 1;
          this.s = s + 1;
          this.p = end + 1;
          return true;
      }
      choices.length = top;
    }
    return false;
  }

  private undoTo(length: number): void {
    const { trail } = this;
    while (trail.length > length) {
      const entry = trail.pop() as number;
      if (entry === OPENED) this.level--;
      else this.captureLength[entry] = CAPTURE_UNFINISHED;
    }
  }

  private charge(steps: number): void {
    this.steps += steps;
    if (this.steps > LUA_PATTERN_STEP_BUDGET) throw new LuaPatternError("pattern too complex");
  }
}
