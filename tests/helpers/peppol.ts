/**
 * Runs a UBL document through both Peppol BIS Billing 3.0 rule sets of the shared snapshot
 * (CEN-EN16931-UBL.sch, then PEPPOL-EN16931-UBL.sch with its Dutch NL-R rules) in plain Node,
 * as tests/data/shared/standards/peppol/SOURCES.md describes: node-schematron evaluates the
 * rules with fontoxpath, and the 13 `u:` helper functions of the Peppol file are registered with
 * fontoxpath first (tests/helpers/peppol-functions.ts), because node-schematron does not read
 * `xsl:function`.
 *
 * A document takes 10–15 s per rule set on the CI machines: validate a handful, never hundreds.
 * The compiled schemas are kept for the life of the test process, so each further document only
 * pays for the evaluation.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fontoxpath from 'fontoxpath';
import { Schema } from 'node-schematron';
import { SHARED_SNAPSHOT } from './shared.js';
import { PEPPOL_FUNCTIONS } from './peppol-functions.js';

export const PEPPOL_DIRECTORY = resolve(SHARED_SNAPSHOT, 'standards/peppol');
const RULE_SETS = ['CEN-EN16931-UBL.sch', 'PEPPOL-EN16931-UBL.sch'] as const;

export interface FailedAssert {
  /** The assert's id, e.g. `PEPPOL-EN16931-R003` or `NL-R-001`. */
  readonly id: string;
  /** `fatal` or `warning`, as the rule file flags it. */
  readonly flag: string;
  readonly text: string;
  /** Where in the document: an XPath-like path to the rule's context node. */
  readonly location: string;
  readonly ruleSet: string;
}

export interface PeppolResult {
  readonly failed: FailedAssert[];
}

let functionsRegistered = false;
export function registerPeppolFunctions(): void {
  if (functionsRegistered) return;
  for (const fn of PEPPOL_FUNCTIONS) {
    fontoxpath.registerCustomXPathFunction(
      { namespaceURI: 'utils', localName: fn.localName },
      [...fn.argumentTypes],
      fn.returnType,
      (_context: unknown, ...args: unknown[]) => (fn.implementation as (...a: unknown[]) => boolean | number)(...args),
    );
  }
  functionsRegistered = true;
}

interface CompiledRuleSet {
  readonly name: string;
  readonly schema: Schema;
  readonly flags: ReadonlyMap<string, string>;
}

const compiled = new Map<string, CompiledRuleSet>();
function ruleSet(name: string): CompiledRuleSet {
  const cached = compiled.get(name);
  if (cached) return cached;
  const source = readFileSync(resolve(PEPPOL_DIRECTORY, name), 'utf8');
  // node-schematron's results carry no flag: read each assert's `flag` from the file itself.
  const flags = new Map<string, string>();
  for (const tag of source.matchAll(/<assert\b[^>]*>/g)) {
    const id = /\bid="([^"]+)"/.exec(tag[0])?.[1];
    const flag = /\bflag="([^"]+)"/.exec(tag[0])?.[1];
    if (id) flags.set(id, flag ?? 'fatal');
  }
  const entry = { name, schema: Schema.fromString(source), flags };
  compiled.set(name, entry);
  return entry;
}

interface DomNode {
  nodeType: number;
  nodeName: string;
  parentNode: DomNode | null;
  previousSibling: DomNode | null;
  ownerElement?: DomNode | null;
}

/** `/Invoice[1]/cac:AccountingSupplierParty[1]/…` for an element (or `…/@attr` for an attribute). */
export function locationOf(node: DomNode): string {
  if (node.nodeType === 2) return `${node.ownerElement ? locationOf(node.ownerElement) : ''}/@${node.nodeName}`;
  const steps: string[] = [];
  for (let current: DomNode | null = node; current && current.nodeType === 1; current = current.parentNode) {
    let index = 1;
    for (let sibling = current.previousSibling; sibling; sibling = sibling.previousSibling) {
      if (sibling.nodeType === 1 && sibling.nodeName === current.nodeName) index += 1;
    }
    steps.unshift(`${current.nodeName}[${index}]`);
  }
  return `/${steps.join('/')}`;
}

const normalise = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Every assert of both rule sets that the document fails (warnings included), with where and why. */
export async function validatePeppol(xml: string): Promise<PeppolResult> {
  registerPeppolFunctions();
  const failed: FailedAssert[] = [];
  for (const name of RULE_SETS) {
    const rules = ruleSet(name);
    for (const result of rules.schema.validateString(xml, {})) {
      if (result.isReport) continue;
      const id = result.assertId ?? '(no id)';
      failed.push({
        id,
        flag: rules.flags.get(id) ?? 'fatal',
        text: normalise(result.message ?? ''),
        location: locationOf(result.context as unknown as DomNode),
        ruleSet: name,
      });
    }
  }
  return { failed };
}

/** A readable list of failed asserts for a test's message. */
export const describeFailures = (result: PeppolResult): string =>
  result.failed.map((failure) => `${failure.id} (${failure.flag}) at ${failure.location}: ${failure.text}`).join('\n');
