import { StringDecoder } from 'node:string_decoder';

/** CloudWatch Logs stores at most 256 KB per event; longer lines are cut into several events. */
const MAX_EVENT_CHARS = 256 * 1024;

/** Turns a byte stream into complete lines, keeping a partial last line until it completes. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  push(chunk: Buffer): string[] {
    const text = this.partial + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    while (this.partial.length > MAX_EVENT_CHARS) {
      lines.push(this.partial.slice(0, MAX_EVENT_CHARS));
      this.partial = this.partial.slice(MAX_EVENT_CHARS);
    }
    return lines.flatMap(splitLong);
  }

  /** Returns the partial line, if any, as a line of its own. */
  flush(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest ? splitLong(rest) : [];
  }
}

function splitLong(line: string): string[] {
  if (line.length <= MAX_EVENT_CHARS) return [line];
  const parts: string[] = [];
  for (let offset = 0; offset < line.length; offset += MAX_EVENT_CHARS) parts.push(line.slice(offset, offset + MAX_EVENT_CHARS));
  return parts;
}
