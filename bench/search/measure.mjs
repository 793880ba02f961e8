// Measures the browser search index of a built site and compares it with
// Pagefind over the same pages. Prints a JSON report to stdout.
//
//   node bench/search/measure.mjs SITE_DIR [--binary build/signpost] [--no-pagefind]
//
// Bytes "fetched" are what a static host serving gzip -9 sends for every
// file a cold-cache first query needs: the module, the manifest, the
// document lengths, the postings shards of its words and the card chunks of
// the top 10 (recorded by running the real module with an instrumented fetch).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const site = resolve(args[0] ?? 'site');
const binary = args.includes('--binary') ? args[args.indexOf('--binary') + 1] : join(repo, 'build/signpost');
const withPagefind = !args.includes('--no-pagefind');
const dataDir = join(site, 'data/search');
const db = join(site, 'data/directory.sqlite3');

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

// The module as the site ships it (the renderer copies it with a hash), else the theme's.
const assets = join(site, 'assets');
const shipped = existsSync(assets) ? readdirSync(assets).find((f) => /^search\..*\.js$/.test(f)) : null;
const jsPath = shipped ? join(assets, shipped) : join(repo, 'templates/assets/search.js');
const jsBytes = readFileSync(jsPath);
const { createIndex, search } = await import(jsPath);

function instrumentedIndex() {
  const fetched = [];
  const index = createIndex(dataDir + '/', async (path) => {
    const bytes = readFileSync(path);
    fetched.push({ file: path.slice(dataDir.length + 1), raw: bytes.length, gzip: gz(bytes) });
    return JSON.parse(bytes);
  });
  return { index, fetched };
}

async function firstQuery(q) {
  const { index, fetched } = instrumentedIndex();
  const result = await search(index, q, {}, { limit: 10 });
  const js = { file: 'search.js', raw: jsBytes.length, gzip: gz(jsBytes) };
  const files = [js, ...fetched];
  return {
    query: q,
    results: result.total,
    files: files.length,
    raw: files.reduce((a, f) => a + f.raw, 0),
    gzip: files.reduce((a, f) => a + f.gzip, 0),
    detail: files.map((f) => `${f.file} ${f.gzip}`),
  };
}

const report = { site, js: { path: jsPath, raw: jsBytes.length, gzip: gz(jsBytes) } };

// Index files.
const files = readdirSync(dataDir);
let raw = 0;
let zipped = 0;
const byKind = {};
for (const f of files) {
  const bytes = readFileSync(join(dataDir, f));
  raw += bytes.length;
  zipped += gz(bytes);
  const kind = f.split('.')[0];
  byKind[kind] = (byKind[kind] ?? 0) + 1;
}
report.index = { files: files.length, byKind, raw, gzip: zipped, database: statSync(db).size };

// Cold-cache first queries.
report.firstQuery = [];
for (const q of ['anxiety', 'debt', 'support', 'low mood', 'back to work', 'recov']) {
  report.firstQuery.push(await firstQuery(q));
}

// Per-query time once the files are loaded (the files stay cached in the index object).
const queries = ['anxiety', 'debt', 'IAPT', 'counselling', 'job', 'lonely', 'recov', 'carer', 'alcohol',
  'young', 'housing', 'bereavement', 'peer support', 'back to work', 'low mood', 'support', 'mental health',
  'group', 'a', 'the'];
const { index } = instrumentedIndex();
for (const q of queries) await search(index, q, {}, { limit: 10 });
const times = {};
const all = [];
for (const q of queries) {
  const t = [];
  for (let i = 0; i < 30; i++) {
    const start = performance.now();
    await search(index, q, {}, { limit: 10 });
    t.push(performance.now() - start);
  }
  times[q] = Number(median(t).toFixed(2));
  all.push(...t);
}
const withFilter = [];
for (let i = 0; i < 30; i++) {
  const start = performance.now();
  await search(index, 'support', { selfReferral: true, area: 'example-east', free: true }, { limit: 10 });
  withFilter.push(performance.now() - start);
}
report.queryMs = {
  median: Number(median(all).toFixed(2)),
  p95: Number(pct(all, 0.95).toFixed(2)),
  max: Number(Math.max(...all).toFixed(2)),
  perQuery: times,
  filteredSupportMedian: Number(median(withFilter).toFixed(2)),
};

// `signpost search` latency (process start, open, query, print).
const cliTimes = [];
for (const q of ['anxiety', 'low mood', 'support', 'recov']) {
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    const r = spawnSync(binary, ['search', '--index', db, '--json', q], { encoding: 'utf8' });
    cliTimes.push(performance.now() - start);
    if (r.status !== 0) throw new Error(`signpost search failed: ${r.stderr}`);
  }
}
report.cliMs = { median: Number(median(cliTimes).toFixed(1)), p95: Number(pct(cliTimes, 0.95).toFixed(1)) };

// Pagefind over the same pages.
if (withPagefind) report.pagefind = runPagefind();

console.log(JSON.stringify(report, null, 2));

function runPagefind() {
  // Pagefind indexes HTML. When the site has no service pages (a build
  // without the renderer), index minimal pages made from the same database.
  let pfSite = site;
  let pages = 'the built site';
  if (!existsSync(join(site, 'services'))) {
    pfSite = join(dirname(site), 'pagefind-site');
    rmSync(pfSite, { recursive: true, force: true });
    const r = spawnSync('sqlite3', ['-json', db, 'SELECT s.slug, f.name, f.keywords, f.organisation, f.summary, f.body FROM fts f JOIN services s ON s.id = f.rowid'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;');
    for (const row of JSON.parse(r.stdout)) {
      const dir = join(pfSite, 'services', row.slug);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(row.name)}</title></head><body><main data-pagefind-body><h1>${esc(row.name)}</h1><p>${esc(row.organisation)}</p><p>${esc(row.summary)}</p><p>${esc(row.keywords)}</p><div>${esc(row.body).replace(/\n\n/g, '</p><p>')}</div></main></body></html>`);
    }
    pages = 'minimal pages generated from the search database (same text)';
  }
  const out = join(pfSite, 'pagefind');
  rmSync(out, { recursive: true, force: true });
  const start = performance.now();
  const r = spawnSync(join(repo, 'node_modules/.bin/pagefind'), ['--site', pfSite, '--output-path', out], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) return { error: r.stderr || r.stdout };
  const list = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? list(join(dir, d.name)) : [join(dir, d.name)]));
  const pfFiles = list(out);
  // Pagefind's own index files are already gzip-compressed; text assets are not.
  const size = (f) => (/\.(pf_\w+|pagefind)$/.test(f) ? statSync(f).size : gz(readFileSync(f)));
  const kind = (re) => pfFiles.filter((f) => re.test(f)).map(size);
  const indexChunks = kind(/\/index\/.*\.pf_index$/);
  const fragments = kind(/\/fragment\/.*\.pf_fragment$/);
  const one = (re) => kind(re).reduce((a, b) => a + b, 0);
  const fixed = {
    'pagefind-ui.js': one(/pagefind-ui\.js$/),
    'pagefind-ui.css': one(/pagefind-ui\.css$/),
    'pagefind.js': one(/\/pagefind\.js$/),
    'pagefind-entry.json': one(/pagefind-entry\.json$/),
    wasm: Math.max(...kind(/wasm\..*\.pagefind$/)),
    pf_meta: one(/\.pf_meta$/),
  };
  const fixedTotal = Object.values(fixed).reduce((a, b) => a + b, 0);
  const chunk = median(indexChunks);
  const fragment = median(fragments);
  // Pagefind's default UI loads the index chunk of each word and the
  // fragments of the first 5 results.
  return {
    pages,
    indexSeconds: Number(seconds.toFixed(1)),
    files: pfFiles.length,
    totalBytes: pfFiles.reduce((a, f) => a + statSync(f).size, 0),
    fixed,
    indexChunks: indexChunks.length,
    medianIndexChunk: chunk,
    medianFragment: fragment,
    firstQuerySingleWord: fixedTotal + chunk + 5 * fragment,
    firstQueryTwoWords: fixedTotal + 2 * chunk + 5 * fragment,
    firstQueryWithoutUi: fixedTotal - fixed['pagefind-ui.js'] - fixed['pagefind-ui.css'] + chunk + 5 * fragment,
  };
}
