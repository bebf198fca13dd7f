import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import * as protocol from '../src/index';

/**
 * docs/protocol.md must specify everything libs/protocol exports: each
 * operation as a full subject, each subject builder and pattern, each
 * header, code and event type, and each message with every field. The
 * lists come from the module itself, so a new export fails here until it
 * is documented.
 */
const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'protocol.md'), 'utf8');
const exported = Object.entries(protocol as Record<string, unknown>);

/** Sample argument and the placeholder the doc writes for each builder parameter name. */
const placeholders: Record<string, { sample: string; shown: string }> = {
  catalog: { sample: 'qqcatalogqq', shown: '<catalog>' },
  transferId: { sample: 'QQTRANSFERIDQQ', shown: '<id>' },
  type: { sample: 'qqtypeqq', shown: '<type>' },
  origin: { sample: 'qqoriginqq', shown: '<origin>' },
  target: { sample: 'qqtargetqq', shown: '<target>' },
  op: { sample: 'qqopqq', shown: '<op>' },
  content: { sample: 'abcdef0123456789abcdef0123456789', shown: '<content>' },
};

function parameterNames(fn: (...args: string[]) => string): string[] {
  const list = /^\s*(?:function\s*\w*)?\s*\(([^)]*)\)/.exec(fn.toString())?.[1] ?? '';
  return list.split(',').map((p) => p.trim().split(/[\s=:]/)[0]!).filter(Boolean);
}

/** Renders a builder with placeholders: `(catalog, op) => …` → `natster.catalog.<catalog>.<op>`, or with a fixed op. */
function render(fn: (...args: string[]) => string, op?: string): string {
  const names = parameterNames(fn);
  const args = names.map((name) => {
    if (name === 'op' && op !== undefined) return op;
    const known = placeholders[name];
    if (!known) throw new Error(`no placeholder for builder parameter "${name}": add one to this test and use it in docs/protocol.md`);
    return known.sample;
  });
  let subject = fn(...args);
  for (const name of names) if (!(name === 'op' && op !== undefined)) subject = subject.replaceAll(placeholders[name]!.sample, placeholders[name]!.shown);
  return subject;
}

const isMessage = (value: unknown): value is protocol.Message<TSchema> =>
  typeof value === 'object' && value !== null && 'schema' in value && 'check' in value && 'decode' in value;

const isObjectSchema = (schema: TSchema): schema is TSchema & { properties: Record<string, TSchema> } =>
  schema.type === 'object' && typeof schema.properties === 'object';

/** The schemas nested in a schema (array items, union members, object properties). */
function children(schema: TSchema): TSchema[] {
  const nested: TSchema[] = [];
  if (isObjectSchema(schema)) nested.push(...Object.values(schema.properties));
  if (schema.items) nested.push(schema.items as TSchema);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) nested.push(...((schema[key] as TSchema[] | undefined) ?? []));
  return nested;
}

/** Field names of an object schema (itself, or the object inside an array or union). */
function ownFields(schema: TSchema): string[] {
  if (isObjectSchema(schema)) return Object.keys(schema.properties);
  return children(schema).flatMap((c) => (isObjectSchema(c) ? Object.keys(c.properties) : []));
}

function nestedFields(schema: TSchema): string[] {
  return children(schema).flatMap((c) => [...ownFields(c), ...nestedFields(c)]);
}

/** The text under the heading that names `name` in backticks, up to the next heading. */
function sectionOf(name: string): string | null {
  const lines = doc.split('\n');
  const start = lines.findIndex((line) => /^#{2,6} /.test(line) && line.includes(`\`${name}\``));
  if (start < 0) return null;
  const end = lines.findIndex((line, i) => i > start && /^#{1,6} /.test(line));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

const mentionsField = (text: string, field: string) => new RegExp('`(?:[\\w.]+\\.)?' + field + '`').test(text);

describe('docs/protocol.md covers libs/protocol', () => {
  it('every operation of every *Ops object, as the full subject its builder makes', () => {
    const ops = exported.filter(([name, value]) => name.endsWith('Ops') && typeof value === 'object');
    expect(ops.length).toBeGreaterThanOrEqual(4);
    const missing: string[] = [];
    for (const [name, values] of ops) {
      const builderName = name[0]!.toLowerCase() + name.slice(1, -'Ops'.length);
      const builder = (protocol.subjects as Record<string, (...args: string[]) => string>)[builderName];
      expect(builder, `${name} has no subjects.${builderName} builder`).toBeTypeOf('function');
      for (const op of Object.values(values as Record<string, string>)) {
        const subject = render(builder!, op);
        if (!doc.includes(`\`${subject}\``)) missing.push(`${name}: ${subject}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every subject builder, in the caller view and (for imported services) the exporter view', () => {
    const missing = Object.entries(protocol.subjects)
      .map(([name, fn]) => [name, render(fn as (...args: string[]) => string)] as const)
      .filter(([, subject]) => !doc.includes(subject))
      .map(([name, subject]) => `subjects.${name}: ${subject}`);
    for (const pattern of Object.values(protocol.patterns)) {
      if (typeof pattern !== 'string' || !pattern.startsWith('*.')) continue;
      const exporterView = `<ACCOUNT>.${pattern.slice(2).replace(/\.>$/, '')}`;
      if (!doc.includes(exporterView)) missing.push(`exporter view ${exporterView}`);
    }
    expect(missing).toEqual([]);
  });

  it('every subscription pattern', () => {
    const missing = Object.entries(protocol.patterns)
      .map(([name, value]) => [name, typeof value === 'string' ? value : render(value)] as const)
      .filter(([, pattern]) => !doc.includes(`\`${pattern}\``))
      .map(([name, pattern]) => `patterns.${name}: ${pattern}`);
    expect(missing).toEqual([]);
  });

  it('every header, envelope code and event type', () => {
    const values = [
      ...Object.values(protocol.TransferHeaders).map((h) => `\`${h}\``),
      ...Object.entries(protocol.Codes).map(([name, code]) => `| ${code} | \`${name}\` |`),
      ...Object.values(protocol.EventTypes).map((t) => `\`${t}\``),
    ];
    expect(values.filter((v) => !doc.includes(v))).toEqual([]);
  });

  it('every message schema under its own heading, with every field', () => {
    const messages = exported.filter(([, value]) => isMessage(value)) as [string, protocol.Message<TSchema>][];
    expect(messages.length).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const [name, message] of messages) {
      // An alias (EventsPutRequest = NatsterEvent) may take its fields from the other name's section.
      const aliases = messages.filter(([other, m]) => m === message && other !== name).map(([other]) => other);
      const own = sectionOf(name);
      const section = own && [own, ...aliases.map(sectionOf)].join('\n');
      if (!section) {
        problems.push(`${name}: no heading names it`);
        continue;
      }
      for (const field of ownFields(message.schema)) if (!mentionsField(section, field)) problems.push(`${name}.${field}: not in its section`);
      for (const field of nestedFields(message.schema)) if (!mentionsField(doc, field)) problems.push(`${name} (nested) ${field}: not documented`);
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('the worked nonce example follows the layout it states (SHA-256 of the id, 16 bytes, big-endian index)', async () => {
    const { createHash } = await import('node:crypto');
    const id = /transfer_id = (\w+)/.exec(doc)?.[1];
    expect(id).toBeDefined();
    const salt = createHash('sha256').update(id!).digest().subarray(0, 16);
    const rows = [...doc.matchAll(/^nonce\((\d+)\)\s+= ([0-9a-f]{32}) ([0-9a-f]{16})$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const [, index, saltHex, indexHex] of rows) {
      expect(saltHex).toBe(salt.toString('hex'));
      expect(BigInt('0x' + indexHex)).toBe(BigInt(index!));
    }
  });
});
