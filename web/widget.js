/*
 * shopassist chat widget: plain JavaScript, no build step, no dependencies.
 *
 * Embed it with one tag; it draws itself where the tag stands (or into data-target):
 *
 *   <script src="https://assistant.example-shop.de/widget.js"
 *           data-api-key="STOREFRONT_KEY"       (a storefront-scoped key, when keys are set)
 *           data-customer-id="CUSTOMER_ID"      (the signed-in customer; else a guest id)
 *           data-customer-token="TOKEN"         (customer_auth = "signed": the token the shop's
 *                                                backend minted for that customer)
 *           data-language="de"                  (labels: de or en; else the page's)
 *           data-target="#assistant"></script>  (optional: an element to draw into)
 *
 * It streams turns from POST /v1/assist (server-sent events over fetch), renders the
 * product cards (title, price, stock, why it matches), adds to the cart through
 * POST /v1/cart/items with an Idempotency-Key, and shows the cart. Everything shown
 * comes from the daemon's answer; shopper and catalogue text is set as text, never
 * as HTML.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var cfg = script.dataset || {};
  var base = new URL(script.src, location.href).origin;
  var lang = (cfg.language || document.documentElement.lang || navigator.language || "en")
    .slice(0, 2).toLowerCase() === "de" ? "de" : "en";
  var L = {
    de: {
      title: "Einkaufsassistent", placeholder: "Was suchen Sie?", send: "Senden",
      add: "In den Warenkorb", added: "Im Warenkorb", cart: "Warenkorb", empty: "Der Warenkorb ist leer.",
      total: "Summe", inStock: "auf Lager", outOfStock: "nicht auf Lager", error: "Das hat nicht geklappt:",
      qty: "Anzahl"
    },
    en: {
      title: "Shopping assistant", placeholder: "What are you looking for?", send: "Send",
      add: "Add to cart", added: "In the cart", cart: "Cart", empty: "The cart is empty.",
      total: "Total", inStock: "in stock", outOfStock: "out of stock", error: "That did not work:",
      qty: "Qty"
    }
  }[lang];

  function guestId() {
    var k = "shopassist.guest";
    try {
      var id = localStorage.getItem(k);
      if (!id) { id = "guest-" + uid(); localStorage.setItem(k, id); }
      return id;
    } catch (e) { return "guest-" + uid(); }
  }
  function uid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  // A signed token (v1.<expiry>.<signature>.<customer id>) names its customer.
  function tokenCustomer(t) {
    var parts = (t || "").split(".");
    return parts.length >= 4 ? parts.slice(3).join(".") : "";
  }
  var customer = cfg.customerId || tokenCustomer(cfg.customerToken) || guestId();
  var sessionId = null;

  function headers(extra) {
    var h = { "Content-Type": "application/json", "X-Customer-Id": customer };
    if (cfg.apiKey) h["Authorization"] = "Bearer " + cfg.apiKey;
    if (cfg.customerToken) h["X-Customer-Token"] = cfg.customerToken;
    for (var k in extra || {}) h[k] = extra[k];
    return h;
  }

  function money(minor, currency) {
    try {
      var f = new Intl.NumberFormat(lang === "de" ? "de-DE" : "en-GB", { style: "currency", currency: currency });
      var digits = f.resolvedOptions().maximumFractionDigits;
      return f.format(minor / Math.pow(10, digits));
    } catch (e) {
      return (minor / 100).toFixed(2) + " " + currency;
    }
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "testid") e.setAttribute("data-testid", attrs[k]);
      else e.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  // ---- the frame ---------------------------------------------------------------
  var host = el("div", { "class": "shopassist-widget" });
  var target = cfg.target && document.querySelector(cfg.target);
  if (target) target.appendChild(host); else script.parentNode.insertBefore(host, script);
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var style = el("style");
  style.textContent = [
    ":host{all:initial;font-family:system-ui,sans-serif;font-size:15px;color:#222}",
    ".box{border:1px solid #ccc;border-radius:8px;max-width:760px;display:flex;flex-direction:column;gap:8px;padding:10px;background:#fff}",
    "h2{font-size:17px;margin:0}",
    ".log{max-height:280px;overflow:auto;display:flex;flex-direction:column;gap:6px}",
    ".msg{padding:6px 9px;border-radius:8px;white-space:pre-wrap;max-width:85%}",
    ".me{align-self:flex-end;background:#e3efff}.bot{align-self:flex-start;background:#f2f2f2}.err{background:#fde2e2}",
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:8px}",
    ".card{border:1px solid #ddd;border-radius:6px;padding:8px;display:flex;flex-direction:column;gap:4px}",
    ".title{font-weight:600}.price{font-size:16px}.stock.out{color:#a00}.stock.in{color:#070}",
    ".reasons{margin:0;padding-left:16px;font-size:13px;color:#555}",
    "button{cursor:pointer;border:0;border-radius:5px;padding:6px 10px;background:#1b5fc1;color:#fff}",
    "button[disabled]{background:#999;cursor:default}",
    "form{display:flex;gap:6px}input{flex:1;padding:7px;border:1px solid #bbb;border-radius:5px;font-size:15px}",
    ".cart{border-top:1px solid #eee;padding-top:6px;font-size:14px}.cart ul{margin:4px 0;padding-left:18px}"
  ].join("\n");
  var log = el("div", { "class": "log", testid: "sa-log", "aria-live": "polite" });
  var cards = el("div", { "class": "cards", testid: "sa-products" });
  var cart = el("div", { "class": "cart", testid: "sa-cart" });
  var input = el("input", { type: "text", placeholder: L.placeholder, testid: "sa-input", "aria-label": L.placeholder, maxlength: "2000" });
  var send = el("button", { type: "submit", text: L.send, testid: "sa-send" });
  var form = el("form", {}, [input, send]);
  root.appendChild(style);
  root.appendChild(el("div", { "class": "box" }, [el("h2", { text: L.title }), log, cards, form, cart]));

  function say(text, cls) {
    var m = el("div", { "class": "msg " + cls, text: text });
    log.appendChild(m);
    log.scrollTop = log.scrollHeight;
    return m;
  }

  // ---- products and cart -------------------------------------------------------
  function renderProducts(products) {
    cards.textContent = "";
    (products || []).forEach(function (p) {
      var stock = p.in_stock
        ? el("div", { "class": "stock in", text: L.inStock + (p.stock ? " (" + p.stock + ")" : "") })
        : el("div", { "class": "stock out", text: L.outOfStock });
      var opts = Object.keys(p.options || {}).map(function (k) { return p.options[k]; }).join(" · ");
      var reasons = el("ul", { "class": "reasons", testid: "sa-reasons" },
        (p.reasons || []).map(function (r) { return el("li", { text: r }); }));
      var add = el("button", { type: "button", text: L.add, testid: "sa-add" });
      if (!p.in_stock) add.disabled = true;
      add.addEventListener("click", function () { addToCart(p, add); });
      cards.appendChild(el("div", { "class": "card", testid: "sa-card", "data-product-id": p.id }, [
        el("div", { "class": "title", text: p.title, testid: "sa-title" }),
        el("div", { "class": "price", text: money(p.price, p.currency), testid: "sa-price" }),
        opts ? el("div", { "class": "opts", text: opts }) : null,
        stock, reasons, add
      ]));
    });
  }

  function renderCart(c) {
    cart.textContent = "";
    cart.appendChild(el("strong", { text: L.cart }));
    if (!c || !c.items || !c.items.length) {
      cart.appendChild(el("div", { text: L.empty }));
      return;
    }
    cart.appendChild(el("ul", {}, c.items.map(function (i) {
      var what = [i.size, i.color].filter(Boolean).join(", ");
      return el("li", { testid: "sa-cart-line", "data-product-id": i.product_id,
        text: i.quantity + " × " + i.title + (what ? " (" + what + ")" : "") + " — " + money(i.line_total, c.currency) });
    })));
    cart.appendChild(el("div", { testid: "sa-cart-total", text: L.total + ": " + money(c.total, c.currency) }));
  }

  function fail(body, status) {
    var msg = body && body.error ? body.error.message : "HTTP " + status;
    say(L.error + " " + msg, "bot err");
  }

  function addToCart(p, button) {
    button.disabled = true;
    fetch(base + "/v1/cart/items", {
      method: "POST",
      headers: headers({ "Idempotency-Key": uid() }),
      body: JSON.stringify({ product_id: p.id, variant_id: p.variant && p.variant.id, quantity: 1 })
    }).then(function (r) {
      return r.json().then(function (b) {
        if (!r.ok) { button.disabled = false; return fail(b, r.status); }
        button.textContent = L.added;
        renderCart(b);
      });
    }).catch(function (e) { button.disabled = false; say(L.error + " " + e.message, "bot err"); });
  }

  function loadCart() {
    fetch(base + "/v1/cart", { headers: headers() }).then(function (r) {
      return r.ok ? r.json().then(renderCart) : renderCart(null);
    }).catch(function () { renderCart(null); });
  }

  // ---- a turn, streamed --------------------------------------------------------
  function handle(event, data, bubble) {
    var v;
    try { v = JSON.parse(data); } catch (e) { return; }
    if (event === "understanding" && v.session_id) sessionId = v.session_id;
    else if (event === "products") renderProducts(v.products);
    else if (event === "reply.delta") { bubble.textContent += v.text; log.scrollTop = log.scrollHeight; }
    else if (event === "done") {
      sessionId = v.session_id;
      bubble.textContent = v.reply;
      if (v.products && v.products.length) renderProducts(v.products);
      if (v.cart) renderCart(v.cart);
    } else if (event === "error") { bubble.remove(); fail(v, 0); }
  }

  function turn(text) {
    say(text, "me");
    var bubble = say("", "bot");
    bubble.setAttribute("data-testid", "sa-reply");
    send.disabled = true;
    var body = { text: text, customer_id: customer, channel: "text" };
    if (sessionId) body.session_id = sessionId;
    return fetch(base + "/v1/assist", {
      method: "POST",
      headers: headers({ "Accept": "text/event-stream" }),
      body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) return r.json().then(function (b) { bubble.remove(); fail(b, r.status); });
      var reader = r.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) return;
          buffer += decoder.decode(chunk.value, { stream: true });
          var parts = buffer.split("\n\n");
          buffer = parts.pop();
          parts.forEach(function (block) {
            var event = "message", data = [];
            block.split("\n").forEach(function (line) {
              if (line.indexOf("event:") === 0) event = line.slice(6).trim();
              else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
            });
            if (data.length) handle(event, data.join("\n"), bubble);
          });
          return pump();
        });
      }
      return pump();
    }).catch(function (e) { say(L.error + " " + e.message, "bot err"); })
      .then(function () { send.disabled = false; input.focus(); });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    turn(text);
  });
  loadCart();
})();
