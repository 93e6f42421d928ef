import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { patchTemplateSource } from './source-patch.js';

/**
 * CloudFormation templates in YAML use short tags (!Ref, !GetAtt, ...). The yaml Document keeps
 * them as tagged nodes, so a template written back keeps them as written. Reading converts each
 * tagged node into the long JSON form ({"Ref": ...}, {"Fn::GetAtt": [...]}), which the rest of
 * the workbench understands.
 */
const FUNCTION_TAGS = new Set([
  'And',
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'ToJsonString',
  'Length',
]);

export function parseTemplateDocument(source: string): Document {
  // Unknown tags only raise warnings in yaml; the short tags are handled by toCfnValue below.
  return parseDocument(source, { keepSourceTokens: false, uniqueKeys: true, prettyErrors: true });
}

/**
 * Writes a template document back over the file it was read from, changing only the parts whose
 * content changed (see patchTemplateSource). What must be written anew follows the file's style:
 * flow collections padded or not (`[ a ]` or `[a]`), block sequences indented under their key or
 * not, and the file's indent. Long lines are never folded.
 */
export function stringifyTemplate(document: Document, source: string): string {
  const padded = /[[{] \S[^\n]*? [\]}]/.test(source);
  const unpadded = /[[{][^\s\]}][^\n]*?[^\s[{][\]}]/.test(source);
  const indentMatch = /^( +)\S/m.exec(source);
  // "Key:" followed by "- item" at the same column means sequences are not indented.
  const flushSequence = /^( *)[^\s#-][^\n]*:[ \t]*\n\1- /m.test(source);
  const options = {
    flowCollectionPadding: padded || !unpadded,
    indent: indentMatch ? Math.min(8, indentMatch[1]!.length) : 2,
    indentSeq: !flushSequence,
    lineWidth: 0,
  };
  return patchTemplateSource(source, document, options) ?? document.toString(options);
}

/** Converts a yaml node into plain data with intrinsic functions in their long form. */
export function toCfnValue(node: unknown, document: Document): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return toCfnValue(node.resolve(document), document);
  const value = toPlainValue(node as Node, document);
  const tag = (node as Node).tag;
  if (!tag || !tag.startsWith('!') || tag.startsWith('!!')) return value;
  return wrapShortTag(tag.slice(1), value);
}

function toPlainValue(node: Node, document: Document): unknown {
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map((item) => toCfnValue(item, document));
  if (isMap(node)) {
    const result: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : String(toCfnValue(pair.key, document));
      result[key] = toCfnValue(pair.value, document);
    }
    return result;
  }
  return null;
}

function wrapShortTag(name: string, value: unknown): unknown {
  if (name === 'Ref') return { Ref: value };
  if (name === 'Condition') return { Condition: value };
  if (name === 'GetAtt') {
    // !GetAtt Resource.Attribute is the short form of ["Resource", "Attribute"].
    if (typeof value === 'string') {
      const dot = value.indexOf('.');
      return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
    }
    return { 'Fn::GetAtt': value };
  }
  if (FUNCTION_TAGS.has(name)) return { [`Fn::${name}`]: value };
  // A tag CloudFormation does not define is kept as written, so nothing is silently reinterpreted.
  return value;
}
