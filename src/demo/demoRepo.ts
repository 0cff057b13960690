// Generates the demo repository used by `npm start` and many tests: a small TypeScript service
// with a hotspot file full of fixes, a money helper with many callers, a departed author, and a
// feature branch whose second commit is AI-assisted (an `Assisted-by:` trailer).

import { existsSync, rmSync } from 'node:fs';
import { Person, RepoBuilder } from './repoBuilder';

export const ALICE: Person = { name: 'Alice Archer', email: 'alice@example.com' };
export const BOB: Person = { name: 'Bob Baker', email: 'bob@example.com' };
export const CAROL: Person = { name: 'Carol Chen', email: 'carol@example.com' };
export const DAN: Person = { name: 'Dan Dorsey', email: 'dan@example.com' };

export const DEMO_FEATURE_BRANCH = 'feature/volume-discounts';

function money(round: string): string {
  return `// Money helpers shared by billing, reports and the API.

export function roundCents(amount: number): number {
  return ${round};
}

export function formatMoney(amount: number, currency = 'EUR'): string {
  const value = roundCents(amount);
  return \`\${value.toFixed(2)} \${currency}\`;
}
`;
}

function invoice(version: number, extra = ''): string {
  const vatLine = version >= 3 ? '  const vat = subtotal * (order.vatRate ?? 0.2);' : '  const vat = subtotal * 0.2;';
  const discount = version >= 5
    ? `  if (order.coupon && order.coupon.expires > Date.now()) {
    subtotal -= order.coupon.amount;
  }
  if (subtotal < 0) {
    subtotal = 0;
  }`
    : version >= 2
      ? `  if (order.coupon) {
    subtotal -= order.coupon.amount;
  }`
      : '';
  return `// Invoice computation: the legacy core of billing.
import { formatMoney, roundCents } from '../util/money';

export interface Line { sku: string; quantity: number; unitPrice: number }
export interface Order { id: string; lines: Line[]; coupon?: { amount: number; expires: number }; vatRate?: number }

export function subtotalOf(order: Order): number {
  let subtotal = 0;
  for (const line of order.lines) {
    if (line.quantity > 0) {
      subtotal += line.quantity * line.unitPrice;
    }
  }
${discount}
  return roundCents(subtotal);
}

export function computeInvoice(order: Order): { subtotal: number; vat: number; total: number; label: string } {
  const subtotal = subtotalOf(order);
${vatLine}
  const total = roundCents(subtotal + vat);
  return { subtotal, vat: roundCents(vat), total, label: formatMoney(total) };
}
${extra}`;
}

const REPORTS = `// Monthly revenue report.
import { formatMoney } from '../util/money';
import { computeInvoice, Order } from '../billing/invoice';

export function revenueReport(orders: Order[]): string[] {
  return orders.map((o) => \`\${o.id}: \${formatMoney(computeInvoice(o).total)}\`);
}

export function totalRevenue(orders: Order[]): string {
  const sum = orders.reduce((acc, o) => acc + computeInvoice(o).total, 0);
  return formatMoney(sum);
}
`;

const API = `// HTTP handlers (framework-free for the demo).
import { computeInvoice, Order } from '../billing/invoice';
import { formatMoney } from '../util/money';

export function handleInvoice(body: Order): { status: number; body: string } {
  const inv = computeInvoice(body);
  return { status: 200, body: JSON.stringify({ ...inv, pretty: formatMoney(inv.total) }) };
}

export function handleQuote(body: Order): { status: number; body: string } {
  return { status: 200, body: formatMoney(computeInvoice(body).subtotal) };
}
`;

const TEST = `// Tests for invoice computation.
import { computeInvoice } from '../src/billing/invoice';

describe('computeInvoice', () => {
  it('adds VAT', () => {
    const inv = computeInvoice({ id: 'o1', lines: [{ sku: 'a', quantity: 2, unitPrice: 10 }] });
    if (inv.total !== 24) throw new Error('wrong total');
  });
});
`;

const README = `# Billing service (Senior Review demo)

A small service whose history the demo review analyses.
`;

const TSCONFIG = `{
  "compilerOptions": { "target": "ES2020", "module": "commonjs", "strict": true, "outDir": "out" },
  "include": ["src", "test"]
}
`;

/** Creates the demo repository at `dir` (replacing it) with HEAD on the feature branch. */
export async function createDemoRepo(dir: string): Promise<RepoBuilder> {
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  const r = await RepoBuilder.create({ dir, startDate: '2024-02-05T09:00:00Z' });
  await r.commit({ message: 'Initial billing service', author: ALICE, files: {
    'README.md': README, 'tsconfig.json': TSCONFIG, 'src/util/money.ts': money('Math.round(amount * 100) / 100'),
    'src/billing/invoice.ts': invoice(1), 'src/reports/revenue.ts': REPORTS, 'src/api/handlers.ts': API, 'test/invoice.test.ts': TEST,
  } });
  await r.commit({ message: 'Add coupons to invoices', author: ALICE, files: { 'src/billing/invoice.ts': invoice(2) } });
  await r.commit({ message: 'fix: negative quantities counted in subtotal', author: ALICE, files: { 'src/billing/invoice.ts': invoice(2, '\n// Quantities below zero are ignored.\n') } });
  await r.commit({ message: 'Support per-order VAT rates', author: ALICE, date: '2024-06-10T09:00:00Z', files: { 'src/billing/invoice.ts': invoice(3, '\n// Quantities below zero are ignored.\n') } });
  await r.commit({ message: 'Fix rounding of VAT for small orders', author: ALICE, files: { 'src/billing/invoice.ts': invoice(3, '\n// Quantities below zero are ignored.\n// VAT is rounded half-up.\n') } });
  await r.commit({ message: 'hotfix: expired coupons still applied', author: BOB, date: '2025-03-03T09:00:00Z', files: { 'src/billing/invoice.ts': invoice(5, '\n// Quantities below zero are ignored.\n// VAT is rounded half-up.\n') } });
  await r.commit({ message: 'Round half away from zero in money helpers', author: BOB, files: { 'src/util/money.ts': money('Math.sign(amount) * Math.round(Math.abs(amount) * 100) / 100') } });
  await r.commit({ message: 'Revert "Round half away from zero in money helpers"\n\nThis reverts the rounding change: reports disagreed with the ledger.', author: BOB, files: { 'src/util/money.ts': money('Math.round(amount * 100) / 100') } });
  await r.commit({ message: 'fix: clamp discounted subtotal at zero (regression)', author: CAROL, date: '2025-09-15T09:00:00Z', files: { 'src/billing/invoice.ts': invoice(5, '\n// Quantities below zero are ignored.\n// VAT is rounded half-up.\n// Discounts never make a subtotal negative.\n') } });
  await r.commit({ message: 'Document the service', author: CAROL, files: { 'README.md': README + '\nRun the tests with your favourite runner.\n' } });

  await r.branch(DEMO_FEATURE_BRANCH);
  await r.checkout(DEMO_FEATURE_BRANCH);
  r.setDate('2026-10-20T09:00:00Z');
  const base = invoice(5, '\n// Quantities below zero are ignored.\n// VAT is rounded half-up.\n// Discounts never make a subtotal negative.\n');
  await r.commit({ message: 'Add volume discount tiers', author: DAN, files: {
    'src/billing/discounts.ts': `// Volume discount tiers for large orders.
export const TIERS = [
  { minQuantity: 100, percent: 10 },
  { minQuantity: 50, percent: 5 },
];

export function volumeDiscount(quantity: number): number {
  const tier = TIERS.find((t) => quantity >= t.minQuantity);
  return tier ? tier.percent / 100 : 0;
}
`,
  } });
  await r.commit({
    message: 'Apply volume discounts in invoices and round money once\n\nAssisted-by: Claude <noreply@anthropic.com>\n',
    author: DAN,
    files: {
      'src/billing/invoice.ts': base
        .replace("import { formatMoney, roundCents } from '../util/money';", "import { formatMoney, roundCents } from '../util/money';\nimport { volumeDiscount } from './discounts';")
        .replace('      subtotal += line.quantity * line.unitPrice;', '      const rate = 1 - volumeDiscount(line.quantity);\n      subtotal += line.quantity * line.unitPrice * rate;'),
      'src/util/money.ts': money('Math.round((amount + Number.EPSILON) * 100) / 100'),
    },
  });
  await r.commit({ message: 'Test volume discounts', author: DAN, files: {
    'test/discounts.test.ts': `// Tests for volume discounts.
import { volumeDiscount } from '../src/billing/discounts';

describe('volumeDiscount', () => {
  it('gives 10% from 100 units', () => {
    if (volumeDiscount(120) !== 0.1) throw new Error('wrong tier');
  });
});
`,
  } });
  return r;
}
