import type { Request } from 'express';
import { attachmentTooLarge } from './field.exception';

/**
 * Reads a raw request body of at most `limit` bytes. A declared Content-Length above the limit is refused
 * before reading anything; a body that grows past it (chunked) is refused as soon as it does. An oversized
 * body is drained (up to a few times the limit, then the connection is cut) so the client reads the 413
 * instead of a reset connection. `tooLargeError` makes the 413 (the caller's own problem code).
 */
export function readBody(req: Request, limit: number, tooLargeError: () => Error = attachmentTooLarge): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (tooLarge || size > limit) {
        tooLarge = true;
        chunks.length = 0;
        if (size > limit * 4) {
          cleanup();
          req.destroy();
          reject(tooLargeError());
        }
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      if (tooLarge) reject(tooLargeError());
      else resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    if (req.readableEnded) {
      resolve(Buffer.alloc(0));
      return;
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
