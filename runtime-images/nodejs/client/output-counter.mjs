// @ts-check
/**
 * Counts the bytes this process writes to stdout and stderr. The count goes to the workbench with
 * each result (header Lambda-Workbench-Output-Bytes), so it writes END only after the output has
 * arrived through Docker.
 */
let written = 0;

export function outputBytes() {
  return written;
}

export function countOutput() {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = /** @type {typeof stream.write} */ (
      (/** @type {string | Uint8Array} */ chunk, /** @type {any} */ encoding, /** @type {any} */ callback) => {
        written +=
          typeof chunk === 'string'
            ? Buffer.byteLength(chunk, typeof encoding === 'string' ? /** @type {BufferEncoding} */ (encoding) : 'utf8')
            : chunk.length;
        return write(chunk, encoding, callback);
      }
    );
  }
}
