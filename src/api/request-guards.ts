import { PassThrough, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { FastifyRequest, preParsingAsyncHookHandler, preValidationAsyncHookHandler } from 'fastify';
import { ValidationError } from '../domain/errors.ts';
import { UnsupportedMediaTypeError } from './errors.ts';

/** Content codings a request body may arrive in (RFC 9110 §8.4.1): gzip, deflate (zlib), br. */
const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

const hasBody = (request: FastifyRequest) =>
  request.headers['transfer-encoding'] !== undefined ||
  (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');

/**
 * preParsing hook: a body sent with `content-encoding: gzip`, `deflate` or `br` is decompressed as it
 * streams in, so that the body limit applies to the decompressed size and a decompression bomb stops at
 * the limit (413) without being inflated whole. A body that is not in its declared coding gets 400 naming
 * content-encoding, an unknown coding 415 naming it.
 */
export const decodeContentEncoding: preParsingAsyncHookHandler = async (request, reply, payload) => {
  const header = request.headers['content-encoding'];
  if (header === undefined || !hasBody(request)) return payload;
  const coding = header.trim().toLowerCase();
  if (coding === '' || coding === 'identity') return payload;
  const decoder = DECODERS[coding];
  if (!decoder) {
    throw new UnsupportedMediaTypeError(
      'headers.content-encoding',
      `${JSON.stringify(header.slice(0, 40))} is not supported; send gzip, deflate, br or identity`,
    );
  }
  const decoded = decoder();
  // Fastify compares receivedEncodedLength with content-length, and the decoded length with the limit.
  const out = Object.assign(new PassThrough(), { receivedEncodedLength: 0 });
  // Fastify stops listening once it has refused the body (413); a later error must not go unhandled.
  out.on('error', () => {});
  payload.on('data', (chunk: Buffer) => {
    out.receivedEncodedLength += chunk.length;
  });
  payload.on('error', (err) => out.destroy(err));
  decoded.on('error', () =>
    out.destroy(new ValidationError('headers.content-encoding', `the body is not valid ${coding} data`)),
  );
  payload.pipe(decoded).pipe(out);
  // A body refused at the limit is not read further: stop decoding it once the answer is sent.
  reply.raw.once('close', () => {
    payload.unpipe(decoded);
    (decoded as unknown as Readable).destroy();
    out.destroy();
  });
  return out;
};

/** Where a string in the request lives, for the error: body.sensors.0.unit, querystring.kind. */
function findNul(root: unknown, rootPath: string): string | undefined {
  const stack: [unknown, string][] = [[root, rootPath]];
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, string];
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path;
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key.includes('\u0000')) return path;
        stack.push([child, `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

/**
 * preValidation hook: text containing U+0000 is refused with 400 naming the field, in the body, the query
 * string and the path, for every route. PostgreSQL cannot store U+0000 in text. A route whose config says
 * `checksItems: true` checks its body item by item itself (ingestion, so that good items of a batch stay).
 */
export const refuseNulText: preValidationAsyncHookHandler = async (request) => {
  const parts: [unknown, string][] = [
    [request.params, 'params'],
    [request.query, 'querystring'],
  ];
  if (!request.routeOptions.config?.checksItems) parts.push([request.body, 'body']);
  for (const [value, name] of parts) {
    const field = findNul(value, name);
    if (field) throw new ValidationError(field, 'must not contain U+0000 (NUL): it cannot be stored');
  }
};
