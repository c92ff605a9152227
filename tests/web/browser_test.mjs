// Browser tests of `anjian serve`: Debian's Chromium, headless, driven by playwright-core (no
// browser download). Starts the server on a free loopback port with a fresh session file, then:
// the page loads in Chinese and switches to English; a slider and a reform card change the
// scenario; a run completes and draws its charts; an exercise plays through; two teams join a
// facilitator's session in two browser contexts and the leaderboard shows both. Screenshots go to
// docs/trainer/ (the README shows them).
//
//   node tests/web/browser_test.mjs            (ANJIAN_BUILD=build, CHROMIUM=/usr/bin/chromium)

import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(join(root, "web", "package.json"));
const { chromium } = require("playwright-core");

const build = resolve(root, process.env.ANJIAN_BUILD ?? "build");
const shots = join(root, "docs", "trainer");
const timeoutMs = 60_000;

function freePort() {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function startServer() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "anjian-web-"));
  const server = spawn(join(build, "anjian"), ["serve", "--port", String(port), "--sessions", join(dir, "s.sqlite")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((ok, fail) => {
    server.stdout.on("data", (d) => String(d).includes("open http") && ok());
    server.on("exit", (code) => fail(new Error(`anjian serve exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => { server.kill("SIGTERM"); rmSync(dir, { recursive: true, force: true }); } };
}

const results = [];
async function check(name, body) {
  const start = Date.now();
  try {
    await body();
    results.push(`ok   ${name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
  } catch (e) {
    results.push(`FAIL ${name}: ${e.message}`);
  }
  console.log(results.at(-1));
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync",
           // Pages of several contexts at once: none may be throttled as a background window, or
           // Playwright's waits (animation frames) stall for a minute.
           "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
           "--disable-backgrounding-occluded-windows"],
  });
  const outside = [];
  const newPage = async (context) => {
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    // The app must ask nothing of any other host.
    page.on("request", (r) => { if (!r.url().startsWith(server.url)) outside.push(r.url()); });
    return page;
  };
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await newPage(context);

    await check("the page loads in Chinese", async () => {
      await page.goto(server.url);
      await page.waitForSelector("body[data-ready=true] .card");
      expect((await page.textContent("h1")).includes("安全生产监管"), "title is not Chinese");
      expect((await page.getAttribute("html", "lang")) === "zh-CN", "html lang is not zh-CN");
      expect((await page.locator(".card").count()) === 5, "five reform cards expected");
      await page.screenshot({ path: join(shots, "desk_zh.png") });
    });

    await check("it switches to English and back", async () => {
      await page.click("#lang");
      expect((await page.textContent("h1")).includes("reform trainer"), "title is not English");
      expect((await page.textContent("#tab-desk")) === "Policy desk", "tab not in English");
      await page.click("#lang");
      expect((await page.textContent("#tab-desk")) === "政策台", "tab not back in Chinese");
      await page.click("#lang"); // stay in English for the rest
    });

    await check("a reform card changes the scenario and the budget", async () => {
      const before = await page.textContent("#budget-total");
      await page.click("[data-reform=reform_professional_team] .card-head");
      await page.waitForSelector("#scenario li[data-key='departments.emergency_management_staff']");
      await page.waitForFunction((b) => document.querySelector("#budget-total")?.textContent !== b, before);
      expect((await page.locator("[data-reform=reform_professional_team].adopted").count()) === 1, "card not adopted");
    });

    await check("a slider changes the scenario", async () => {
      const slider = page.locator("[data-reform=reform_professional_team] [data-lever='staff.training_days_per_year'] input[type=range]");
      const top = await slider.getAttribute("max");
      await slider.fill(top);
      await page.waitForFunction((v) => parseFloat(document.querySelector("#scenario li[data-key='staff.training_days_per_year']")?.textContent.split("→")[1] ?? "") === Number(v), top);
    });

    await check("a run completes and draws its charts, table and debrief", async () => {
      await page.fill("#replicates", "3");
      await page.dispatchEvent("#replicates", "change");
      await page.click("#run");
      await page.waitForSelector("#results #charts .chart canvas");
      const charts = await page.locator("#charts .chart").count();
      expect(charts >= 8, `only ${charts} charts`);
      expect((await page.locator("#effects tr[data-outcome=deaths_true]").count()) === 1, "no deaths row");
      expect(/\d/.test(await page.textContent("#gap")), "debrief has no figures");
      await page.screenshot({ path: join(shots, "run_en.png"), fullPage: true });
    });

    await check("an exercise plays through", async () => {
      await page.click("#tab-exercises");
      await page.click("[data-exercise=death_target] button");
      await page.click(".option[data-option='1']");
      await page.waitForSelector("#reveal");
      const reveal = await page.textContent("#reveal");
      expect(!reveal.includes("{"), `unfilled placeholder in the reveal: ${reveal}`);
      expect(/\d/.test(reveal), "reveal carries no figures");
      await page.click("#lang");
      await page.screenshot({ path: join(shots, "exercise_zh.png"), fullPage: true });
      await page.click("#lang");
    });

    await check("two teams join a facilitator's session and the leaderboard shows both", async () => {
      await page.click("#tab-class");
      await page.click("#open-session");
      await page.waitForSelector("#code");
      const code = (await page.textContent("#code")).trim();
      const teams = [["Team Red", "reform_assessment"], ["Team Blue", "reform_integration"]];
      const contexts = [];
      const t0 = Date.now();
      const step = (what) => process.env.TRACE && console.log(`  ${((Date.now() - t0) / 1000).toFixed(1)} s ${what}`);
      for (const [name, reform] of teams) {
        const ctx = await browser.newContext({ viewport: { width: 1100, height: 800 } });
        contexts.push(ctx);
        const p = await newPage(ctx);
        if (process.env.TRACE) {
          p.on("request", (r) => step(`  -> ${r.method()} ${r.url()}`));
          p.on("requestfinished", (r) => step(`  <- ${r.method()} ${r.url()}`));
          p.on("requestfailed", (r) => step(`  !! ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
        }
        await p.goto(server.url);
        await p.waitForSelector("body[data-ready=true] .card");
        step(`${name} loaded`);
        await p.click(`[data-reform=${reform}] .card-head`);
        step("card");
        await p.click("#tab-class");
        step("tab");
        await p.fill("#join-code", code);
        step("code");
        await p.fill("#team-name", name);
        step("name");
        await p.click("#join");
        step("join clicked");
        // Polled, not an element handle: the board re-renders every 2 s and replaces the button.
        await p.waitForFunction(() => document.querySelector("#submit-policy, #error"), null, { polling: 100 });
        if (!(await p.locator("#submit-policy").count()))
          throw new Error(`${name} could not join ${code}: ${await p.textContent("#error")}`);
        step(`${name} joined`);
        await p.click("#submit-policy");
        step(`${name} submitted`);
      }
      for (const [name] of teams)
        await page.waitForSelector(`#leaderboard tr[data-team='${name}'] td.truth`, { timeout: timeoutMs });
      await page.waitForFunction(() => [...document.querySelectorAll("#leaderboard tr[data-team]")].every((r) => !r.textContent.includes("(running)")), null, { timeout: timeoutMs });
      step("leaderboard complete");
      const hidden = await page.textContent("#leaderboard tr[data-team='Team Red'] td.truth");
      expect(hidden === "hidden", `true deaths shown before the reveal: ${hidden}`);
      await page.click("#reveal-truth");
      await page.waitForFunction(() => /\d/.test(document.querySelector("#leaderboard tr[data-team='Team Red'] td.truth")?.textContent ?? ""));
      await page.screenshot({ path: join(shots, "classroom_en.png"), fullPage: true });
      for (const ctx of contexts) await ctx.close();
    });

    await check("no request left the server", async () => {
      expect(outside.length === 0, `requests to other hosts: ${outside.join(", ")}`);
    });
  } finally {
    await browser.close();
    server.stop();
  }
  const failed = results.filter((r) => r.startsWith("FAIL"));
  console.log(`${results.length - failed.length} of ${results.length} browser checks passed`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
