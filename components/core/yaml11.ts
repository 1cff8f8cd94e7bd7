import { Scalar, type ScalarTag, type Tags } from "yaml";
import { stringTag } from "yaml/util";

// What a YAML 1.1 reader resolves a plain scalar to, in the two readers our artifacts meet:
// PyYAML (docker-compose; yaml/resolver.py, its implicit resolvers) and go-yaml v2 (Kubernetes
// through sigs.k8s.io/yaml; resolve.go). A string matching any of these must be quoted, or
// the reader sees a boolean, number, null, timestamp, or a key it rejects (`<<`, `=`).
const YAML11_IMPLICIT_TYPES: readonly RegExp[] = [
  // bool: PyYAML's words, and go-yaml's single letters
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|y|Y|n|N)$/,
  // null
  /^(?:~|null|Null|NULL|)$/,
  // PyYAML's int (binary, octal, decimal, hex, sexagesimal)
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  // PyYAML's float (with sexagesimal, infinities and NaN)
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  // timestamp: PyYAML's rule, widened to every layout go-yaml tries (time.Parse with "2006-1-2...")
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt \t].*)?$/,
  // merge key (`<<`) and value key (`=`): PyYAML refuses both where a string is expected
  /^(?:<<|=)$/,
];

// go-yaml v2 reads a plain scalar that starts with a digit, a sign or a dot as a number when,
// with every `_` removed, Go's strconv.ParseInt (base 0: 0x, 0o, 0b, leading-0 octal) or its
// yamlStyleFloat pattern accepts it: `1_0`, `0o17`, `1e3` are numbers there, unlike in PyYAML.
const GO_YAML_NUMBER_START = /^[-+0-9.]/;
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/;
const GO_YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** Whether a YAML 1.1 reader (PyYAML or go-yaml v2) would read this plain scalar as anything but this string. */
export function readsAsNonString(value: string): boolean {
  if (YAML11_IMPLICIT_TYPES.some((pattern) => pattern.test(value))) return true;
  if (!GO_YAML_NUMBER_START.test(value)) return false;
  const digits = value.replace(/_/g, "");
  return GO_INT.test(digits) || GO_YAML_STYLE_FLOAT.test(digits);
}

// Characters a YAML 1.1 reader cannot take raw in any style: PyYAML refuses what YAML 1.1
// calls non-printable (C1 controls, U+FFFE, U+FFFF) and reads NEL, LS and PS as line breaks,
// which it then folds; a byte order mark mid-stream is not content in YAML 1.2. JSON escaping,
// which the library's double quotes build on, leaves all of them raw: they are escaped here.
const RAW_UNREADABLE = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
// A tab ends a plain scalar for PyYAML ("while scanning for the next token").
const TAB = /\t/;

function escapeUnreadable(quoted: string): string {
  return quoted.replace(new RegExp(RAW_UNREADABLE.source, "g"), (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

// Neither a quoted nor a block scalar can start with these; a plain one always does not.
const isPlain = (written: string) => !/^["'|>]/.test(written);

/**
 * The `yaml` library's string tag, made safe for YAML 1.1 readers: a string the library would
 * write plain but one of them would read as another type, or not at all, is double-quoted, and
 * what none can read raw is escaped. Every other string is written exactly as the library does.
 */
export const yaml11StringTag: ScalarTag = {
  ...stringTag,
  stringify(item, ctx, onComment, onChompKeep) {
    const value = String((item as Scalar).value);
    const doubleQuoted = () => stringTag.stringify!(Object.assign(new Scalar(value), { type: Scalar.QUOTE_DOUBLE }), ctx, onComment, onChompKeep);
    if (RAW_UNREADABLE.test(value)) return escapeUnreadable(doubleQuoted());
    const written = stringTag.stringify!(item, ctx, onComment, onChompKeep);
    return isPlain(written) && (readsAsNonString(value) || TAB.test(value)) ? doubleQuoted() : written;
  },
};

/**
 * The tags to write YAML 1.1 with: the string tag above in place of the library's, and no merge
 * tag, whose writer would print the string `<<` bare, as a merge key.
 */
export function yaml11Tags(tags: Tags): Tags {
  const tagOf = (tag: Tags[number]) => (typeof tag === "string" ? tag : tag.tag);
  return tags.filter((tag) => tagOf(tag) !== "tag:yaml.org,2002:merge" && tag !== "merge").map((tag) => (tagOf(tag) === stringTag.tag ? yaml11StringTag : tag));
}
