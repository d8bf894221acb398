#!/usr/bin/env python3
"""Writes tests/data/nlu/eval.jsonl: labelled shopper utterances for `shopassist eval nlu`.

Deterministic (seeded). Hand-written utterances per intent in German and English, plus
search/refine turns built from product, colour, size and price fillers. About a third
are turned into voice style: lowercase, no punctuation, numbers spelled out, fillers.

Labels (absent means "none"): intent; price_min / price_max in cents; colors
(canonical English names); sizes; quantity; reference ("1", "2", "last", "this");
order_id; product_type (loose, reported only).

    python3 tests/data/nlu/generate.py > tests/data/nlu/eval.jsonl
"""
import json
import random

rng = random.Random(20261124)

DE_ONES = ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun",
           "zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn",
           "achtzehn", "neunzehn"]
DE_TENS = ["", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig",
           "neunzig"]
EN_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
           "eighteen", "nineteen"]
EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def de_num(n):
    if n < 20:
        return DE_ONES[n]
    if n < 100:
        t, o = divmod(n, 10)
        if o == 0:
            return DE_TENS[t]
        return ("ein" if o == 1 else DE_ONES[o]) + "und" + DE_TENS[t]
    h, r = divmod(n, 100)
    head = ("ein" if h == 1 else DE_ONES[h]) + "hundert"
    return head + (de_num(r) if r else "")


def en_num(n):
    if n < 20:
        return EN_ONES[n]
    if n < 100:
        t, o = divmod(n, 10)
        return EN_TENS[t] + ("" if o == 0 else " " + EN_ONES[o])
    h, r = divmod(n, 100)
    return EN_ONES[h] + " hundred" + (" and " + en_num(r) if r else "")


def voice(text, lang):
    """Lowercase, no punctuation, numbers spelled out, sometimes a filler."""
    out = []
    import re
    text = re.sub(r"\$(\d+)", r"\1 dollars", text).replace("€", " euro")
    for tok in text.split():
        bare = tok.strip(".,!?;:()\"'")
        if bare.isdigit() and int(bare) < 1000:
            n = int(bare)
            out.append(de_num(n) if lang == "de" else en_num(n))
        elif "," in bare and bare.replace(",", "").isdigit() and lang == "de":
            a, b = bare.split(",")
            out.append(de_num(int(a)) + " " + de_num(int(b)))
        elif "." in bare and bare.replace(".", "").isdigit() and lang == "en":
            a, b = bare.split(".")
            out.append(en_num(int(a)) + " " + en_num(int(b)))
        else:
            out.append(bare.lower())
    if rng.random() < 0.4:
        out.insert(0, "ähm" if lang == "de" else "uh")
    return " ".join(w for w in out if w)


items = []


def add(lang, text, intent, **labels):
    items.append(dict(text=text, lang=lang, intent=intent, **labels))


# ---- search, with constraints ------------------------------------------------------
DE_PRODUCTS = [("Wintermantel", "einen"), ("Regenjacke", "eine"), ("Laufschuhe", ""),
               ("Wanderschuhe", ""), ("Rucksack", "einen"), ("Kaffeemaschine", "eine"),
               ("Jeans", "eine"), ("Sneaker", ""), ("Thermoskanne", "eine"),
               ("Bettwäsche", ""), ("Kopfhörer", ""), ("Fleecejacke", "eine")]
EN_PRODUCTS = ["winter coat", "rain jacket", "running shoes", "hiking boots", "backpack",
               "coffee maker", "jeans", "sneakers", "thermos", "bed linen", "headphones",
               "fleece jacket"]
DE_COLORS = [("schwarz", "schwarzen", "black"), ("rot", "roten", "red"),
             ("blau", "blauen", "blue"), ("grün", "grünen", "green"),
             ("grau", "grauen", "grey"), ("weiß", "weißen", "white")]
EN_COLORS = [("black", "black"), ("red", "red"), ("blue", "blue"), ("green", "green"),
             ("grey", "grey"), ("white", "white")]
CLOTHING_SIZES = ["S", "M", "L", "XL"]
SHOE_SIZES = ["38", "40", "42", "44"]

de_search = [
    "Ich suche {art} {p}",
    "Ich brauche {art} {p} unter {x} €",
    "Haben Sie {p} in {c}?",
    "Zeig mir {p} bis {x} Euro",
    "{p} in Größe {s}",
    "Ich hätte gern {art} {cadj} {p} in Größe {s}",
    "Gibt es {p} zwischen {lo} und {hi} Euro?",
    "{p} für maximal {x} Euro in {c}",
]
en_search = [
    "I'm looking for a {p}",
    "I need {p} under ${x}",
    "Do you have {p} in {c}?",
    "show me {p} for less than {x} dollars",
    "{p} in size {s}",
    "I'd like {c} {p} in size {s}",
    "any {p} between {lo} and {hi} euros?",
    "find me {c} {p} under {x} bucks",
]
for i in range(60):
    lang = "de" if i % 2 == 0 else "en"
    if lang == "de":
        p, art = DE_PRODUCTS[i % len(DE_PRODUCTS)]
        c, cadj, canon = DE_COLORS[i % len(DE_COLORS)]
        tpl = de_search[i // 2 % len(de_search)]
    else:
        p = EN_PRODUCTS[i % len(EN_PRODUCTS)]
        c, canon = EN_COLORS[i % len(EN_COLORS)]
        cadj = c
        tpl = en_search[i // 2 % len(en_search)]
    shoes = "schuh" in p.lower() or "shoe" in p or "sneaker" in p.lower() or "boots" in p
    s = SHOE_SIZES[i % 4] if shoes else CLOTHING_SIZES[i % 4]
    x = rng.choice([30, 50, 80, 100, 150, 200])
    lo, hi = rng.choice([(20, 40), (50, 100), (100, 200)])
    text = tpl.format(art=art, p=p, c=c, cadj=cadj, s=s, x=x, lo=lo, hi=hi).replace("  ", " ")
    labels = {"product_type": p.lower()}
    if "{c}" in tpl or "{cadj}" in tpl:
        labels["colors"] = [canon]
    if "{s}" in tpl:
        labels["sizes"] = [s]
    if "{x}" in tpl:
        labels["price_max"] = x * 100
    if "{lo}" in tpl:
        labels["price_min"] = lo * 100
        labels["price_max"] = hi * 100
    add(lang, text.strip(), "search", **labels)

for text, lang, labels in [
    ("Ich brauche einen wasserdichten Wintermantel unter 200 €", "de", {"price_max": 20000, "product_type": "wintermantel"}),
    ("Hast du Laufschuhe für Damen in 39?", "de", {"sizes": ["39"], "product_type": "laufschuhe"}),
    ("Kaffeebohnen, 2 Packungen, bio", "de", {"quantity": 2, "product_type": "kaffeebohnen"}),
    ("Ich suche ein Zelt für 4 Personen", "de", {"product_type": "zelt"}),
    ("Suche schwarze Sneaker, aber nicht von Nike", "de", {"colors": ["black"], "product_type": "sneaker"}),
    ("Ich brauche Spielzeug für ein Kind ab 3 Jahren", "de", {"product_type": "spielzeug"}),
    ("Zeig mir Kopfhörer um die 100 Euro", "de", {"price_min": 8000, "price_max": 12000, "product_type": "kopfhörer"}),
    ("Gibt es glutenfreie Nudeln?", "de", {"product_type": "nudeln"}),
    ("I want a waterproof jacket, not black", "en", {"product_type": "jacket"}),
    ("do you sell gluten free pasta", "en", {"product_type": "pasta"}),
    ("looking for a queen size bed sheet set under 60 dollars", "en", {"sizes": ["queen size"], "price_max": 6000, "product_type": "bed sheet set"}),
    ("I need a pack of 2 phone chargers", "en", {"quantity": 2, "product_type": "phone chargers"}),
    ("women's running shoes size 8.5 wide", "en", {"sizes": ["8.5", "wide"], "product_type": "running shoes"}),
    ("show me a coffee table 100x45x45cm", "en", {"sizes": ["100x45x45cm"], "product_type": "coffee table"}),
    ("find me a tent for two people under 150 euros", "en", {"price_max": 15000, "product_type": "tent"}),
    ("I need something for my dog", "en", {}),
    ("Ich suche ein Geschenk für meine Mutter bis 40 Euro", "de", {"price_max": 4000, "product_type": "geschenk"}),
    ("Habt ihr Trinkflaschen aus Edelstahl?", "de", {"product_type": "trinkflaschen"}),
    ("brauche neue winterstiefel größe 41 nicht teurer als 120 euro", "de", {"sizes": ["41"], "price_max": 12000, "product_type": "winterstiefel"}),
    ("Ich hätte gern drei Flaschen Olivenöl", "de", {"quantity": 3, "product_type": "olivenöl"}),
    ("Zeig mir rote Kleider in Größe S", "de", {"colors": ["red"], "sizes": ["S"], "product_type": "kleider"}),
    ("Ich suche eine Daunenjacke ohne Pelz", "de", {"product_type": "daunenjacke"}),
    ("Do you have yoga mats?", "en", {"product_type": "yoga mats"}),
    ("I need a grey hoodie in XL under 45 dollars", "en", {"colors": ["grey"], "sizes": ["XL"], "price_max": 4500, "product_type": "hoodie"}),
    ("show me dark grey sofas", "en", {"colors": ["grey"], "product_type": "sofas"}),
    ("I'm looking for a birthday present for a ten year old", "en", {"product_type": "birthday present"}),
]:
    add(lang, text, "search", **labels)

# ---- refine --------------------------------------------------------------------------
for text, lang, labels in [
    ("in schwarz", "de", {"colors": ["black"]}), ("Und das ganze in Grün?", "de", {"colors": ["green"]}),
    ("günstiger bitte", "de", {}), ("Gibt es das auch billiger?", "de", {}),
    ("eine Nummer größer", "de", {}), ("andere Marke", "de", {}), ("zeig mehr", "de", {}),
    ("lieber in Blau", "de", {"colors": ["blue"]}), ("unter 50 Euro", "de", {"price_max": 5000}),
    ("das zweite in 42", "de", {"reference": "2", "sizes": ["42"]}),
    ("nur in Größe M", "de", {"sizes": ["M"]}), ("bis 30 €", "de", {"price_max": 3000}),
    ("nicht rot", "de", {}),
    ("cheaper please", "en", {}), ("in red", "en", {"colors": ["red"]}),
    ("show me more", "en", {}), ("a different brand", "en", {}),
    ("under 40 dollars", "en", {"price_max": 4000}), ("the second one in size 42", "en", {"reference": "2", "sizes": ["42"]}),
    ("only in size L", "en", {"sizes": ["L"]}), ("any in blue instead?", "en", {"colors": ["blue"]}),
    ("something smaller", "en", {}), ("more like the first one", "en", {"reference": "1"}),
]:
    add(lang, text, "refine", **labels)

de_refine = ["und in {c}?", "gibt es die auch in {c}", "bitte nur bis {x} Euro", "lieber in Größe {s}",
             "das dritte in {c}", "maximal {x} €"]
en_refine = ["and in {c}?", "do they come in {c} too", "only up to {x} dollars", "rather in size {s}",
             "the third one in {c}", "no more than ${x}"]
for i in range(24):
    lang = "de" if i % 2 == 0 else "en"
    tpl = (de_refine if lang == "de" else en_refine)[i // 2 % 6]
    c, canon = (DE_COLORS[i % 6][0], DE_COLORS[i % 6][2]) if lang == "de" else EN_COLORS[i % 6]
    s = CLOTHING_SIZES[i % 4]
    x = rng.choice([25, 40, 60, 90, 120])
    labels = {}
    if "{c}" in tpl:
        labels["colors"] = [canon]
    if "{s}" in tpl:
        labels["sizes"] = [s]
    if "{x}" in tpl:
        labels["price_max"] = x * 100
    if "dritte" in tpl or "third" in tpl:
        labels["reference"] = "3"
    add(lang, tpl.format(c=c, s=s, x=x), "refine", **labels)

# ---- the rest, by intent -------------------------------------------------------------
OTHER = {
    "product_question": [
        ("de", "Ist der wasserdicht?", {}), ("de", "Welche Größen gibt es?", {}),
        ("de", "Hat die Jacke eine Kapuze?", {}), ("de", "Aus welchem Material ist das?", {}),
        ("de", "Ist die zweite auch in 42 da?", {"reference": "2", "sizes": ["42"]}),
        ("de", "Wie schwer ist der Rucksack?", {}), ("de", "Ist das Bio?", {}),
        ("de", "Kann man den in der Maschine waschen?", {}),
        ("en", "Is it waterproof?", {}), ("en", "is it in stock in 42", {"sizes": ["42"]}),
        ("en", "What sizes does it come in?", {}), ("en", "Does the first one have a hood?", {"reference": "1"}),
        ("en", "What is it made of?", {}), ("en", "Is this one machine washable?", {"reference": "this"}),
        ("en", "how heavy is it", {}), ("en", "does it come in black", {"colors": ["black"]}),
        ("de", "Wie viel kostet die?", {}), ("de", "Ist der noch auf Lager?", {}),
        ("en", "how much is the second one", {"reference": "2"}), ("en", "is that one on sale", {"reference": "this"}),
    ],
    "compare": [
        ("de", "Was ist der Unterschied zwischen den beiden?", {}),
        ("de", "Vergleich mal das erste und das zweite", {"reference": "1"}),
        ("de", "Welcher ist besser?", {}), ("de", "Was ist besser, die Regenjacke oder die Softshell?", {}),
        ("en", "compare the first and the second", {"reference": "1"}),
        ("en", "What's the difference between them?", {}), ("en", "which one is better", {}),
        ("en", "is the first one better than the last one", {"reference": "1"}),
    ],
    "add_to_cart": [
        ("de", "Leg das zweite in den Warenkorb", {"reference": "2"}),
        ("de", "Die nehme ich", {"reference": "this"}), ("de", "Ich nehme die Jacke in M", {"sizes": ["M"]}),
        ("de", "Zwei Stück davon in den Warenkorb bitte", {"quantity": 2}),
        ("de", "Pack mir den ersten ein", {"reference": "1"}),
        ("de", "Bitte hinzufügen", {}), ("de", "das nehme ich in 43", {"reference": "this", "sizes": ["43"]}),
        ("en", "Add it to my cart", {}), ("en", "I'll take the first one", {"reference": "1"}),
        ("en", "add two of those to the cart", {}), ("en", "put the last one in my basket", {"reference": "last"}),
        ("en", "I'll take it in size 10", {"sizes": ["10"]}), ("en", "buy this one", {"reference": "this"}),
        ("de", "die schwarze in M bitte in den Korb", {"colors": ["black"], "sizes": ["M"]}),
        ("en", "add the black one in medium to my cart", {"colors": ["black"], "sizes": ["M"]}),
    ],
    "remove_from_cart": [
        ("de", "Nimm die Jacke wieder raus", {}), ("de", "Entferne die Schuhe aus dem Warenkorb", {}),
        ("de", "Lösch das zweite", {"reference": "2"}), ("de", "den Rucksack bitte wieder raus", {}),
        ("en", "remove the shoes from my cart", {}), ("en", "take the jacket out of the cart", {}),
        ("en", "delete the second item", {"reference": "2"}), ("en", "remove that one", {"reference": "this"}),
    ],
    "show_cart": [
        ("de", "Was ist in meinem Warenkorb?", {}), ("de", "Zeig mir den Warenkorb", {}),
        ("de", "mein warenkorb", {}), ("en", "What's in my cart?", {}), ("en", "show me my cart", {}),
        ("en", "view cart", {}),
    ],
    "checkout": [
        ("de", "Zur Kasse bitte", {}), ("de", "Ich möchte jetzt bezahlen", {}),
        ("de", "Bestellung abschließen", {}), ("de", "ich will bestellen", {}),
        ("en", "checkout please", {}), ("en", "I want to pay now", {}),
        ("en", "place the order", {}), ("en", "let's check out", {}),
    ],
    "confirm": [
        ("de", "Ja", {}), ("de", "Ja, genau", {}), ("de", "passt", {}), ("de", "Ja bitte bestätigen", {}),
        ("de", "jawohl", {}), ("de", "gerne", {}),
        ("en", "Yes", {}), ("en", "yes please", {}), ("en", "sure", {}), ("en", "ok", {}),
        ("en", "yep confirm", {}), ("en", "correct", {}),
    ],
    "cancel_action": [
        ("de", "Nein", {}), ("de", "nein abbrechen", {}), ("de", "Stopp", {}), ("de", "nee lieber nicht", {}),
        ("de", "Abbrechen", {}), ("en", "No", {}), ("en", "no thanks", {}), ("en", "cancel", {}),
        ("en", "nope", {}), ("en", "stop", {}),
    ],
    "order_status": [
        ("de", "Wo bleibt meine Bestellung?", {}), ("de", "Wann kommt mein Paket?", {}),
        ("de", "Status meiner Bestellung A-10023", {"order_id": "A-10023"}),
        ("de", "Ist meine Bestellung schon verschickt?", {}), ("de", "Wo ist mein Paket", {}),
        ("de", "Bestellung 4711-2026, wo ist die?", {"order_id": "4711-2026"}),
        ("de", "Sendungsverfolgung bitte", {}), ("de", "Wann wird meine Bestellung geliefert?", {}),
        ("en", "Where is my order?", {}), ("en", "when will my package arrive", {}),
        ("en", "track my order", {}), ("en", "order status for A-10023", {"order_id": "A-10023"}),
        ("en", "has my order shipped yet", {}), ("en", "where's my stuff", {}),
        ("en", "what's the status of my order", {}), ("en", "I want to track my parcel", {}),
    ],
    "cancel_order": [
        ("de", "Ich möchte meine Bestellung stornieren", {}), ("de", "Bestellung A-10023 stornieren", {"order_id": "A-10023"}),
        ("de", "Kann ich die Bestellung noch abbrechen?", {}), ("de", "storno bitte", {}),
        ("en", "cancel my order please", {}), ("en", "I want to cancel the order", {}),
        ("en", "cancel order A-10023", {"order_id": "A-10023"}), ("en", "can I still cancel my order", {}),
    ],
    "return_item": [
        ("de", "Ich will die Schuhe zurückschicken", {}), ("de", "Wie kann ich etwas umtauschen?", {}),
        ("de", "Die Jacke ist zu klein, ich möchte sie umtauschen", {}), ("de", "Retoure anmelden", {}),
        ("de", "Ich möchte mein Geld zurück", {}), ("de", "Rücksendung für Bestellung A-10023", {"order_id": "A-10023"}),
        ("en", "I want to return the shoes", {}), ("en", "can I exchange the jacket for a bigger size", {}),
        ("en", "how do I send it back", {}), ("en", "I need a refund", {}),
        ("en", "return my order", {}), ("en", "the boots don't fit, I'd like to exchange them", {}),
    ],
    "reorder": [
        ("de", "Bitte nochmal das gleiche wie letztes Mal", {}), ("de", "Kaffee nachbestellen", {"product_type": "kaffee"}),
        ("de", "Ich möchte meine letzte Bestellung wieder bestellen", {}), ("de", "nochmal bestellen bitte", {}),
        ("en", "reorder my coffee", {"product_type": "coffee"}), ("en", "order again the same as last time", {}),
        ("en", "buy again please", {}), ("en", "I want my usual order", {}),
    ],
    "feedback": [
        ("de", "Ihr seid super, danke!", {}), ("de", "Ich bin sehr zufrieden", {}),
        ("de", "Fünf Sterne für den Service", {}), ("de", "Ich möchte eine Bewertung abgeben", {}),
        ("en", "great service, thanks", {}), ("en", "you were very helpful", {}),
        ("en", "I'd give you five stars", {}), ("en", "I have some feedback", {}),
    ],
    "handoff": [
        ("de", "Ich will mit einem Menschen sprechen", {}), ("de", "Mitarbeiter bitte", {}),
        ("de", "Kann ich mit jemandem vom Kundenservice reden?", {}), ("de", "Verbinde mich mit einem Berater", {}),
        ("de", "Das ist doch Mist, ich will eine echte Person", {}), ("de", "Ich möchte mich beschweren", {}),
        ("en", "let me talk to a human", {}), ("en", "agent please", {}),
        ("en", "I want to speak to a real person", {}), ("en", "customer service", {}),
        ("en", "this is useless, get me a manager", {}), ("en", "representative", {}),
        ("de", "Ich möchte mit einem Mitarbeiter sprechen", {}), ("en", "can I talk to someone please", {}),
    ],
    "greeting": [
        ("de", "Hallo", {}), ("de", "Guten Morgen", {}), ("de", "Moin", {}), ("de", "Servus!", {}),
        ("en", "Hi", {}), ("en", "hello there", {}), ("en", "good evening", {}), ("en", "hey", {}),
    ],
    "out_of_scope": [
        ("de", "Wie wird das Wetter morgen?", {}), ("de", "Erzähl mir einen Witz", {}),
        ("de", "Wer hat gestern in der Bundesliga gewonnen?", {}), ("de", "Was ist die Hauptstadt von Frankreich?", {}),
        ("de", "Schreib mir ein Gedicht", {}),
        ("en", "what's the weather like", {}), ("en", "tell me a joke", {}),
        ("en", "who won the football game", {}), ("en", "what is the capital of spain", {}),
        ("en", "help me with my homework", {}),
    ],
}
for intent, rows in OTHER.items():
    for lang, text, labels in rows:
        add(lang, text, intent, **labels)

# A third in voice style (deterministic choice), the label unchanged.
rng.shuffle(items)
for i, it in enumerate(items):
    it["voice"] = i % 3 == 0
    if it["voice"]:
        it["text"] = voice(it["text"], it["lang"])
items.sort(key=lambda it: (it["intent"], it["lang"], it["text"]))
for it in items:
    print(json.dumps(it, ensure_ascii=False))
