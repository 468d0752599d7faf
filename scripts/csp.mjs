// trunk post_build hook: writes the page's Content-Security-Policy into the
// staged index.html. The policy allows only the page's own origin (scripts,
// wasm, styles, workers, fetches of the demo data) and nothing else; trunk's one
// inline script (the wasm loader) is allowed by its hash, which changes with
// every build, hence a hook rather than a fixed <meta>.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const page = join(process.env.TRUNK_STAGING_DIR ?? 'dist', 'index.html');
let html = readFileSync(page, 'utf8');
const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
  .filter(([tag]) => !/\bsrc=/.test(tag.slice(0, tag.indexOf('>'))))
  .map(([, body]) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);

const policy = [
  "default-src 'none'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, '');
html = html.replace(/(<meta charset="utf-8" \/>)/, `$1\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
if (!html.includes('Content-Security-Policy')) {
  console.error('csp.mjs: no <meta charset="utf-8" /> to put the policy after');
  process.exit(1);
}
writeFileSync(page, html);
