// End-to-end in a real browser: Debian's Chromium driven by playwright-core
// against the real `signpost serve` on loopback. Covers accessibility
// (axe-core, WCAG 2.2 AA), the search journey with the keyboard only, filters,
// the no-JavaScript fallback, CSP and "no third-party requests".
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyContent, launch, serve } from './lib/harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
let content;

// A hostile entry proves the UI escapes what it inserts.
const hostile = `+++
name = "Hostile <img src=x onerror=\\"window.__pwned=1\\"> Zebrafinch Group"
organisation = "<script>window.__pwned=2</script> Trust"
summary = "Zebrafinch {{ site.title }} & \\"quoted\\" peer group for testing escaping."
categories = ["peer-support"]
tier = "community-support"
areas = ["all"]
referral = ["self"]
cost = "free"
last_reviewed = 2026-10-01

[contact]
phone = "020 7946 0999"
email = "zebrafinch@example.net"
+++
Body with <script>window.__pwned=4</script> and <img src=x onerror="window.__pwned=5">.
`;

before(async () => {
  content = copyContent();
  writeFileSync(join(content, 'services', 'zz-hostile-zebrafinch.md'), hostile);
  server = await serve(content);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(content, { recursive: true, force: true });
});

async function newPage(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['127.0.0.1', ''].includes(url.hostname) && url.protocol !== 'data:') {
      problems.push(`third-party request: ${r.url()}`);
    }
  });
  return { context, page, problems };
}

const pages = ['', 'search/', 'services/example-nhs-talking-therapies/',
  'categories/talking-therapies/', 'pathway/', 'a-z/', 'areas/example-north/'];

describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
  for (const path of pages) {
    test(`no axe violations on /${path}`, async () => {
      // bypassCSP only so axe itself can be injected; CSP is tested separately.
      const { context, page } = await newPage({ bypassCSP: true });
      const response = await page.goto(server.base + path);
      assert.equal(response.status(), 200);
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      }));
      const summary = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      assert.deepEqual(summary, []);
      await context.close();
    });
  }
});

describe('pages under the real CSP', () => {
  for (const path of pages) {
    test(`/${path} loads with no console errors, CSP reports or third-party requests`, async () => {
      const { context, page, problems } = await newPage();
      await page.goto(server.base + path, { waitUntil: 'networkidle' });
      assert.ok(await page.locator('a[href^="tel:"]').count() > 0, 'crisis block has tap-to-call links');
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
});

describe('search', () => {
  test('keyboard only: "/" focuses the box, type, arrow to a result, Enter opens it', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(server.base + 'search/');
    // The module adds its filters once it has booted; keys pressed before that go to the page.
    await page.locator('.signpost-search-filters').waitFor();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'q');
    await page.keyboard.type('IAPT');
    const first = page.locator('#search-results a').first();
    await first.waitFor();
    assert.match(await first.textContent(), /Talking Therapies/);
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('href'));
    assert.ok(focused && focused.includes('services/'), `focus moved to a result, got ${focused}`);
    await Promise.all([page.waitForURL(/services\//), page.keyboard.press('Enter')]);
    assert.match(await page.locator('h1').textContent(), /\S/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('results as you type, count announced, query in the URL, back button works', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(server.base + 'search/');
    await page.fill('input[name="q"]', 'debt');
    await page.locator('#search-results a').first().waitFor();
    const live = page.locator('[aria-live]');
    assert.equal(await live.count(), 1, 'one live region: the count');
    assert.match(await live.textContent(), /\d+ services? found/);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'debt');
    await page.locator('#search-results a').first().click();
    await page.waitForURL(/services\//);
    await page.goBack();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'debt');
    assert.equal(await page.inputValue('input[name="q"]'), 'debt');
    await page.locator('#search-results a').first().waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a filter narrows the results without a round trip', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(server.base + 'search/?q=support');
    await page.locator('#search-results a').first().waitFor();
    const found = async () => Number((await page.locator('#search-status').textContent()).match(/(\d+) services? found/)?.[1]);
    const before = await found();
    let requests = 0;
    page.on('request', (r) => { if (r.resourceType() === 'document') requests++; });
    await page.getByLabel(/self-refer/i).first().check();
    await page.waitForFunction(() => new URL(location.href).search.includes('self'));
    await page.waitForFunction((n) => !document.querySelector('#search-status').textContent.startsWith(`${n} `), before);
    const after = await found();
    assert.ok(after > 0 && after < before, `self-referral filter: ${before} -> ${after}`);
    assert.equal(requests, 0, 'no page load for a filter');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the home page search box leads to results', async () => {
    const { context, page } = await newPage();
    await page.goto(server.base);
    await page.fill('input[name="q"]', 'counselling');
    await Promise.all([page.waitForURL(/search\/\?q=counselling/), page.keyboard.press('Enter')]);
    await page.locator('#search-results a').first().waitFor();
    // Counselling services are talking therapies: the first result is one of them.
    await page.locator('#search-results a').first().click();
    await page.waitForURL(/services\//);
    assert.ok(await page.locator('a[href$="categories/talking-therapies/"]').count() > 0);
    await context.close();
  });

  test('hostile entry text is shown as text, never run', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(server.base + 'search/?q=zebrafinch');
    await page.locator('#search-results a').first().waitFor();
    assert.match(await page.locator('#search-results').textContent(), /<img src=x/);
    assert.equal(await page.locator('#search-results img, #search-results svg[onload], #search-results script').count(), 0);
    await page.goto(server.base + 'services/zz-hostile-zebrafinch/');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('main script, a[href^="javascript:"]').count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a misspelt word suggests the nearest term', async () => {
    const { context, page } = await newPage();
    await page.goto(server.base + 'search/?q=anxeity');
    await page.getByText(/Did you mean/i).waitFor();
    await context.close();
  });
});

describe('without JavaScript', () => {
  test('the search page links the browse pages and the crisis block is there', async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await page.goto(server.base + 'search/?q=debt');
    assert.ok(await page.locator('a[href*="categories/"]').count() > 5);
    assert.ok(await page.locator('a[href*="a-z/"]').count() > 0);
    assert.ok(await page.locator('a[href^="tel:"]').count() > 0);
    await page.goto(server.base + 'services/example-nhs-talking-therapies/');
    assert.ok(await page.locator('a[href^="tel:"]').count() > 1);
    await context.close();
  });

  test('on a phone-sized screen the crisis numbers are shown as tap-to-call links', async () => {
    const { context, page } = await newPage({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
    await page.goto(server.base);
    const tel = page.locator('a[href^="tel:"]').first();
    assert.ok(await tel.isVisible());
    await context.close();
  });
});
