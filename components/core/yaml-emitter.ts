// A YAML writer for JSON values that gives, byte for byte, what the `yaml` library writes with
// the options of stableYaml (sorted keys, block style, 2-space indent, sequences indented under
// their key, no line folding, YAML 1.1 quoting), in a fraction of its time: the library builds a
// document tree of every value before writing it, which was most of the CPU of a large render.
// The layout (maps, sequences, `{}`, `[]`, indentation) is written here; how a scalar is written
// (plain, quoted, block) is the library's: obviously plain scalars, and the simplest quoted and
// block ones, are written here as the library writes them; any other scalar is written by the
// library once and remembered. A value it does not cover (a top-level scalar, a class
// instance, `undefined` in an array, a key the library would write as an explicit `? ` key)
// makes it answer undefined, and the caller writes the whole value with the library.
import { compareStrings } from "./digest";
import { readsAsNonString } from "./yaml11";

/** How the library writes one scalar, as a map value, a sequence item, or a map key; undefined when it cannot tell. */
export type ScalarWriter = (value: string | number, context: ScalarContext) => string | undefined;

/**
 * Where a scalar stands: its rendering can differ between a key and a value, and between a key
 * at column 0 (where `---` would end the document) and a nested one.
 */
export type ScalarContext = "value" | "item" | "key" | "topKey";

/** Thrown inside the writer for a value it leaves to the library. */
class NotCovered extends Error {}

/** A string the library writes plain, bare, whatever its context: letters, digits and `_./:-`, no `: `. */
const OBVIOUSLY_PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*(?::[A-Za-z0-9_./-]+)*$/;
const INDENTS: string[] = [""];

/** The library's YAML 1.1 float with an exponent and no digits before it (`e0`, `E-5`): it quotes those. */
const BARE_EXPONENT = /^[eE][-+]?[0-9]+$/;

/**
 * Whether the library writes an obviously plain string bare: a YAML 1.1 reader takes none of
 * them for another type but the words of booleans and null (`yes`, `Off`, `null`, `y`), which
 * are at most 5 characters, and a bare exponent (`e0`); numbers and timestamps start with a
 * digit, a sign or a dot (the library's yaml-1.1 tags: yaml/dist/schema/yaml-1.1/*.js).
 */
function writtenBare(value: string): boolean {
  return OBVIOUSLY_PLAIN.test(value) && !BARE_EXPONENT.test(value) && (value.length > 5 || !readsAsNonString(value));
}

/** The library's test for a string it cannot write plain (yaml/dist/stringify/stringifyString.js, plainString). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** Printable ASCII and line feeds: nothing the library escapes, nothing YAML 1.1 readers misread. */
const SIMPLE_TEXT = /^[\x20-\x7e\n]*$/;
/** A multi-line string the library writes as a literal block with no indentation indicator and `|-` or `|` (strip or clip). */
const SIMPLE_BLOCK = /^[^ \n][^]*[^ \n]\n?$/;

/**
 * How the library writes a simple string it cannot write plain (stringifyString.js: quotedString,
 * doubleQuotedString, blockString, with lineWidth 0): as a map value or sequence item, one line
 * without `"` or `\` in double quotes as it stands; as a map value, several lines that start and
 * end with a visible character (and at most one line feed after it) as a literal block, chomped
 * by `-` unless it ends with that line feed, each run of line feeds followed by the two spaces
 * of the block's indentation. Undefined for any other string, which the library writes.
 */
function quoted(value: string, context: ScalarContext): string | undefined {
  if (value.includes("\n") || !SIMPLE_TEXT.test(value) || !NOT_PLAIN.test(value)) return undefined;
  return (context === "value" || context === "item") && !/["\\]/.test(value) ? `"${value}"` : undefined;
}

/** The same literal block as a map value whose key stands at `column`: its lines two columns further in. */
function block(value: string, context: ScalarContext, column: number): string | undefined {
  if (context !== "value" || !value.includes("\n") || !SIMPLE_TEXT.test(value) || !NOT_PLAIN.test(value) || !SIMPLE_BLOCK.test(value)) return undefined;
  const clipped = value.endsWith("\n");
  const lines = indent(column + 2);
  return `|${clipped ? "" : "-"}\n${lines}${(clipped ? value.slice(0, -1) : value).replace(/\n+/g, `$&${lines}`)}`;
}

function indent(column: number): string {
  for (let next = INDENTS.length; next <= column; next += 1) INDENTS.push(" ".repeat(next));
  return INDENTS[column] as string;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/** Whether JavaScript orders this key as an array index: before every other key, by number. */
function isArrayIndex(key: string): boolean {
  return ARRAY_INDEX.test(key) && Number(key) < 4294967295;
}

/**
 * The keys stableYaml writes, in its order: the order of the object sortKeysDeep builds, that
 * is array-index keys first by number (JavaScript's own order, in which Object.keys gives them
 * too), then every other key in code-unit order (compareStrings); keys holding `undefined` are
 * left out.
 */
function writtenKeys(map: Record<string, unknown>): string[] {
  const all = Object.keys(map);
  const keys = all.some((key) => map[key] === undefined) ? all.filter((key) => map[key] !== undefined) : all;
  let indexes = 0;
  while (indexes < keys.length && isArrayIndex(keys[indexes] as string)) indexes += 1;
  // Code-unit order, as the default sort (which converts each key again at every comparison).
  // Renderers often build objects with their keys in that order already: then there is nothing to sort.
  if (indexes === 0) return inOrder(keys, 0) ? keys : keys.sort(compareStrings);
  return inOrder(keys, indexes) ? keys : [...keys.slice(0, indexes), ...keys.slice(indexes).sort(compareStrings)];
}

/** Whether the keys from `start` on are in code-unit order. */
function inOrder(keys: readonly string[], start: number): boolean {
  for (let index = start + 1; index < keys.length; index += 1) if ((keys[index - 1] as string) > (keys[index] as string)) return false;
  return true;
}

/** Writes JSON values as stableYaml does; one writer per scalar rendering, with its memory. */
export class YamlEmitter {
  private readonly remembered: Record<ScalarContext, Map<string, string>> = { value: new Map(), item: new Map(), key: new Map(), topKey: new Map() };
  private text = "";

  /** @param writeScalar how the library writes a scalar that is not obviously plain. */
  constructor(private readonly writeScalar: ScalarWriter) {}

  /** The document, or undefined when the value holds something only the library writes. */
  emit(value: unknown): string | undefined {
    if (value === null || typeof value !== "object") return undefined;
    this.text = "";
    try {
      if (Array.isArray(value)) {
        if (value.length === 0) return "[]\n";
        this.sequence(value, 0, "");
      } else {
        if (!isPlainObject(value)) return undefined;
        const keys = writtenKeys(value);
        if (keys.length === 0) return "{}\n";
        this.map(value, keys, 0, "");
      }
      return this.text;
    } catch (error) {
      if (error instanceof NotCovered) return undefined;
      throw error;
    } finally {
      this.text = "";
    }
  }

  /** A map's entries at `column`; the first line starts with `first` (a parent's `- `, or the indent). */
  private map(map: Record<string, unknown>, keys: readonly string[], column: number, first: string): void {
    const own = indent(column);
    for (let index = 0; index < keys.length; index += 1) {
      const key = keys[index] as string;
      // sortKeysDeep's copy sets a prototype there instead of a key: left to it and the library.
      if (key === "__proto__") throw new NotCovered();
      const value = map[key];
      this.text += `${index === 0 ? first : own}${this.key(key, column === 0 && first === "" ? "topKey" : "key")}:`;
      if (value !== null && typeof value === "object") {
        if (Array.isArray(value)) {
          if (value.length === 0) this.text += " []\n";
          else {
            this.text += "\n";
            this.sequence(value, column + 2, indent(column + 2));
          }
        } else {
          if (!isPlainObject(value)) throw new NotCovered();
          const inner = writtenKeys(value);
          if (inner.length === 0) this.text += " {}\n";
          else {
            this.text += "\n";
            this.map(value, inner, column + 2, indent(column + 2));
          }
        }
      } else {
        this.text += ` ${this.scalar(value, "value", column)}\n`;
      }
    }
  }

  /** A sequence's items, each `- ` at `column`; the first line starts with `first`. */
  private sequence(items: readonly unknown[], column: number, first: string): void {
    const own = indent(column);
    for (let index = 0; index < items.length; index += 1) {
      const item = items[index];
      const prefix = `${index === 0 ? first : own}- `;
      if (item !== null && typeof item === "object") {
        if (Array.isArray(item)) {
          if (item.length === 0) this.text += `${prefix}[]\n`;
          else this.sequence(item, column + 2, prefix);
        } else {
          if (!isPlainObject(item)) throw new NotCovered();
          const keys = writtenKeys(item);
          if (keys.length === 0) this.text += `${prefix}{}\n`;
          else this.map(item, keys, column + 2, prefix);
        }
      } else {
        this.text += `${prefix}${this.scalar(item, "item", column)}\n`;
      }
    }
  }

  private key(key: string, context: "key" | "topKey"): string {
    if (key.length < 1024 && writtenBare(key)) return key;
    const written = this.remember(key, context);
    // A key the library writes over several lines, or as an explicit `? ` key, is left to it.
    if (written.includes("\n") || written.startsWith("? ")) throw new NotCovered();
    return written;
  }

  /**
   * A scalar standing at `column` (its key's column, or its `- `'s). A block scalar the library
   * wrote at column 0 has its lines two columns in: here they move with the column.
   */
  private scalar(value: unknown, context: "value" | "item", column: number): string {
    switch (typeof value) {
      case "string": {
        if (writtenBare(value)) return value;
        const simpleBlock = block(value, context, column);
        if (simpleBlock !== undefined) return simpleBlock;
        const written = this.remember(value, context);
        if (column === 0 || !written.includes("\n")) return written;
        const moved = indent(column);
        return written.replace(/\n(?=[^\n])/g, `\n${moved}`);
      }
      case "number":
        return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : this.written(value as number, context);
      case "boolean":
        return value ? "true" : "false";
      case "object":
        if (value === null) return "null";
        throw new NotCovered();
      default:
        throw new NotCovered();
    }
  }

  private written(value: string | number, context: ScalarContext): string {
    const written = this.writeScalar(value, context);
    if (written === undefined) throw new NotCovered();
    return written;
  }

  private remember(value: string, context: ScalarContext): string {
    const memory = this.remembered[context];
    let written = memory.get(value);
    if (written === undefined) {
      written = quoted(value, context) ?? this.written(value, context);
      // Bounded: a long-running program renders many distinct values.
      if (memory.size >= 100_000) memory.clear();
      if (value.length <= 4096) memory.set(value, written);
    }
    return written;
  }
}
