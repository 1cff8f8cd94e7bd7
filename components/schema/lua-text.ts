// How Kong's messages print values: Lua's `tostring` and `table.concat` (numbers as "%.14g"),
// `string.format("%d")` (truncated), and the quoted lists of entity-check messages.
import { isLuaNull, type SchemaValue } from "./model";

/** A number as Lua 5.1 / LuaJIT's `tostring` prints it ("%.14g": 100, 0.1, 1e+15, 0.33333333333333). */
export function luaNumber(value: number): string {
  if (Number.isNaN(value)) return value > 0 ? "nan" : "-nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  // %g picks the exponent form when the exponent is below -4 or at least the precision (14).
  const precise = Number(value.toPrecision(14));
  const realExponent = Math.floor(Math.log10(Math.abs(precise)));
  if (realExponent < -4 || realExponent >= 14) {
    const [mantissa, power] = precise.toExponential(13).split("e") as [string, string];
    const trimmed = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
    const sign = power.startsWith("-") ? "-" : "+";
    const digits = power.replace(/^[-+]/, "").padStart(2, "0");
    return `${trimmed}e${sign}${digits}`;
  }
  const fixed = precise.toFixed(Math.max(0, 13 - realExponent));
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

/** A value as Lua's `tostring` prints it, for messages. */
export function luaText(value: unknown): string {
  if (typeof value === "number") return luaNumber(value);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (value === null || isLuaNull(value)) return "userdata: NULL";
  if (value === undefined) return "nil";
  return "table";
}

/** `table.concat(list, ", ")`: numbers and strings only, as Lua allows. */
export function luaConcat(values: readonly SchemaValue[]): string {
  return values.map((value) => luaText(value)).join(", ");
}

/** `string.format("%d", n)`: LuaJIT truncates a non-integer toward zero. */
export function luaInteger(value: number): string {
  return String(Math.trunc(value));
}

/** Kong's quoted_list: `'a', 'b'`. */
export function quotedList(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(", ");
}
