import type { CxoneStoredCustomer } from './state.js';

/**
 * The DFO customer search's `query`. NICE does not publish its grammar; its Digital SDK sends an
 * expression such as `identityIdOnExternalPlatform IN ("+447900000001")`. The emulator understands
 * (assumed, the smallest grammar that covers that form):
 *
 *   query      := identityIdOnExternalPlatform IN ( string [, string]* )
 *               | identityIdOnExternalPlatform = string
 *   string     := "…" with \" and \\ as escapes
 *
 * keywords in any case; identities compared ignoring case (assumed). A query with no quote, parenthesis
 * or `=` is plain text, as before: an identity equal to it, or a name containing it. Anything else is
 * refused with 400 and the DFO error body.
 */
export type CustomerQuery =
  | { kind: 'all' }
  | { kind: 'text'; text: string }
  | { kind: 'identities'; values: string[] };

const FIELDS = ['identityIdOnExternalPlatform'];

export function parseCustomerQuery(
  query: string,
): { ok: true; query: CustomerQuery } | { ok: false; reason: string } {
  const q = query.trim();
  if (q === '') return { ok: true, query: { kind: 'all' } }; // no query lists every customer (assumed)
  if (!/["()=]/.test(q)) return { ok: true, query: { kind: 'text', text: q } };
  let i = 0;
  const fail = (why: string) => ({ ok: false as const, reason: `${why} at character ${i + 1}` });
  const space = () => {
    while (i < q.length && /\s/.test(q[i]!)) i++;
  };
  const word = () => {
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };
  const string = (): string | undefined => {
    if (q[i] !== '"') return undefined;
    i++;
    let out = '';
    while (i < q.length) {
      const c = q[i]!;
      if (c === '\\') {
        const next = q[i + 1];
        if (next !== '"' && next !== '\\') return undefined;
        out += next;
        i += 2;
        continue;
      }
      if (c === '"') {
        i++;
        return out;
      }
      out += c;
      i++;
    }
    return undefined;
  };

  space();
  const field = word();
  if (!field) return fail('expected a field name');
  if (!FIELDS.includes(field)) return fail(`unknown field ${field} (known: ${FIELDS.join(', ')})`);
  space();
  const values: string[] = [];
  if (q[i] === '=') {
    i++;
    space();
    const v = string();
    if (v === undefined) return fail('expected a "quoted" value');
    values.push(v);
  } else {
    const op = word();
    if (op?.toUpperCase() !== 'IN') return fail('expected IN or =');
    space();
    if (q[i] !== '(') return fail('expected (');
    i++;
    for (;;) {
      space();
      const v = string();
      if (v === undefined) return fail('expected a "quoted" value');
      values.push(v);
      space();
      if (q[i] === ',') {
        i++;
        continue;
      }
      if (q[i] === ')') {
        i++;
        break;
      }
      return fail('expected , or )');
    }
  }
  space();
  if (i < q.length) return fail('unexpected text');
  return { ok: true, query: { kind: 'identities', values } };
}

/** Whether a stored customer matches a parsed query. */
export function matchesQuery(c: CxoneStoredCustomer, query: CustomerQuery): boolean {
  switch (query.kind) {
    case 'all':
      return true;
    case 'identities': {
      const wanted = new Set(query.values.map((v) => v.toLowerCase()));
      return c.identities.some((i) => wanted.has(i.idOnExternalPlatform.toLowerCase()));
    }
    case 'text': {
      // An identity matches exactly (case-insensitive for e-mail), a name by substring.
      const t = query.text.toLowerCase();
      return (
        c.identities.some((i) => i.idOnExternalPlatform.toLowerCase() === t) ||
        `${c.firstName} ${c.surname}`.toLowerCase().includes(t)
      );
    }
  }
}
