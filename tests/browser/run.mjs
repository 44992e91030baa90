// Visits the test portal in Debian's headless Chromium (playwright-core, no
// browser download): axe-core's WCAG 2.0/2.1 A and AA rules and keyboard checks
// on every page, then the end-to-end scenarios. One browser launch for all.
//
//   node run.mjs plan.json   -> JSON results on stdout (tests/test_browser.py asserts)
//
// The plan (written by tests/test_browser.py): base URL, users with passwords,
// pages to check, scenarios with the names of what the portal holds and the
// chains they run in (a chain's scenarios in turn, chains side by side).
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const TABS = 12; // elements reached with Tab from the top of every page
const TABS_AT_ONCE = 3; // pages checked at the same time
const CHROMIUM = process.env.BDOM_CHROMIUM || '/usr/bin/chromium';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const log = (...args) => console.error('[browser]', ...args);

async function login(browser, user) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(20000);
  // the test portal only: nothing is fetched from the internet (avatars, fonts)
  await context.route(
    (url) => !url.href.startsWith(plan.base),
    (route) => route.abort('blockedbyclient'),
  );
  if (!user) return context;
  const page = await context.newPage();
  await page.goto(`${plan.base}/user/login`);
  await page.fill('#field-login', user.name);
  await page.fill('#field-password', user.password);
  await Promise.all([page.waitForNavigation(), page.click('form[method=post] button[type=submit]')]);
  const loggedIn = await page.evaluate(() => !document.querySelector('#field-login'));
  await page.close();
  if (!loggedIn) throw new Error(`could not log in as ${user.name}`);
  return context;
}

async function axe(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) {
    await page.addScriptTag({ content: AXE_SOURCE });
  }
  const result = await page.evaluate(
    (tags) =>
      window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 8).map((n) => ({
      target: n.target.join(' '),
      html: n.html.slice(0, 300),
      summary: (n.failureSummary || '').slice(0, 400),
    })),
  }));
}

// What the focused element looks like: described so the test can say what is wrong.
function describeFocus() {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || '')
      .trim()
      .replace(/\s+/g, ' ')
      .slice(0, 60),
    href: el.getAttribute('href'),
    visible: rect.width > 1 && rect.height > 1,
    indicator: outline || shadow,
  };
}

async function keyboard(page) {
  // the skip link: first Tab stop, Enter moves focus into the main content
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  await page.keyboard.press('Tab');
  const first = await page.evaluate(describeFocus);
  const skip = { first, target: null, focusMoved: false };
  const href = first?.href || '';
  if (href.startsWith('#') && href.length > 1) {
    skip.target = href;
    await page.keyboard.press('Enter');
    // focus is in the target, or the next Tab stop is in it or in the main landmark
    const inTarget = () =>
      page.evaluate((id) => {
        const active = document.activeElement;
        const target = document.getElementById(id);
        const main = document.querySelector('main, [role="main"]');
        return Boolean(
          (target && target.contains(active)) ||
            (main && main.contains(active) && (!target || !active.contains(target))),
        );
      }, href.slice(1));
    skip.focusMoved = await inTarget();
    if (!skip.focusMoved) {
      await page.keyboard.press('Tab');
      skip.focusMoved = await inTarget();
    }
  }
  // Tab through the first elements from the top: each stop is new, shown, marked
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  const stops = [];
  for (let i = 0; i < TABS; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(describeFocus);
    if (!focused) break;
    stops.push(focused);
  }
  // controls taken out of the Tab order: shown, enabled, yet tabindex < 0
  const unreachable = await page.evaluate(() =>
    [...document.querySelectorAll('a[href], button, input, select, textarea, [role="button"], [role="link"]')]
      .filter((el) => {
        const rect = el.getBoundingClientRect();
        // (a 1-pixel clipped control stands behind a script widget, e.g. select2's)
        const shown = rect.width > 1 && rect.height > 1 && getComputedStyle(el).visibility !== 'hidden';
        return shown && !el.disabled && el.type !== 'hidden' && el.tabIndex < 0;
      })
      .map((el) => el.outerHTML.slice(0, 160)),
  );
  return { skip, stops, unreachable };
}

// Every chart (an SVG image) has a table and a text summary in its figure or
// in the block around it.
async function charts(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('svg[role="img"], canvas')].map((chart) => {
      const box = chart.parentElement.closest('figure, section, article') || chart.parentElement;
      const around = [box, box.parentElement].filter(Boolean);
      const text = (el) => (el ? el.textContent.trim().replace(/\s+/g, ' ') : '');
      const described = (chart.getAttribute('aria-describedby') || '')
        .split(/\s+/)
        .map((id) => text(document.getElementById(id)))
        .join(' ')
        .trim();
      const summary =
        described ||
        text(chart.querySelector('desc')) ||
        around.map((el) => text(el.querySelector('[class*="summary"]'))).find(Boolean) ||
        around.map((el) => text(el.querySelector('p'))).find(Boolean) ||
        '';
      return {
        label: chart.getAttribute('aria-label') || text(chart.querySelector('title')),
        table: around.some((el) => el.querySelector('table')),
        summary: summary.slice(0, 200),
      };
    }),
  );
}

async function checkPage(context, spec) {
  const page = await context.newPage();
  const out = { path: spec.path, lang: spec.lang, ms: {} };
  let mark = Date.now();
  const lap = (name) => {
    out.ms[name] = Date.now() - mark;
    mark = Date.now();
  };
  try {
    const response = await page.goto(plan.base + spec.path, { waitUntil: 'load' });
    out.status = response ? response.status() : null;
    out.url = page.url();
    out.htmlLang = await page.evaluate(() => document.documentElement.lang);
    out.title = await page.title();
    lap('load');
    if (spec.select) await page.waitForSelector(spec.select, { timeout: 5000 });
    out.violations = await axe(page);
    lap('axe');
    out.charts = await charts(page);
    if (spec.screenshot && plan.screenshots) {
      mkdirSync(plan.screenshots, { recursive: true });
      await page.screenshot({ path: join(plan.screenshots, `${spec.screenshot}.png`) });
    }
    lap('charts+screenshot');
    out.keyboard = await keyboard(page);
    lap('keyboard');
  } catch (error) {
    out.error = String(error.stack || error);
  } finally {
    await page.close();
  }
  return out;
}

// --- end-to-end scenarios ------------------------------------------------------------

const titles = (page) =>
  page
    .locator('.dataset-list .dataset-heading a, .dataset-item .dataset-heading a')
    .evaluateAll((links) => links.map((a) => a.textContent.trim()));

async function step(result, name, fn) {
  result.steps.push(name);
  return fn();
}

const SCENARIOS = {
  // a resident searches, filters by a facet, opens a dataset and downloads a CSV
  async resident_download(contexts, data, result) {
    const page = await contexts.anonymous.newPage();
    await step(result, 'search from the home page', async () => {
      await page.goto(`${plan.base}/`);
      await page.fill('form[action="/dataset/"] input[name="q"], input[name="q"]', data.query);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      result.search_url = page.url();
    });
    await step(result, 'filter by the steward facet', async () => {
      result.found_before = await titles(page);
      const facet = page.locator(`nav a[href*="organization=${data.steward}"]`).first();
      await facet.click();
      await page.waitForURL(/organization=/);
      await page.waitForLoadState();
      result.filtered_url = page.url();
      result.found = await titles(page);
    });
    await step(result, 'open the dataset', async () => {
      await page.getByRole('link', { name: data.title }).first().click();
      await page.waitForURL(/\/dataset\/[^?]+$/);
      result.dataset_url = page.url();
    });
    await step(result, 'open the resource', async () => {
      await page.locator('.resource-item a.heading').first().click();
      await page.waitForURL(/\/resource\//);
      result.resource_url = page.url();
    });
    await step(result, 'download the CSV', async () => {
      const link = page.locator('a.resource-url-analytics').first();
      result.download_href = await link.getAttribute('href');
      const downloaded = page.waitForEvent('download', { timeout: 15000 }).then(async (download) => {
        const chunks = [];
        for await (const chunk of await download.createReadStream()) chunks.push(chunk);
        return { body: Buffer.concat(chunks).toString('utf8'), filename: download.suggestedFilename() };
      });
      // a browser may also show a text file in the tab instead of saving it
      const shown = page
        .waitForResponse((r) => r.url().includes('/download/'), { timeout: 15000 })
        .then(async (r) => ({ body: (await r.text()), filename: r.url().split('/').pop(), shown: true }));
      await link.click();
      const got = await Promise.any([downloaded, shown]);
      Object.assign(result, { downloaded: got.body, filename: got.filename, inline: Boolean(got.shown) });
    });
    await page.close();
  },

  // a coordinator downloads the collection form, uploads it with an error, reads
  // the report, fixes the file and submits it
  async coordinator_submits(contexts, data, result) {
    const page = await contexts.coordinator.newPage();
    const submitUrl = `/bdom/zbior/${data.name}/przekaz`;
    await step(result, 'open the dataset from "my datasets"', async () => {
      await page.goto(`${plan.base}/bdom/moje`);
      await page.locator(`a[href$="${submitUrl}"]`).first().click();
      await page.waitForURL((url) => url.pathname === submitUrl);
    });
    await step(result, 'download the CSV form', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('a[href$="formularz.csv"]').click(),
      ]);
      const chunks = [];
      for await (const chunk of await download.createReadStream()) chunks.push(chunk);
      result.form = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
      result.form_filename = download.suggestedFilename();
    });
    const fill = (values) => {
      const [header, ...rows] = result.form.trim().split(/\r?\n/).map((line) => line.split(';'));
      const filled = rows.map((row) => {
        const key = `${row[0]};${row[1]}`;
        return header.map((column, i) => (column in (values[key] || {}) ? values[key][column] : row[i]));
      });
      return Buffer.from([header, ...filled].map((row) => row.join(';')).join('\r\n'), 'utf8');
    };
    const upload = async (buffer) => {
      await page.setInputFiles('#field-upload', { name: data.upload, mimeType: 'text/csv', buffer });
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(submitUrl)),
        page.locator('form.bdom-collect-upload button[type="submit"]').click(),
      ]);
      await page.waitForLoadState();
      return response.status();
    };
    await step(result, 'upload the form with an error', async () => {
      result.error_status = await upload(fill(data.wrong));
      result.report = await page.locator('#bdom-report').innerText();
      result.field = await page.evaluate(() => {
        const input = document.getElementById('field-upload');
        return {
          invalid: input.getAttribute('aria-invalid'),
          describedby: input.getAttribute('aria-describedby'),
        };
      });
      result.violations = await axe(page);
    });
    await step(result, 'upload the fixed form', async () => {
      result.fixed_status = await upload(fill(data.right));
      result.after = await page.locator('.flash-messages .alert-success').allInnerTexts();
      result.submissions = await page.locator('table.bdom-collect-submissions tbody tr').allInnerTexts();
      result.after_url = page.url();
    });
    await page.close();
  },

  // the officer reviews the submission, verifies and publishes the dataset;
  // anyone then finds it
  async officer_publishes(contexts, data, result) {
    const page = await contexts.officer.newPage();
    await step(result, 'see the dataset in the queue', async () => {
      await page.goto(`${plan.base}/bdom/kolejka`);
      result.queued = await page.locator('#content a, main a').allTextContents();
    });
    await step(result, 'review the submitted data', async () => {
      const response = await page.goto(`${plan.base}/bdom/zbior/${data.name}/przeglad`);
      result.review_status = response.status();
      result.review = await page.locator('#content, main').first().innerText();
      result.violations = await axe(page);
    });
    for (const transition of data.transitions) {
      await step(result, `${transition} from the dataset page`, async () => {
        await page.goto(`${plan.base}/dataset/${data.name}`);
        const button = page
          .locator(`form.bdom-workflow-transition:has(input[name="transition"][value="${transition}"]) button[type="submit"]`)
          .first();
        await Promise.all([page.waitForURL(`${plan.base}/dataset/${data.name}`), button.click()]);
        await page.waitForLoadState();
      });
    }
    await step(result, 'anonymous search finds it', async () => {
      const anon = await contexts.anonymous.newPage();
      await anon.goto(`${plan.base}/dataset/?q=${encodeURIComponent(data.query)}`);
      result.public_results = await titles(anon);
      const response = await anon.goto(`${plan.base}/dataset/${data.name}`);
      result.public_status = response.status();
      await anon.close();
    });
    await page.close();
  },

  // a resident opens the indicator dashboard, an indicator and its table
  async resident_indicators(contexts, data, result) {
    const page = await contexts.anonymous.newPage();
    await step(result, 'open the dashboard', async () => {
      await page.goto(`${plan.base}/wskazniki`);
      result.dashboard_title = await page.title();
    });
    await step(result, 'open the indicator', async () => {
      const link = page.locator(`a[href$="/wskazniki/${data.indicator}"]`).first();
      await Promise.all([page.waitForNavigation(), link.click()]);
      result.indicator_url = page.url();
      result.heading = (await page.locator('h1').first().textContent()).trim();
    });
    await step(result, 'read its table', async () => {
      result.tables = await page.evaluate(() =>
        [...document.querySelectorAll('table')].map((table) => ({
          caption: table.caption?.textContent.trim() || '',
          headers: [...table.querySelectorAll('th')].map((th) => th.textContent.trim()),
          cells: [...table.querySelectorAll('td')].map((td) => td.textContent.trim()),
        })),
      );
    });
    await page.close();
  },
};

async function main() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  const results = { pages: {}, scenarios: {} };
  try {
    const contexts = { anonymous: await login(browser, null) };
    for (const [role, user] of Object.entries(plan.users || {})) {
      contexts[role] = await login(browser, user);
    }
    // a few tabs at a time: the portal renders one page while axe checks another
    const queue = [...plan.pages];
    const worker = async () => {
      for (let spec = queue.shift(); spec; spec = queue.shift()) {
        const started = Date.now();
        results.pages[spec.id] = await checkPage(contexts[spec.as || 'anonymous'], spec);
        log('page', spec.id, spec.path, `${Date.now() - started} ms`, JSON.stringify(results.pages[spec.id].ms));
      }
    };
    await Promise.all(Array.from({ length: TABS_AT_ONCE }, worker));
    // scenarios in chains: one after another within a chain, the chains side by side
    const runScenario = async (name) => {
      const started = Date.now();
      const result = { steps: [] };
      try {
        await SCENARIOS[name](contexts, plan.scenarios[name], result);
      } catch (error) {
        result.error = String(error.stack || error);
      }
      results.scenarios[name] = result;
      log('scenario', name, `${Date.now() - started} ms`);
    };
    const chains = plan.chains || Object.keys(plan.scenarios || {}).map((name) => [name]);
    await Promise.all(
      chains.map(async (chain) => {
        for (const name of chain) await runScenario(name);
      }),
    );
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
