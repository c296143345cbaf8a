import { leakFinder } from './support/masking.ts';
const find = leakFinder({ secrets: ['tok-abc'], personal: ['ivan@example.com', '+7 900 123-45-67'] });
const cases: Record<string, () => string> = {
  at: () => ('a'.repeat(1000)+'@').repeat(5000),
  at2: () => ('a'.repeat(100)+'@b').repeat(50000),
  cyr: () => 'я'.repeat(50e6),
  digits: () => '7'.repeat(50e6),
  mixed: () => 'ab1 '.repeat(12e6),
};
const name = process.argv[2];
const text = cases[name]();
const t = performance.now();
try { console.log(name, find(text).length, Math.round(performance.now() - t)); } catch (e) { console.log(name, 'ERR', (e as Error).message); }
