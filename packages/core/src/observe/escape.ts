/**
 * A field as Apache and nginx write it between quotes: `"` and `\` backslashed, control
 * characters and bytes above 0x7e as `\xHH` (UTF-8 bytes for characters past 0xff), so a
 * hostile header can neither end the field nor start a new line.
 */
export function escapeField(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return escapeFrom(value, i);
  }
  return value;
}

function escapeFrom(value: string, start: number): string {
  let out = value.slice(0, start);
  for (let i = start; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x22) out += '\\"';
    else if (code === 0x5c) out += "\\\\";
    else if (code >= 0x20 && code <= 0x7e) out += value[i];
    else if (code <= 0xff) out += hex(code);
    else {
      // Characters past latin1 come from adapters that decode headers as UTF-8: log their bytes.
      const char = String.fromCodePoint(value.codePointAt(i)!);
      for (const byte of Buffer.from(char, "utf8")) out += hex(byte);
      i += char.length - 1;
    }
  }
  return out;
}

function hex(code: number): string {
  return code < 0x10 ? `\\x0${code.toString(16)}` : `\\x${code.toString(16)}`;
}
