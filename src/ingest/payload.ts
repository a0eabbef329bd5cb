/**
 * Payload handling shared by the HTTP and MQTT ingest paths: JSON text with bounded nesting, a UTF-8
 * byte-order mark accepted (RFC 8259 §8.1 lets a parser ignore it), and a bounded copy of a rejected item
 * for its dead letter. Nothing here throws on what a client sends.
 */

/**
 * Deepest nesting of arrays and objects a payload may have. The deepest valid body is 4 levels
 * (`{"readings": [{"values": [...]}]}`); the margin keeps room for new fields, the bound keeps every
 * recursive consumer (JSON.stringify, loggers, validators) far from the call-stack limit.
 */
export const MAX_JSON_DEPTH = 16;

/** Longest JSON text of an item kept in a dead letter: a Kafka record stays far below its 1 MiB default. */
export const DEAD_LETTER_ITEM_CHARS = 8192;

export type ParsedJson = { ok: true; value: unknown } | { ok: false; reason: string };

const BOM = 0xfeff;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether JSON text nests arrays and objects deeper than maxDepth, counting brackets outside strings.
 * Linear in the text and allocation-free, so it runs before JSON.parse builds anything.
 */
export function nestedDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Parses JSON text: a leading byte-order mark is dropped, nesting deeper than maxDepth is refused before
 * parsing. Never throws; a refusal carries a reason for the client ("not valid JSON: …", "nests …").
 */
export function parseJson(text: string, maxDepth: number = MAX_JSON_DEPTH): ParsedJson {
  const body = text.charCodeAt(0) === BOM ? text.slice(1) : text;
  if (nestedDeeperThan(body, maxDepth)) {
    return { ok: false, reason: `nests arrays and objects deeper than ${maxDepth} levels` };
  }
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (err) {
    return { ok: false, reason: jsonSyntaxReason(err) };
  }
}

/**
 * Why JSON.parse refused a text, without the excerpt of the text V8 quotes (it may be binary or huge):
 * "not valid JSON at position N", or "not valid JSON: it ends too early".
 */
export function jsonSyntaxReason(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const at = /at position (\d+)/.exec(message);
  if (at) return `not valid JSON at position ${at[1]}`;
  return /end of JSON input/.test(message) ? 'not valid JSON: it ends too early' : 'not valid JSON';
}

/** UTF-8 bytes as text, a byte-order mark dropped; null when the bytes are not valid UTF-8. */
export function utf8Text(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The first maxChars UTF-16 code units of text, one fewer when the cut would split a surrogate pair (so the
 * result stays well-formed Unicode).
 */
export function textPrefix(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const last = text.charCodeAt(maxChars - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? maxChars - 1 : maxChars);
}

/**
 * What a dead letter keeps of a rejected item, as it was received: a text that could not be parsed (an
 * NDJSON line, an MQTT payload) as a string, anything parsed as its JSON value. It is kept whole when its
 * JSON is at most maxChars long and nests at most MAX_JSON_DEPTH levels; otherwise `item` is the first
 * maxChars characters of the text, or of the value's JSON (levels past the bound shown as "…"), with
 * truncated: true. Never throws.
 */
export function deadLetterItem(
  item: unknown,
  maxChars: number = DEAD_LETTER_ITEM_CHARS,
): { item: unknown; truncated?: true } {
  // A text is cut as itself, not as its JSON (which would start with a quote and escape characters).
  if (typeof item === 'string') {
    return item.length <= maxChars ? { item } : { item: textPrefix(item, maxChars), truncated: true };
  }
  const depths = new WeakMap<object, number>();
  let cut = false;
  let text: string | undefined;
  try {
    // The replacer stops at the depth bound, so JSON.stringify never recurses past it.
    text = JSON.stringify(item, function (this: unknown, _key: string, value: unknown) {
      if (value === null || typeof value !== 'object') return value;
      const depth = (depths.get(this as object) ?? 0) + 1;
      if (depth > MAX_JSON_DEPTH) {
        cut = true;
        return '…';
      }
      depths.set(value, depth);
      return value;
    });
  } catch (err) {
    return { item: `not serialisable: ${(err as Error).message}`, truncated: true };
  }
  if (text === undefined) return { item: null, truncated: true };
  if (!cut && text.length <= maxChars) return { item };
  return { item: textPrefix(text, maxChars), truncated: true };
}
