/**
 * A pretty-printed XML document from a tree of element names and texts, written straight into
 * one string: the XAF of a large year has hundreds of thousands of elements, and building them
 * as a DOM with xmlbuilder2 first (checking each character of each text one by one) took most of
 * a closing's time.
 *
 * The output is byte for byte what xmlbuilder2 gives for the same tree with `prettyPrint` and
 * `invalidCharReplacement: ''` (the closed years' recorded SHA-256s are of such files; a test
 * compares the two on random years and hostile text):
 * - two spaces of indent per level, `\n` between lines, none after the last;
 * - an element with text only on one line, `<name/>` when the text is empty or it has no children;
 * - entity and character references in the text decoded first (`decodeReferences`);
 * - characters XML 1.0 cannot carry dropped; `&` (unless it starts an entity reference, as
 *   xmlbuilder2 leaves those alone), `<` and `>` escaped; quotes left as they are (text, not
 *   attributes).
 */

/** Element name → its text, its children, or a list of either (the element repeated). */
export interface XmlTree {
  readonly [name: string]: XmlValue;
}
export type XmlValue = string | XmlTree | readonly (string | XmlTree)[];

/** Characters XML 1.0 forbids (C0 controls but tab, LF, CR; U+FFFE/U+FFFF; lone surrogates). */
export const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const HAS_NOT_XML = new RegExp(NOT_XML.source);
/** An ampersand that does not start an entity or character reference (xmlbuilder2's rule). */
const BARE_AMPERSAND = /&(?![A-Za-z]+;|#\d+;)/g;
const NEEDS_ESCAPE = /[&<>]/;

export function escapeText(value: string): string {
  const decoded = value.includes('&') ? decodeReferences(value) : value;
  const clean = HAS_NOT_XML.test(decoded) ? decoded.replace(NOT_XML, '') : decoded;
  if (!NEEDS_ESCAPE.test(clean)) return clean;
  return clean.replace(BARE_AMPERSAND, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const PREDEFINED: Record<string, string> = { quot: '"', amp: '&', apos: "'", lt: '<', gt: '>' };

/**
 * xmlbuilder2 read a text given in its object form as if it were markup: the five predefined
 * entities, then character references, are decoded first (`A &amp; B` is the text `A & B`).
 * Kept, so the bytes stay the same; a reference beyond U+10FFFF throws, as it did there.
 */
function decodeReferences(text: string): string {
  return text
    .replace(/&(quot|amp|apos|lt|gt);/g, (_match, name: string) => PREDEFINED[name]!)
    .replace(/&#(?:x([a-fA-F0-9]+)|([0-9]+));/g, (_match, hex: string | undefined, decimal: string | undefined) =>
      String.fromCodePoint(hex === undefined ? parseInt(decimal!, 10) : parseInt(hex, 16)),
    );
}

export function serializeXml(namespace: string, rootName: string, tree: XmlTree): string {
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const names = Object.keys(tree);
  if (names.length === 0) {
    lines.push(`<${rootName} xmlns="${namespace}"/>`);
  } else {
    lines.push(`<${rootName} xmlns="${namespace}">`);
    for (const name of names) writeValue(lines, name, tree[name]!, 1);
    lines.push(`</${rootName}>`);
  }
  return lines.join('\n');
}

const indents: string[] = [''];
function indent(depth: number): string {
  while (indents.length <= depth) indents.push(`${indents[indents.length - 1]!}  `);
  return indents[depth]!;
}

function writeValue(lines: string[], name: string, value: XmlValue, depth: number): void {
  if (typeof value === 'string') {
    const text = escapeText(value);
    lines.push(text === '' ? `${indent(depth)}<${name}/>` : `${indent(depth)}<${name}>${text}</${name}>`);
  } else if (Array.isArray(value)) {
    for (const item of value as readonly (string | XmlTree)[]) writeValue(lines, name, item, depth);
  } else {
    const children = value as XmlTree;
    const names = Object.keys(children);
    if (names.length === 0) {
      lines.push(`${indent(depth)}<${name}/>`);
      return;
    }
    lines.push(`${indent(depth)}<${name}>`);
    for (const child of names) writeValue(lines, child, children[child]!, depth + 1);
    lines.push(`${indent(depth)}</${name}>`);
  }
}
