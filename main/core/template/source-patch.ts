import { Document, isMap, isNode, isScalar, parseDocument, Scalar, YAMLMap, type Node, type Pair, type ToStringOptions } from 'yaml';

interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Writes an edited template by patching its original text: only the parts whose content changed
 * are replaced, and everything else (line breaks of folded text, spacing before comments, blank
 * lines, quoting) stays byte for byte. A changed scalar replaces just its own text; a changed
 * collection replaces its key's lines; a new key is inserted after its siblings, at their indent.
 * Returns undefined when the original cannot be patched (it has no block map at its root, or the
 * result would not read back as the edited document); the caller then writes the whole document.
 */
export function patchTemplateSource(source: string, edited: Document, options: ToStringOptions): string | undefined {
  const original = parseQuietly(source);
  if (!original || !isMap(original.contents) || !isMap(edited.contents)) return undefined;
  const edits: TextEdit[] = [];
  try {
    diffMap(source, original.contents, edited.contents, options, edits, 0);
  } catch {
    return undefined;
  }
  let result = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  // The patch must read back as what the full rendering would write, blank lines aside.
  const check = parseQuietly(result);
  if (!check || withoutBlankLines(render(check.contents, options)) !== withoutBlankLines(render(edited.contents, options)))
    return undefined;
  return result;
}

function withoutBlankLines(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .join('\n');
}

function parseQuietly(source: string): Document | undefined {
  const document = parseDocument(source, { uniqueKeys: true });
  return document.errors.length > 0 ? undefined : document;
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/** Renders a node alone, comments included: equal text means equal content and comments. */
function render(node: unknown, options: ToStringOptions): string {
  const document = new Document();
  document.contents = node as Node;
  return document.toString(options);
}

function diffMap(source: string, before: YAMLMap, after: YAMLMap, options: ToStringOptions, edits: TextEdit[], depth: number): void {
  const beforePairs = before.items as Pair[];
  const afterPairs = after.items as Pair[];
  const added: Pair[] = [];
  for (const pair of afterPairs) {
    const previous = beforePairs.find((candidate) => keyOf(candidate) === keyOf(pair));
    if (!previous) added.push(pair);
    else diffPair(source, previous, pair, options, edits, depth);
  }
  for (const pair of beforePairs) {
    if (!afterPairs.some((candidate) => keyOf(candidate) === keyOf(pair))) edits.push({ ...pairLines(source, pair), text: '' });
  }
  if (added.length > 0) {
    const last = beforePairs.at(-1);
    if (!last) throw new Error('an empty map is replaced by its parent');
    const { end } = pairLines(source, last);
    const column = columnOf(source, rangeOf(last.key)[0]);
    // Top-level resources separated by blank lines get one before the new ones too.
    const spaced =
      depth <= 1 &&
      beforePairs.length > 1 &&
      /\n[ \t]*\n/.test(source.slice(pairLines(source, beforePairs.at(-2)!).end - 1, rangeOf(last.key)[0]));
    const text = added.map((pair) => `${spaced ? '\n' : ''}${indent(renderPair(pair, options), column)}`).join('');
    edits.push({ start: end, end, text });
  }
}

function diffPair(source: string, before: Pair, after: Pair, options: ToStringOptions, edits: TextEdit[], depth: number): void {
  const oldValue = before.value as Node | null;
  const newValue = after.value as Node | null;
  if (render(oldValue, options) === render(newValue, options)) return;
  if (isScalar(oldValue) && isScalar(newValue) && oldValue.range && sameScalarShape(oldValue, newValue)) {
    const text = render(new Scalar(newValue.value), { ...options }).trimEnd();
    if (!text.includes('\n')) {
      edits.push({
        start: oldValue.range[0],
        end: oldValue.range[1],
        text: quoteLike(source.slice(oldValue.range[0], oldValue.range[1]), newValue, text),
      });
      return;
    }
  }
  if (isMap(oldValue) && isMap(newValue) && !oldValue.flow && !newValue.flow && oldValue.items.length > 0 && oldValue.range) {
    diffMap(source, oldValue, newValue, options, edits, depth + 1);
    return;
  }
  edits.push({ ...pairLines(source, before), text: indent(renderPair(after, options), columnOf(source, rangeOf(before.key)[0])) });
}

/** Tells whether a scalar can be replaced in place: its tag, comment and style stay, only the value changed. */
function sameScalarShape(before: Scalar, after: Scalar): boolean {
  const block = (node: Scalar): boolean => node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL;
  return before.tag === after.tag && before.comment === after.comment && !block(before) && !block(after);
}

/** Keeps the original quoting when the new value needs none other: 'a' stays single-quoted. */
function quoteLike(original: string, after: Scalar, rendered: string): string {
  if (typeof after.value !== 'string') return rendered;
  const tag = after.tag ? `${after.tag} ` : '';
  const body = rendered.startsWith(tag) ? rendered.slice(tag.length) : rendered;
  const originalBody = original.startsWith(tag) ? original.slice(tag.length) : original;
  if (originalBody.startsWith("'") && !body.startsWith("'") && !body.startsWith('"')) return `${tag}'${after.value.replaceAll("'", "''")}'`;
  if (originalBody.startsWith('"') && !body.startsWith("'") && !body.startsWith('"')) return `${tag}${JSON.stringify(after.value)}`;
  return rendered;
}

/** Renders one key and value as lines of a block map, without the comments and blank line above the key, which stay in place. */
function renderPair(pair: Pair, options: ToStringOptions): string {
  const map = new YAMLMap();
  map.items.push(pair);
  // A new key may be a plain string; a parsed one is a node that can carry comments.
  if (!isNode(pair.key)) return render(map, options);
  const key = pair.key as Node & { commentBefore?: string | null | undefined; spaceBefore?: boolean | undefined };
  const saved = { commentBefore: key.commentBefore, spaceBefore: key.spaceBefore };
  key.commentBefore = null;
  key.spaceBefore = false;
  try {
    return render(map, options);
  } finally {
    if (saved.commentBefore === undefined) delete key.commentBefore;
    else key.commentBefore = saved.commentBefore;
    if (saved.spaceBefore === undefined) delete key.spaceBefore;
    else key.spaceBefore = saved.spaceBefore;
  }
}

function rangeOf(node: unknown): [number, number, number] {
  const range = (node as { range?: [number, number, number] | null }).range;
  if (!range) throw new Error('a node without a source range');
  return range;
}

/** Finds the whole lines of a pair: from its key's line to its value's last line, newline included. */
function pairLines(source: string, pair: Pair): { start: number; end: number } {
  const keyStart = rangeOf(pair.key)[0];
  const start = source.lastIndexOf('\n', keyStart - 1) + 1;
  let valueEnd = pair.value ? rangeOf(pair.value)[1] : rangeOf(pair.key)[1];
  // A block value's range ends after its last line break; step back to its last character.
  while (valueEnd > keyStart && /\s/.test(source[valueEnd - 1]!)) valueEnd -= 1;
  // An inline comment after the value belongs to the pair's last line.
  const lineEnd = source.indexOf('\n', valueEnd);
  return { start, end: lineEnd === -1 ? source.length : lineEnd + 1 };
}

function columnOf(source: string, offset: number): number {
  return offset - (source.lastIndexOf('\n', offset - 1) + 1);
}

function indent(text: string, column: number): string {
  const prefix = ' '.repeat(column);
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return body
    .split('\n')
    .map((line, index, lines) => (index === lines.length - 1 || line === '' ? line : prefix + line))
    .join('\n');
}
