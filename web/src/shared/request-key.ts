/**
 * A key for one request the server must carry out once (a survey response, a compensation), made
 * once per page or form: sent again (a double tap, a retry), the server stores or grants once.
 * getRandomValues, not randomUUID: a public page may be opened over plain http (WeChat, a till's
 * QR), where randomUUID does not exist.
 */
export const newRequestKey = (fill: (bytes: Uint8Array) => Uint8Array = (b) => globalThis.crypto.getRandomValues(b)): string =>
  [...fill(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('')
