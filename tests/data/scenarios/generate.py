#!/usr/bin/env python3
"""Writes the scenario set for `shopassist eval scenarios` (issue #6): multi-turn
conversations over the demo catalogue (catalog/demo.jsonl) with per-turn checks.

Deterministic: the same catalogue gives the same file. Twelve flows (search and
refine, add to cart, checkout with and without confirmation, product questions,
comparison, no results with relaxation, handoff on request and on anger, more
results, cart, removal, order status), each in German and English, four product
types per flow; the fourth of each is voice style (lowercase, no punctuation,
numbers spelled out) on the voice channel.

Checks per turn (see src/eval/scenarios.rs): intent, min_products / no_products,
active constraints every shown product must satisfy (sticky until redeclared),
refers_to (the n-th product shown before), cart_lines, order (placed this turn or
not; an order in a turn not marked is always a failure), handoff, reply_has.

    python3 tests/data/scenarios/generate.py > tests/data/scenarios/demo.jsonl
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.join(HERE, "..", "..", "..", "catalog", "demo.jsonl")

# (German type, English type, a question attribute the type has or not)
# (German type, English type, a question attribute the type has or not, a size it
# comes in or None)
TYPES = [
    ("Regenjacke", "rain jacket", "wasserdicht", "waterproof", "M"),
    ("Winterstiefel", "winter boots", "wasserdicht", "waterproof", "40"),
    ("Kopfhörer", "headphones", "bluetooth", "bluetooth", None),
    ("Pullover", "sweater", "wasserdicht", "waterproof", "L"),
    ("Laufschuhe", "running shoes", "gefüttert", "lined", "38"),
    ("Softshelljacke", "softshell jacket", "winddicht", "windproof", "M"),
    ("Jeans", "jeans", "wasserdicht", "waterproof", "32"),
    ("Hemd", "shirt", "bügelfrei", "non-iron", "L"),
]

NUM_DE = {20: "zwanzig", 30: "dreißig", 40: "vierzig", 50: "fünfzig", 60: "sechzig",
          80: "achtzig", 100: "hundert", 120: "hundertzwanzig", 150: "hundertfünfzig",
          200: "zweihundert", 250: "zweihundertfünfzig", 300: "dreihundert"}
NUM_EN = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 80: "eighty",
          100: "one hundred", 120: "one hundred twenty", 150: "one hundred fifty",
          200: "two hundred", 250: "two hundred fifty", 300: "three hundred"}

COLORS = [("schwarz", "black"), ("blau", "blue"), ("grau", "grey"), ("rot", "red")]


def load():
    return [json.loads(line) for line in open(DEMO, encoding="utf-8")]


def limit_for(products, de_type):
    """A round price limit that a good part of the type's products meet."""
    key = de_type.lower().rstrip("e")
    prices = sorted(p["price"] for p in products if key[:6] in p["title"].lower())
    if not prices:
        return 100
    target = prices[len(prices) // 2] / 100
    for n in sorted(NUM_DE):
        if n >= target:
            return n
    return 300


def voice(text, lang):
    """Voice style: lowercase, no punctuation, numbers spelled out."""
    nums = NUM_DE if lang == "de" else NUM_EN
    for n in sorted(nums, reverse=True):
        text = text.replace(f"{n} Euro", f"{nums[n]} euro").replace(f"{n} euros", f"{nums[n]} euros")
        text = text.replace(f"{n} €", f"{nums[n]} euro")
    out = "".join(c for c in text.lower() if c.isalnum() or c in " äöüß-")
    return " ".join(out.split())


def flows(lang, t, limit, color):
    de = lang == "de"
    typ = t[0] if de else t[1]
    attr = t[2] if de else t[3]
    col = color[0] if de else color[1]
    E = "Euro" if de else "euros"
    size = t[4]
    # A search that fixes the version, so adding needs no question.
    if de:
        exact = f"Ich suche {typ} in {col}" + (f" in Größe {size}" if size else "")
    else:
        exact = f"I'm looking for {col} {typ}" + (f" in size {size}" if size else "")
    exact_active = {"colors": [color[1]], "sizes": [size] if size else []}
    f = {}
    f["refine_add"] = [
        {"say": f"Ich suche {typ}" if de else f"I'm looking for {typ}", "intent": "search",
         "min_products": 1, "active": {}},
        {"say": f"unter {limit} {E}" if de else f"under {limit} {E}", "intent": "refine",
         "min_products": 1, "active": {"price_max": limit * 100}},
        # Versions open: the assistant asks which one, naming the product.
        {"say": "leg das zweite in den Warenkorb" if de else "add the second one to the cart",
         "intent": "add_to_cart", "refers_to": 2,
         "reply_has": (["Ausführung"] if de else ["version"]) if size else []},
    ]
    f["checkout_yes"] = [
        {"say": exact, "intent": "search", "min_products": 1, "active": exact_active},
        {"say": "das erste bitte in den Warenkorb" if de else "put the first one in my cart",
         "intent": "add_to_cart", "refers_to": 1, "cart_lines": 1},
        {"say": "zur Kasse" if de else "checkout", "intent": "checkout", "order": False},
        {"say": "ja" if de else "yes", "intent": "confirm", "order": True},
    ]
    f["checkout_no"] = [
        {"say": exact, "intent": "search", "min_products": 1, "active": exact_active},
        {"say": "nimm das erste" if de else "i'll take the first one", "intent": "add_to_cart",
         "refers_to": 1, "cart_lines": 1},
        {"say": "ich möchte bestellen" if de else "i want to check out", "intent": "checkout",
         "order": False},
        {"say": "nein" if de else "no", "intent": "cancel_action", "order": False},
        {"say": "ja" if de else "yes", "order": False},
    ]
    f["question"] = [
        {"say": f"Habt ihr {typ}?" if de else f"Do you have {typ}?", "intent": "search",
         "min_products": 1, "active": {}},
        {"say": f"ist das erste {attr}?" if de else f"is the first one {attr}?",
         "intent": "product_question", "refers_to": 1},
        {"say": "was kostet das zweite?" if de else "how much is the second one?",
         "intent": "product_question", "refers_to": 2},
    ]
    f["compare"] = [
        {"say": f"Ich brauche {typ}" if de else f"I need {typ}", "intent": "search", "min_products": 2,
         "active": {}},
        {"say": "vergleiche das erste und das zweite" if de else "compare the first and the second",
         "intent": "compare"},
    ]
    f["relax"] = [
        {"say": f"{typ} unter 2 {E}" if de else f"{typ} under 2 {E}", "intent": "search",
         "min_products": 1, "reply_has": ["ab"] if de else ["from"], "active": {}},
    ]
    f["handoff_ask"] = [
        {"say": f"Ich suche {typ}" if de else f"I'm looking for {typ}", "intent": "search",
         "min_products": 1, "active": {}},
        {"say": "Ich möchte mit einem Mitarbeiter sprechen" if de else "I want to talk to a human",
         "intent": "handoff", "handoff": True},
    ]
    f["handoff_angry"] = [
        {"say": f"{typ} in {col}" if de else f"{typ} in {col}", "intent": "search",
         "active": {"colors": [color[1]]}},
        {"say": "das ist doch völliger Mist" if de else "this is useless, stupid bot", "handoff": True},
    ]
    f["more"] = [
        {"say": f"Zeig mir {typ}" if de else f"Show me {typ}", "intent": "search", "min_products": 1,
         "active": {}},
        {"say": "zeig mehr" if de else "show more", "intent": "refine", "new_products": True},
    ]
    f["cart"] = [
        {"say": f"{typ} in {col} unter {limit} {E}" if de else f"{col} {typ} under {limit} {E}",
         "intent": "search", "active": {"price_max": limit * 100, "colors": [color[1]]}},
        {"say": exact, "intent": "search", "min_products": 1, "active": exact_active},
        {"say": "das erste in den Warenkorb" if de else "add the first one to my cart",
         "intent": "add_to_cart", "refers_to": 1},
        {"say": "was ist in meinem Warenkorb?" if de else "what's in my cart?", "intent": "show_cart",
         "cart_lines": 1},
    ]
    f["remove"] = [
        {"say": exact, "intent": "search", "min_products": 1, "active": exact_active},
        {"say": "das erste in den Warenkorb" if de else "add the first to the cart",
         "intent": "add_to_cart", "refers_to": 1, "cart_lines": 1},
        {"say": "nimm das wieder aus dem Warenkorb" if de else "remove it from the cart",
         "intent": "remove_from_cart", "cart_lines": 0},
    ]
    f["order_status"] = [
        {"say": "Wo bleibt meine Bestellung?" if de else "Where is my order?", "intent": "order_status",
         "order": False},
        {"say": f"Dann suche ich {typ} in {col}" if de else f"Then I'm looking for a {col} {typ}",
         "intent": "search", "active": {"colors": [color[1]]}},
    ]
    return f


def main():
    products = load()
    out = []
    for lang in ("de", "en"):
        for k in range(4):
            for name in ("refine_add", "checkout_yes", "checkout_no", "question", "compare", "relax",
                         "handoff_ask", "handoff_angry", "more", "cart", "remove", "order_status"):
                t = TYPES[(k * 3 + len(name)) % len(TYPES)]
                color = COLORS[(k + len(name)) % len(COLORS)]
                limit = limit_for(products, t[0])
                turns = flows(lang, t, limit, color)[name]
                is_voice = k == 3
                if is_voice:
                    turns = [dict(x, say=voice(x["say"], lang)) for x in turns]
                out.append({
                    "id": f"{lang}-{name}-{k + 1}",
                    "lang": lang,
                    "channel": "voice" if is_voice else "text",
                    "customer": f"scenario-{lang}-{name}-{k + 1}",
                    "turns": turns,
                })
    for s in out:
        print(json.dumps(s, ensure_ascii=False))


if __name__ == "__main__":
    main()
