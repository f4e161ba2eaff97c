/** Decoding of reader input chunks into text (UTF-8 with or without BOM, GBK/GB18030 via iconv-lite). */
import iconv from 'iconv-lite';
import type { ReaderEncoding, ReaderInput } from './types';

/** Yields the input as decoded text chunks; multi-byte characters split across chunks are handled. */
export async function* decodeText(input: ReaderInput, encoding: ReaderEncoding): AsyncGenerator<string> {
  if (encoding === 'utf-8') {
    const dec = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
    for await (const chunk of input) {
      yield typeof chunk === 'string' ? chunk : dec.decode(chunk, { stream: true });
    }
    const tail = dec.decode();
    if (tail) yield tail;
    return;
  }
  const dec = iconv.getDecoder(encoding);
  for await (const chunk of input) {
    const s = typeof chunk === 'string' ? chunk : dec.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (s) yield s;
  }
  const tail = dec.end();
  if (tail) yield tail;
}

/** Yields the input as UTF-8 bytes (UTF-8 input passes through untouched). */
export async function* utf8Bytes(input: ReaderInput, encoding: ReaderEncoding): AsyncGenerator<Buffer> {
  if (encoding === 'utf-8') {
    for await (const chunk of input) {
      yield typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
    return;
  }
  for await (const text of decodeText(input, encoding)) yield Buffer.from(text);
}
