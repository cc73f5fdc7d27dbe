/**
 * Whether header `name` is `lowerCase` (a lower-case name) in any ASCII case. Compares in place:
 * `toLowerCase()` would copy the name on every request for a header usually written one way.
 */
export function isHeaderName(name: string, lowerCase: string): boolean {
  if (name === lowerCase) return true;
  if (name.length !== lowerCase.length) return false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    const expected = lowerCase.charCodeAt(i);
    // An upper-case ASCII letter is its lower-case one plus 32.
    if (code !== expected && !(code >= 65 && code <= 90 && code + 32 === expected)) return false;
  }
  return true;
}
