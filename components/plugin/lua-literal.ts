/**
 * A Lua double-quoted string literal for any text. Quotes, backslashes and control
 * characters are escaped as decimal `\ddd` (always three digits, so a following digit is
 * never read as part of the escape); other UTF-8 bytes pass through, as Lua strings are bytes.
 */
export function luaStringLiteral(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, "utf8")) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += "\\\\";
    else if (byte === 0x0a) out += "\\n";
    else if (byte < 0x20 || byte === 0x7f) out += `\\${byte.toString().padStart(3, "0")}`;
    else out += String.fromCharCode(byte);
  }
  out += '"';
  // The loop built a string of byte values; turn it back into the UTF-8 text it encodes.
  return Buffer.from(out, "latin1").toString("utf8");
}
