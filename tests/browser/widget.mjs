// Drives the chat widget at `/` in headless Chromium, as a shopper would:
// type a German request, see matching product cards stream in, add one to the
// cart, see the cart. Run by tests/it/browser.rs against a real daemon:
//
//   node tests/browser/widget.mjs http://127.0.0.1:PORT [screenshot.png]
//
// Exits 0 and prints a JSON summary when every step held; exits 1 with the reason.
import { chromium } from "playwright-core";

const url = process.argv[2];
const screenshot = process.argv[3];
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

function fail(msg) {
  console.error("widget test failed: " + msg);
  process.exitCode = 1;
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  // This machine's network is closed: no background connections, no sandbox as root.
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ locale: "de-DE" });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url + "/", { waitUntil: "load" });

  // The cart starts empty.
  const cart = page.getByTestId("sa-cart");
  await cart.getByText("Der Warenkorb ist leer.").waitFor({ timeout: 10000 });

  // A German request, typed and sent.
  await page.getByTestId("sa-input").fill("Ich suche eine wasserdichte Regenjacke unter 200 Euro");
  await page.getByTestId("sa-send").click();

  // Cards stream in: each with title, a euro price, stock and reasons.
  const cards = page.getByTestId("sa-card");
  await cards.first().waitFor({ timeout: 30000 });
  const n = await cards.count();
  const shown = [];
  for (let i = 0; i < n; i++) {
    const card = cards.nth(i);
    const title = (await card.getByTestId("sa-title").textContent()).trim();
    const price = (await card.getByTestId("sa-price").textContent()).trim();
    const text = await card.textContent();
    const reasons = await card.getByTestId("sa-reasons").locator("li").count();
    shown.push({ title, price, reasons });
    if (!/jacke/i.test(title)) fail(`card ${i} is no jacket: ${title}`);
    if (!price.includes("€")) fail(`card ${i} price has no euro sign: ${price}`);
    const euros = parseFloat(price.replace(/[^\d,]/g, "").replace(",", "."));
    if (!(euros <= 200)) fail(`card ${i} costs ${price}, over the 200 € asked`);
    if (!/auf Lager/.test(text)) fail(`card ${i} says nothing of stock: ${text}`);
    if (reasons < 1) fail(`card ${i} gives no reasons`);
  }

  // The streamed reply arrived and names no product that is not on a card.
  const reply = page.getByTestId("sa-reply").last();
  await page.waitForFunction(
    () => {
      const host = document.querySelector(".shopassist-widget");
      const el = host && host.shadowRoot && host.shadowRoot.querySelector('[data-testid="sa-reply"]');
      return el && el.textContent.trim().length > 0;
    },
    null,
    { timeout: 30000 },
  );
  const replyText = (await reply.textContent()).trim();

  // Add the first card with an enabled button; the cart shows it.
  let wanted = null;
  for (let i = 0; i < n && wanted === null; i++) {
    const add = cards.nth(i).getByTestId("sa-add");
    if (await add.isEnabled()) {
      wanted = (await cards.nth(i).getByTestId("sa-title").textContent()).trim();
      await add.click();
    }
  }
  if (wanted === null) throw new Error("no card could be added to the cart");
  const line = cart.getByTestId("sa-cart-line").first();
  await line.waitFor({ timeout: 10000 });
  const lineText = await line.textContent();
  if (!lineText.includes(wanted)) fail(`cart line "${lineText}" is not "${wanted}"`);
  const total = (await cart.getByTestId("sa-cart-total").textContent()).trim();
  if (!total.includes("€")) fail(`cart total has no euro sign: ${total}`);

  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  // The cart survives a reload (it lives in the daemon, for this guest id).
  await page.reload({ waitUntil: "load" });
  await page.getByTestId("sa-cart-line").first().waitFor({ timeout: 10000 });

  if (errors.length) fail("page errors: " + errors.join("; "));
  console.log(JSON.stringify({ cards: shown, reply: replyText, cart_line: lineText.trim(), total }));
} catch (e) {
  fail(e.stack || String(e));
} finally {
  await browser.close();
}
