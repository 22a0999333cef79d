// Prints the suite's result as one countable line, e.g. "e2e: 7 passed, 0 failed".
// Usage: node end2end/summary.mjs end2end/test-results/results.json
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'end2end/test-results/results.json';
let stats;
try {
  stats = JSON.parse(readFileSync(file, 'utf8')).stats;
} catch (error) {
  console.log(`e2e: no results (${error.message})`);
  process.exit(1);
}
const passed = stats.expected + stats.flaky;
const parts = [`${passed} passed`, `${stats.unexpected} failed`];
if (stats.skipped) parts.push(`${stats.skipped} skipped`);
console.log(`e2e: ${parts.join(', ')}`);
