#!/usr/bin/env python3
"""Generates the demo catalogue: a plausible German online shop, deterministic.

    python3 catalog/generate.py > catalog/demo.jsonl

Same script, same output: a fixed seed and no dependence on dict or set order. The
daemon embeds catalog/demo.jsonl and serves it when no catalogue is configured.
Prices are integer cents in EUR; some variants are out of stock on purpose.
"""
import json
import random
import sys

SEED = 20261124
CLOTHING_SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
SHOE_SIZES = [str(s) for s in range(36, 48)]
COLORS = ["Schwarz", "Weiß", "Grau", "Dunkelblau", "Blau", "Rot", "Grün", "Olivgrün",
          "Beige", "Braun", "Gelb", "Rosa", "Lila", "Orange", "Anthrazit"]
MODEL_NAMES = ["Nordkap", "Sturmfest", "Alpin", "Föhn", "Polar", "Brise", "Gipfel", "Fjord",
               "Lumen", "Kompass", "Horizont", "Kiesel", "Ahorn", "Birke", "Lärche", "Wiese",
               "Delta", "Orbit", "Pixel", "Vento", "Aurora", "Basalt", "Cirrus", "Dune",
               "Elbe", "Isar", "Rhein", "Spree", "Mosel", "Tauern", "Harz", "Eifel",
               "Rügen", "Sylt", "Amrum", "Borkum", "Zugspitze", "Watzmann", "Brocken", "Feldberg"]

# (category path, English category, product types: (German, English, price range EUR,
#  sizes, colours?, attributes, reorder days), brands)
CATEGORIES = [
    (["Bekleidung", "Jacken"], "jackets", [
        ("Regenjacke", "rain jacket", (39, 189), CLOTHING_SIZES, True, {"wasserdicht": ["ja"], "kapuze": ["ja"]}, None),
        ("Winterjacke", "winter jacket", (79, 299), CLOTHING_SIZES, True, {"wasserdicht": ["ja", "nein"], "gefüttert": ["ja"]}, None),
        ("Softshelljacke", "softshell jacket", (49, 159), CLOTHING_SIZES, True, {"winddicht": ["ja"], "wasserdicht": ["nein"]}, None),
        ("Fleecejacke", "fleece jacket", (25, 89), CLOTHING_SIZES, True, {"material": ["Polyester"]}, None),
        ("Daunenjacke", "down jacket", (99, 349), CLOTHING_SIZES, True, {"füllung": ["Daune"], "wasserdicht": ["nein"]}, None),
    ], ["Alpenwind", "Nordwand", "Regenbogen", "Bergzeit", "Urban Fjord"]),
    (["Bekleidung", "Mäntel"], "coats", [
        ("Wintermantel", "winter coat", (89, 329), CLOTHING_SIZES, True, {"wasserdicht": ["ja", "nein"], "gefüttert": ["ja"]}, None),
        ("Wollmantel", "wool coat", (119, 399), CLOTHING_SIZES, True, {"material": ["Wolle"]}, None),
        ("Regenmantel", "raincoat", (59, 179), CLOTHING_SIZES, True, {"wasserdicht": ["ja"]}, None),
        ("Trenchcoat", "trench coat", (79, 249), CLOTHING_SIZES, True, {"material": ["Baumwolle"]}, None),
    ], ["Hanseatic", "Alpenwind", "Stadtkind", "Nordwand"]),
    (["Bekleidung", "Hosen"], "trousers", [
        ("Jeans", "jeans", (29, 129), ["28", "30", "32", "34", "36", "38"], True, {"material": ["Baumwolle"], "passform": ["Slim Fit", "Regular Fit"]}, None),
        ("Chinohose", "chinos", (29, 89), ["28", "30", "32", "34", "36"], True, {"material": ["Baumwolle"]}, None),
        ("Wanderhose", "hiking trousers", (39, 139), CLOTHING_SIZES, True, {"wasserabweisend": ["ja"]}, None),
        ("Jogginghose", "sweatpants", (19, 69), CLOTHING_SIZES, True, {"material": ["Baumwolle"]}, None),
    ], ["Denimwerk", "Stadtkind", "Bergzeit", "Loop"]),
    (["Bekleidung", "Oberteile"], "tops", [
        ("T-Shirt", "t-shirt", (9, 39), CLOTHING_SIZES, True, {"material": ["Baumwolle", "Bio-Baumwolle"]}, None),
        ("Pullover", "sweater", (29, 129), CLOTHING_SIZES, True, {"material": ["Wolle", "Baumwolle"]}, None),
        ("Hemd", "shirt", (24, 89), CLOTHING_SIZES, True, {"bügelfrei": ["ja", "nein"]}, None),
        ("Kapuzenpullover", "hoodie", (29, 89), CLOTHING_SIZES, True, {"kapuze": ["ja"]}, None),
        ("Bluse", "blouse", (24, 79), CLOTHING_SIZES, True, {"material": ["Viskose"]}, None),
    ], ["Loop", "Stadtkind", "Hanseatic", "Grünfaden"]),
    (["Bekleidung", "Kleider"], "dresses", [
        ("Sommerkleid", "summer dress", (24, 99), CLOTHING_SIZES, True, {"ärmellos": ["ja"]}, None),
        ("Abendkleid", "evening dress", (69, 249), CLOTHING_SIZES, True, {"länge": ["lang"]}, None),
        ("Strickkleid", "knit dress", (39, 119), CLOTHING_SIZES, True, {"material": ["Wolle"]}, None),
    ], ["Grünfaden", "Stadtkind", "Hanseatic"]),
    (["Schuhe"], "shoes", [
        ("Laufschuh", "running shoe", (49, 179), SHOE_SIZES, True, {"dämpfung": ["hoch", "mittel"]}, None),
        ("Wanderschuh", "hiking boot", (79, 229), SHOE_SIZES, True, {"wasserdicht": ["ja"]}, None),
        ("Sneaker", "sneaker", (39, 139), SHOE_SIZES, True, {"material": ["Leder", "Textil"]}, None),
        ("Winterstiefel", "winter boots", (69, 199), SHOE_SIZES, True, {"gefüttert": ["ja"], "wasserdicht": ["ja"]}, None),
        ("Sandale", "sandal", (19, 89), SHOE_SIZES, True, {"material": ["Leder", "Kork"]}, None),
    ], ["Fitfuß", "Trailwerk", "Stadtlauf", "Barfuß & Co"]),
    (["Outdoor"], "outdoor", [
        ("Zelt", "tent", (59, 499), ["1 Person", "2 Personen", "3 Personen", "4 Personen"], False, {"wasserdicht": ["ja"]}, None),
        ("Schlafsack", "sleeping bag", (39, 249), ["Normal", "Lang"], True, {"komforttemperatur": ["5 °C", "0 °C", "-5 °C"]}, None),
        ("Wanderrucksack", "hiking backpack", (49, 219), ["20 l", "30 l", "45 l"], True, {"regenhülle": ["ja", "nein"]}, None),
        ("Trinkflasche", "water bottle", (9, 39), ["0,5 l", "0,75 l", "1 l"], True, {"bpa-frei": ["ja"]}, None),
        ("Stirnlampe", "headlamp", (14, 79), [], False, {"akku": ["ja", "nein"], "leuchtweite": ["80 m", "120 m"]}, None),
    ], ["Trailwerk", "Bergzeit", "Nordwand", "Campfeuer"]),
    (["Elektronik", "Audio"], "electronics audio", [
        ("Kopfhörer", "headphones", (19, 349), [], True, {"bluetooth": ["ja"], "geräuschunterdrückung": ["ja", "nein"]}, None),
        ("Bluetooth-Lautsprecher", "bluetooth speaker", (29, 199), [], True, {"wasserdicht": ["ja", "nein"], "akkulaufzeit": ["10 h", "20 h"]}, None),
        ("In-Ear-Kopfhörer", "earbuds", (19, 249), [], True, {"bluetooth": ["ja"]}, None),
    ], ["Klangwerk", "Volta", "Pixelhaus"]),
    (["Elektronik", "Zubehör"], "electronics accessories", [
        ("Powerbank", "power bank", (15, 79), ["10000 mAh", "20000 mAh"], True, {"usb-c": ["ja"]}, None),
        ("Ladegerät", "charger", (12, 59), ["20 W", "45 W", "65 W"], False, {"usb-c": ["ja"]}, None),
        ("Smartwatch", "smartwatch", (49, 399), [], True, {"wasserdicht": ["ja"], "gps": ["ja", "nein"]}, None),
        ("USB-C-Kabel", "usb-c cable", (5, 25), ["1 m", "2 m"], True, {"schnellladen": ["ja"]}, None),
    ], ["Volta", "Pixelhaus", "Klangwerk"]),
    (["Haushalt", "Küche"], "kitchen", [
        ("Kochtopf", "cooking pot", (19, 129), ["16 cm", "20 cm", "24 cm"], False, {"induktion": ["ja", "nein"], "material": ["Edelstahl"]}, None),
        ("Bratpfanne", "frying pan", (19, 99), ["24 cm", "28 cm"], False, {"induktion": ["ja", "nein"], "antihaft": ["ja"]}, None),
        ("Wasserkocher", "kettle", (19, 89), [], True, {"volumen": ["1,7 l"]}, None),
        ("Kaffeemaschine", "coffee machine", (39, 499), [], True, {"thermoskanne": ["ja", "nein"]}, None),
        ("Messerset", "knife set", (29, 199), [], False, {"material": ["Edelstahl"]}, None),
    ], ["Küchenfreund", "Kochwerk", "Hausglück"]),
    (["Lebensmittel"], "groceries", [
        ("Kaffeebohnen", "coffee beans", (6, 29), ["250 g", "500 g", "1 kg"], False, {"bio": ["ja", "nein"], "röstung": ["hell", "dunkel"]}, 30),
        ("Grüner Tee", "green tea", (3, 15), ["20 Beutel", "100 g"], False, {"bio": ["ja", "nein"]}, 45),
        ("Zartbitterschokolade", "dark chocolate", (1, 6), ["100 g"], False, {"vegan": ["ja", "nein"], "kakaoanteil": ["70 %", "85 %"]}, 14),
        ("Vollkornnudeln", "wholegrain pasta", (1, 5), ["500 g"], False, {"vegan": ["ja"]}, 21),
        ("Olivenöl", "olive oil", (6, 25), ["500 ml", "1 l"], False, {"bio": ["ja", "nein"]}, 60),
        ("Müsli", "muesli", (3, 9), ["500 g", "1 kg"], False, {"zuckerfrei": ["ja", "nein"], "glutenfrei": ["ja", "nein"]}, 21),
    ], ["Röstwerk", "Gutes Feld", "Sonnenhof", "Biolinchen"]),
    (["Drogerie"], "drugstore", [
        ("Shampoo", "shampoo", (2, 15), ["250 ml", "500 ml"], False, {"silikonfrei": ["ja", "nein"]}, 30),
        ("Duschgel", "shower gel", (1, 9), ["250 ml"], False, {"vegan": ["ja", "nein"]}, 30),
        ("Zahnpasta", "toothpaste", (1, 6), ["75 ml"], False, {"fluorid": ["ja"]}, 45),
        ("Sonnencreme", "sunscreen", (5, 25), ["LSF 30", "LSF 50"], False, {"wasserfest": ["ja"]}, 60),
        ("Handcreme", "hand cream", (2, 12), ["50 ml", "100 ml"], False, {"parfümfrei": ["ja", "nein"]}, 45),
        ("Waschmittel", "laundry detergent", (4, 19), ["20 Waschladungen", "40 Waschladungen"], False, {"vegan": ["ja", "nein"]}, 40),
    ], ["Frischling", "Naturpur", "Sanftmut"]),
    (["Sport"], "sports", [
        ("Yogamatte", "yoga mat", (15, 79), ["4 mm", "6 mm"], True, {"rutschfest": ["ja"]}, None),
        ("Kurzhantel-Set", "dumbbell set", (19, 119), ["2 x 5 kg", "2 x 10 kg"], False, {"material": ["Gusseisen"]}, None),
        ("Fußball", "football", (12, 49), ["Größe 4", "Größe 5"], True, {}, None),
        ("Fahrradhelm", "bike helmet", (29, 149), ["S", "M", "L"], True, {"led-licht": ["ja", "nein"]}, None),
        ("Springseil", "skipping rope", (6, 29), [], True, {"verstellbar": ["ja"]}, None),
    ], ["Fitwerk", "Sportlich", "Kraftpaket"]),
    (["Spielzeug"], "toys", [
        ("Bausteine-Set", "building blocks set", (14, 129), [], False, {"alter": ["ab 6 Jahren", "ab 3 Jahren"]}, None),
        ("Holzeisenbahn", "wooden railway", (24, 99), [], False, {"alter": ["ab 3 Jahren"]}, None),
        ("Puzzle", "puzzle", (7, 29), ["500 Teile", "1000 Teile"], False, {"alter": ["ab 12 Jahren"]}, None),
        ("Plüschtier", "plush toy", (9, 39), [], True, {"waschbar": ["ja"]}, None),
        ("Puppe", "doll", (12, 59), [], False, {"alter": ["ab 3 Jahren"]}, None),
    ], ["Spielkiste", "Holzwurm", "Kinderglück"]),
    (["Möbel"], "furniture", [
        ("Schreibtisch", "desk", (99, 499), ["120 x 60 cm", "140 x 70 cm", "160 x 80 cm"], True, {"höhenverstellbar": ["ja", "nein"]}, None),
        ("Bürostuhl", "office chair", (79, 399), [], True, {"armlehnen": ["ja"]}, None),
        ("Bücherregal", "bookshelf", (49, 249), ["80 x 180 cm", "100 x 200 cm"], True, {"material": ["Holz", "Metall"]}, None),
        ("Sofa", "sofa", (299, 1299), ["2-Sitzer", "3-Sitzer"], True, {"schlaffunktion": ["ja", "nein"]}, None),
        ("Couchtisch", "coffee table", (59, 299), [], True, {"material": ["Holz", "Glas"]}, None),
    ], ["Wohnwerk", "Holzwerk", "Hausglück"]),
    (["Garten"], "garden", [
        ("Gartenschlauch", "garden hose", (14, 69), ["15 m", "25 m"], True, {"knickfest": ["ja"]}, None),
        ("Pflanzkübel", "planter", (12, 89), ["30 cm", "50 cm"], True, {"frostfest": ["ja", "nein"]}, None),
        ("Gartenschere", "pruning shears", (9, 49), [], False, {"material": ["Edelstahl"]}, None),
        ("Liegestuhl", "deck chair", (39, 149), [], True, {"klappbar": ["ja"]}, None),
    ], ["Gartenglück", "Grünwerk", "Sonnenhof"]),
    (["Accessoires"], "accessories", [
        ("Mütze", "beanie", (9, 39), [], True, {"material": ["Wolle", "Baumwolle"]}, None),
        ("Schal", "scarf", (12, 59), [], True, {"material": ["Wolle"]}, None),
        ("Lederhandschuhe", "leather gloves", (19, 79), ["S", "M", "L", "XL"], True, {"material": ["Leder"], "gefüttert": ["ja"]}, None),
        ("Gürtel", "belt", (14, 69), ["85 cm", "95 cm", "105 cm"], True, {"material": ["Leder"]}, None),
        ("Sonnenbrille", "sunglasses", (19, 149), [], True, {"polarisiert": ["ja", "nein"]}, None),
    ], ["Stadtkind", "Hanseatic", "Loop"]),
    (["Heimtextilien"], "home textiles", [
        ("Bettwäsche", "bed linen", (29, 119), ["135 x 200 cm", "155 x 220 cm"], True, {"material": ["Baumwolle", "Leinen"]}, None),
        ("Kissen", "cushion", (9, 49), ["40 x 40 cm", "50 x 50 cm"], True, {"waschbar": ["ja"]}, None),
        ("Kuscheldecke", "throw blanket", (19, 79), ["150 x 200 cm"], True, {"material": ["Fleece"]}, None),
        ("Handtuch-Set", "towel set", (19, 69), [], True, {"material": ["Baumwolle"]}, None),
    ], ["Hausglück", "Wohnwerk", "Sanftmut"]),
    (["Tierbedarf"], "pet supplies", [
        ("Hundefutter", "dog food", (9, 59), ["2 kg", "5 kg", "12 kg"], False, {"getreidefrei": ["ja", "nein"]}, 30),
        ("Katzenstreu", "cat litter", (5, 25), ["10 l", "20 l"], False, {"klumpend": ["ja"]}, 21),
        ("Hundeleine", "dog leash", (9, 39), ["2 m", "5 m"], True, {"reflektierend": ["ja", "nein"]}, None),
    ], ["Pfotenglück", "Tierlieb", "Schnurrhaus"]),
]

DESCRIPTIONS = [
    "{typ} {model} von {brand}: {attr_text}. Ideal für den Alltag.",
    "Der {typ} {model} überzeugt mit durchdachten Details: {attr_text}.",
    "{brand} {typ} {model} – {attr_text}. Pflegeleicht und langlebig.",
    "Unser {typ} {model} in bewährter {brand}-Qualität: {attr_text}.",
]


def price_cents(rng, lo, hi):
    """A shop price: whole euros ending in .99 or .95, or .49 below 10 €."""
    euros = rng.randint(lo, hi)
    cents = rng.choice([99, 95, 99, 49]) if euros < 10 else rng.choice([99, 95, 99, 0])
    return max(euros * 100 + cents - (100 if cents and euros > 1 else 0), 49)


def main():
    rng = random.Random(SEED)
    products = []
    serial = 0
    target_per_type = 33  # 89 types x 33+ > 3,000 products
    for path, cat_en, types, brands in CATEGORIES:
        for (typ, typ_en, (lo, hi), sizes, colored, attrs, reorder) in types:
            for _ in range(target_per_type + rng.randint(0, 4)):
                serial += 1
                model = rng.choice(MODEL_NAMES)
                brand = rng.choice(brands)
                pid = f"P{serial:05d}"
                chosen_attrs = {}
                for k in sorted(attrs):
                    chosen_attrs[k] = [rng.choice(attrs[k])]
                attr_text = ", ".join(f"{k}: {v[0]}" for k, v in chosen_attrs.items()) or "solide verarbeitet"
                price = price_cents(rng, lo, hi)
                sale = None
                if rng.random() < 0.12:
                    sale = (price * rng.choice([70, 80, 85, 90]) // 100) // 100 * 100 + 99
                    if sale >= price:
                        sale = None
                variant_sizes = []
                if sizes:
                    start = rng.randint(0, max(0, len(sizes) - 3))
                    variant_sizes = sizes[start:start + rng.randint(min(2, len(sizes)), min(len(sizes), 6))] or sizes[:1]
                variant_colors = rng.sample(COLORS, rng.randint(1, 3)) if colored else [None]
                variants = []
                sold_out = rng.random() < 0.07  # some products are entirely out of stock
                for color in variant_colors:
                    for size in (variant_sizes or [None]):
                        vid = pid + ("-" + size.replace(" ", "") if size else "") + ("-" + color[:3].upper() if color else "")
                        stock = 0 if sold_out or rng.random() < 0.15 else rng.randint(1, 40)
                        v = {"id": vid, "stock": stock}
                        if size:
                            v["size"] = size
                        if color:
                            v["color"] = color
                        # Bigger packs and sizes cost more for consumables and gear with sizes
                        if size and reorder and variant_sizes.index(size) > 0:
                            v["price"] = price + variant_sizes.index(size) * (price // 2)
                        variants.append(v)
                title = f"{typ} {model}"
                title_en = f"{typ_en.capitalize()} {model}"
                p = {
                    "id": pid,
                    "title": title,
                    "title_en": title_en,
                    "description": rng.choice(DESCRIPTIONS).format(typ=typ, model=model, brand=brand, attr_text=attr_text),
                    "brand": brand,
                    "category": path + ([typ] if len(path) == 1 else []),
                    "price": price,
                    "currency": "EUR",
                    "variants": variants,
                    "attributes": chosen_attrs,
                    "rating": round(rng.uniform(2.8, 5.0), 1),
                    "review_count": rng.randint(0, 400),
                    "language": "de",
                }
                if sale:
                    p["sale_price"] = sale
                if "material" in chosen_attrs:
                    p["material"] = chosen_attrs["material"][0]
                if reorder:
                    p["reorder_interval_days"] = reorder
                products.append(p)
    out = sys.stdout
    for p in products:
        out.write(json.dumps(p, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(products)} products in {len(CATEGORIES)} categories", file=sys.stderr)


if __name__ == "__main__":
    main()
