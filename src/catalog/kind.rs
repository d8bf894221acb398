//! What a product is, from its own title: the head of an English noun phrase is its
//! last noun ("HDMI Cable" is a cable, "TV Stand" a stand), and what follows "for",
//! "with" or "compatible" is a target or a feature, not the product ("Case for Apple
//! Watch" is a case; "Watch Band with Protective Case" is a band). A title lists
//! several names for one product between commas and dashes ("TV Stand, TV Cabinet,
//! Console Table"): each segment's head is one of its kinds. The category's last
//! level adds its own head.
//!
//! German compounds carry their head inside the word ("Regenjacke" is a "Jacke"):
//! those come from [`crate::search::compound`], which knows the catalogue's words.
//!
//! Heads are folded and made singular ("cables" → "cable", "batteries" → "battery")
//! so the shopper's "hdmi cables" finds a title's "HDMI Cable".

use super::text::{fold, is_word_of_letters};

/// Words that end a title's product phrase and start a target or a feature.
const TARGET_WORDS: &[&str] = &[
    "for",
    "with",
    // "which phone has the biggest battery": what it has, as "with".
    "has",
    "have",
    "w",
    "compatible",
    "fits",
    "fit",
    // "Smart Plug Works with Alexa", "OTG Adapter Works for LG V30".
    "works",
    "designed",
    // What follows is what the product serves: "Display Your PS4 VR Headset".
    "your",
    "to",
    "from",
    "by",
    "of",
    "in",
    "on",
    "that",
    "which",
    "featuring",
    "supports",
    "including",
    "includes",
    "plus",
    "without",
    "fuer",
    // "für" folded; "fur" as written is a material ("Faux Fur Vanity Stool"): see
    // [`is_target_word`].
    "fur",
    "mit",
    "passend",
    "kompatibel",
    "ohne",
    "von",
    // "ein Stuhl aus Leder": what it is made of follows.
    "aus",
];

/// Whether a word ends a product phrase and starts its target ([`TARGET_WORDS`]):
/// "für" does, the English "fur" of "Faux Fur Lined Jacket" does not.
fn is_target_word(word: &str) -> bool {
    let folded = fold(word);
    TARGET_WORDS.contains(&folded.as_str()) && (folded != "fur" || word.contains(['ü', 'Ü']))
}

/// Words that are never the head: sizes, counts, colours, marketing and units.
const NOT_HEADS: &[&str] = &[
    // "Scrub Made with Organic Ingredients", "a tripod made of carbon fiber".
    "made",
    "pack",
    // "Microwave Popcorn Singles": single-serve packs of it.
    "single",
    "singles",
    "pcs",
    // "Streaming Stick Entertainment with Voice Search": marketing, no kind.
    "entertainment",
    "piece",
    "pieces",
    "count",
    "set",
    "new",
    "edition",
    "version",
    "black",
    "white",
    "blue",
    "red",
    "green",
    "grey",
    "gray",
    "silver",
    "gold",
    "pink",
    "purple",
    "brown",
    "beige",
    "rose",
    "yellow",
    "orange",
    "clear",
    "transparent",
    "small",
    "medium",
    "large",
    "xl",
    "xxl",
    "mini",
    "pro",
    "max",
    "plus",
    "ultra",
    "lite",
    "premium",
    "upgraded",
    "unlocked",
    "renewed",
    "refurbished",
    "original",
    "genuine",
    "portable",
    "wireless",
    "universal",
    // "… Universal 100-240V 50/60Hz AC Input": a spec, no name.
    "input",
    "output",
    "ac",
    "dc",
    // "… NIKKOR Lens U.S.A. Warranty with …"
    "warranty",
    // "Triple Monitor Mount Stand Free Standing with …": how it stands.
    "free",
    "standing",
    "freestanding",
    "professional",
    "heavy",
    "duty",
    "high",
    "speed",
    "quality",
    "inch",
    "inches",
    "ft",
    "feet",
    "mm",
    "cm",
    "m",
    "oz",
    "ounce",
    "ounces",
    "fl",
    "ml",
    "l",
    "g",
    "gram",
    "grams",
    "kg",
    "lb",
    "lbs",
    "pound",
    "pounds",
    "mb",
    "gb",
    "tb",
    "mah",
    "w",
    "watt",
    "watts",
    "hz",
    "mhz",
    "ghz",
    // "Switch 8 Port Gigabit": how fast, no kind.
    "gigabit",
    "megabit",
    "women",
    "men",
    "womens",
    "mens",
    "kids",
    "boys",
    "girls",
    "unisex",
    "adult",
    "adults",
    "baby",
    "2022",
    "2021",
    "2023",
    "2024",
    "2025",
    "and",
    "or",
    "the",
    "a",
    "an",
    "&",
    "c",
    "type",
    "series",
    "model",
    "style",
    "design",
    "size",
    "color",
    "colour",
    "compatible",
    "certified",
    "rated",
    "gen",
    "best",
    "generation",
    "industrial",
    "rustic",
    "modern",
    "vintage",
    "classic",
    "cute",
    "funny",
    "soft",
    "waterproof",
    "tough",
    "rugged",
    "outdoor",
    "indoor",
    "adjustable",
    "rechargeable",
    "usb",
    "hd",
    "uhd",
    "4k",
    "led",
    "smart",
    "digital",
    "electric",
    "automatic",
    "manual",
    "natural",
    "organic",
    "fresh",
    // Function words and request words, in titles ("… for All Phones") and requests.
    "all",
    "any",
    "every",
    "each",
    "some",
    "more",
    "most",
    "other",
    "others",
    "one",
    "ones",
    "two",
    "it",
    "its",
    "them",
    "this",
    "that",
    "these",
    "those",
    "my",
    "your",
    "our",
    "their",
    "is",
    "are",
    "be",
    "you",
    "we",
    "they",
    "he",
    "she",
    "have",
    "has",
    "get",
    "find",
    "show",
    "me",
    "need",
    "want",
    "like",
    "looking",
    "please",
    "pls",
    "plz",
    "gimme",
    "lemme",
    "wanna",
    "what",
    "which",
    "who",
    "how",
    "where",
    "can",
    "could",
    "would",
    "will",
    "do",
    "does",
    "buy",
    "add",
    "cheapest",
    "best",
    "good",
    "great",
    "nice",
    "cheap",
    "expensive",
    "largest",
    "biggest",
    "longest",
    "fastest",
    "smallest",
    "lightest",
    "also",
    "too",
    "just",
    "only",
    "than",
    "under",
    "over",
    "about",
    "around",
    "up",
    "off",
    "out",
    "now",
    "today",
    "ich",
    "du",
    "sie",
    "wir",
    "mir",
    "mich",
    "bitte",
    "suche",
    "brauche",
    "zeig",
    "zeige",
    "alle",
    "got",
    "sell",
    "carry",
    "recommend",
    "suggest",
    "there",
    "here",
    "then",
    "anything",
    "etwas",
    "was",
    "eine",
    "einen",
    "ein",
    "der",
    "die",
    "das",
    "den",
    "dem",
];

/// Whether a word is one of [`REQUEST_NOUNS`], in an English or German plural
/// ("offers", "angebote", "artikeln").
pub fn is_request_noun(word: &str) -> bool {
    let w = fold(word);
    let one = singular(&w);
    let listed = std::iter::once(one.as_str())
        .chain(plural_stems(&w))
        .any(|b| REQUEST_NOUNS.contains(&b));
    listed
}

/// A folded word without each German plural ending it has ("schuhe" → "schuh",
/// "jacken" → "jack", "jacke"): the forms its singular may take.
pub fn plural_stems(folded: &str) -> impl Iterator<Item = &str> {
    ["en", "e", "n"]
        .iter()
        .filter_map(move |e| folded.strip_suffix(e))
}

/// Words of a request that name no kind of product ("all offers for …", "every
/// listing of …", "show me options").
const REQUEST_NOUNS: &[&str] = &[
    "offer",
    "listing",
    "deal",
    "option",
    "product",
    "item",
    "thing",
    "result",
    "choice",
    "version",
    "model",
    "brand",
    "kind",
    "sort",
    "one",
    "alternative",
    // "a pair of binoculars", "a couple of cables": the kind follows.
    "pair",
    "couple",
    "sale",
    "seller",
    "price",
    "cart",
    "basket",
    "order",
    "help",
    "stock",
    "angebot",
    "produkt",
    "artikel",
    "auswahl",
    "modell",
    "marke",
    "preis",
    "warenkorb",
    "bestellung",
];

/// The singular, folded form of a word ("Cables" → "cable", "batteries" →
/// "battery", "boxes" → "box", "glasses" stays).
pub fn singular(word: &str) -> String {
    let w = fold(word);
    let n = w.chars().count();
    // Plurals of two-letter kinds ("compare the two tvs"); "pcs" are pieces.
    if matches!(w.as_str(), "tvs" | "cds") {
        return w[..w.len() - 1].to_string();
    }
    // "lens" is no plural of a "len"; "lenses" are lenses, not "lense"s.
    if w == "lenses" {
        return "lens".to_string();
    }
    if w == "lens" || w == "series" || w == "species" || w == "news" {
        return w;
    }
    // Irregular plurals a shelf is named by ("Computers › Mice"); not "teeth" or
    // "children", which name what a product is for ("Teeth Whitening").
    let irregular = match w.as_str() {
        "mice" => Some("mouse"),
        "knives" => Some("knife"),
        "shelves" => Some("shelf"),
        "scarves" => Some("scarf"),
        _ => None,
    };
    if let Some(one) = irregular {
        return one.to_string();
    }
    // German glass: "Panzerglas", "Schutzglas".
    if w.ends_with("glas") {
        return w;
    }
    if n <= 3 || w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
        return w;
    }
    if let Some(stem) = w.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for end in ["ches", "shes", "xes", "sses", "zes"] {
        if w.ends_with(end) {
            return w[..w.len() - 2].to_string();
        }
    }
    if let Some(stem) = w.strip_suffix('s') {
        return stem.to_string();
    }
    w
}

/// Whether a word can be a head: a word of letters, not a colour, count or unit, and
/// no connector ("HDMI" of "DisplayPort to HDMI 4K", "usb-c" of "hdmi to usb-c").
fn may_head(word: &str) -> bool {
    let w = fold(word);
    folded_may_name(&w) && crate::catalog::specs::connectors(&w).is_empty()
}

/// Whether a word can be part of a thing's name: a word of letters, not a colour,
/// count or unit.
fn may_name(word: &str) -> bool {
    folded_may_name(&fold(word))
}

fn folded_may_name(w: &str) -> bool {
    w.chars().count() >= 2
        && w.chars().all(|c| c.is_alphabetic() || c == '-')
        && !NOT_HEADS.contains(&w)
}

/// Words that start a list of what comes with the product ("Doorbell Camera with
/// Chime, Battery, 2-Way Audio"): short pieces after one are features, not names.
const FEATURE_WORDS: &[&str] = &["with", "w", "including", "includes", "featuring", "mit"];

/// What a list running on from an earlier piece names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Running {
    None,
    /// What the product fits: "Compatible with iPad, iPhone, Android".
    Fits,
    /// What comes with it: "with Chime, Battery, 2-Way Audio".
    Features,
    /// What it is for, one word a piece: "for Mac, PC, Laptop".
    For,
}

/// Splits a text into phrases at commas, dashes, brackets and bars; each phrase is cut
/// at its first target word. Returns the phrases' words, in order. What a product
/// comes with is no phrase of its own: what is in brackets once it has a name, a
/// bundle's contents ("Camera + 64GB Memory Card + Battery") and the short pieces
/// that go on a list of features or of what it fits.
fn phrases(text: &str) -> Vec<Vec<String>> {
    // "Easy to Install", "Ready to Use": praise, not a target ("Rain Bird 32ETI
    // Easy to Install In-Ground Automatic Sprinkler System Kit" is a kit).
    let text = &*praise().replace_all(text, " ");
    // A scraped listing's title may run on into its description ("Canon - Ef 40Mm
    // F/2.8 STM Lens Product Description: Canon - Ef 40Mm F/2.8."): no name there.
    let text = description_start()
        .find(text)
        .map_or(text, |m| &text[..m.start()]);
    let mut out = Vec::new();
    // Whether the pieces now run on a list of what the product fits: "Compatible with
    // iPad, iPhone, Android, Microsoft Tablets", "for Sony DSC-R1, DSC-RX1, RX100 II
    // Pro Digital Cameras". It runs until a piece that starts a name of its own.
    let mut running = Running::None;
    // How many things the running list has named so far.
    let mut listed = 0;
    // A slash before a digit is a fraction or a ratio ("f/1.8G", "1/4 inch"), no
    // break between names ("Black/White", "Tough/Outdoor").
    let bytes = text.as_bytes();
    // "A + B" adds B to A; "2GB+32GB" and "Pink+Blue" are one piece.
    let breaks = |i: usize, c: char| {
        matches!(c, ',' | '(' | ')' | '[' | ']' | '|' | ';' | '–' | '—' | ':')
            || (c == '/' && !bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
            || (c == '+'
                && i > 0
                && bytes.get(i - 1) == Some(&b' ')
                && bytes.get(i + 1) == Some(&b' '))
    };
    // Each part with the character that opened it.
    let mut parts: Vec<(Option<char>, &str)> = Vec::new();
    let mut start = 0;
    let mut opened_by = None;
    for (i, c) in text.char_indices() {
        if breaks(i, c) {
            parts.push((opened_by, &text[start..i]));
            start = i + c.len_utf8();
            opened_by = Some(c);
        }
    }
    parts.push((opened_by, &text[start..]));
    // Once the product has a name, what is in brackets qualifies it ("(Body Only)",
    // "(2TB Red)", a kit's "(2X 64GB Memory Card, Backpack)"), and what follows
    // " + " comes with it.
    let mut in_brackets = false;
    let mut contents = false;
    for (opened, part) in parts {
        match opened {
            Some('(' | '[') => in_brackets = !out.is_empty(),
            Some(')' | ']') => in_brackets = false,
            // Only once the name says what it is, more than its maker: "SAMSUNG PRO
            // Plus + Reader 128GB microSDXC Memory Card" names its card after the
            // reader.
            Some('+')
                if out
                    .last()
                    .is_some_and(|p: &Vec<String>| names_more_than_its_maker(p)) =>
            {
                contents = true
            }
            _ => {}
        }
        if contents || in_brackets {
            continue;
        }
        for (n, piece) in part.split(" - ").enumerate() {
            // "for Phone/TV Stick/Laptop": a slash goes on with the same list.
            let after_slash = n == 0 && opened == Some('/');
            let mut words = Vec::new();
            let mut broke_at: Option<String> = None;
            let raw: Vec<&str> = piece.split_whitespace().collect();
            let mut skip = 0;
            for (k, w) in raw.iter().enumerate() {
                let clean = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
                if clean.is_empty() {
                    continue;
                }
                let folded = fold(clean);
                // "… Gold Plated Cord Male to Male Video Audio": the ends a cable
                // has come after its name, and what follows is what it carries.
                // "Male to Female USB Extension Cable": before the name, they are
                // passed over.
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                // "Soundcore by Anker P20i True Wireless Earbuds": a line by its
                // maker goes on with its name.
                let by_maker = folded == "by"
                    && words.len() == 1
                    && raw
                        .get(k + 1)
                        .and_then(|n| n.chars().next())
                        .is_some_and(char::is_uppercase);
                if by_maker {
                    skip = 1;
                    continue;
                }
                // "Apple Lightning to USB Cable", "USB C to USB C Cable": one thing
                // from one plug to the other, named after both.
                let plug = |ws: &[&str]| {
                    !crate::catalog::specs::connectors(&ws.join(" ")).is_empty()
                        || ws.iter().any(|w| fold(w) == "usb")
                };
                let joins_plugs = folded == "to"
                    && k >= 1
                    && plug(&raw[k.saturating_sub(2)..k])
                    && plug(&raw[k + 1..raw.len().min(k + 3)]);
                if joins_plugs {
                    continue;
                }
                if is_connector_gender(clean)
                    && raw.get(k + 1).is_some_and(|n| n.eq_ignore_ascii_case("to"))
                {
                    // Only after a name that says what it is ("Cord"), not a
                    // brand's ("NavePoint HDMI 1.4 Male to Male Cable").
                    let named = head_of(&words)
                        .is_some_and(|h| crate::nlu::lexicon::Lexicon::get().names_a_thing(&h));
                    if named {
                        broke_at = Some("with".to_string());
                        break;
                    }
                    if raw.get(k + 2).is_some_and(|n| is_connector_gender(n)) {
                        skip = 2;
                        continue;
                    }
                }
                // "Plus" after a model is part of its name ("Crucial P3 Plus 4TB
                // … SSD", "iPhone 15 Plus"), not a second thing; so is a line's
                // "Plus" before its size ("Hue Lightstrip Plus 1m Extension"), and
                // one before the name has said what the product is ("Ninja BN701
                // Professional Plus Blender").
                let with_digit = |w: &str| w.chars().any(|c| c.is_ascii_digit());
                let lexicon = crate::nlu::lexicon::Lexicon::get();
                let names_a_model = folded == "plus"
                    && (words.last().is_some_and(|w: &String| with_digit(w))
                        || !words.is_empty() && raw.get(k + 1).is_some_and(|n| with_digit(n))
                        || !words.is_empty()
                            && !words.iter().any(|w: &String| lexicon.names_a_thing(w))
                            && raw[k + 1..raw.len().min(k + 4)]
                                .iter()
                                .any(|n| lexicon.names_a_thing(n)));
                if is_target_word(clean) && !names_a_model {
                    broke_at = Some(folded);
                    break;
                }
                words.push(clean.to_string());
            }
            // "… with 20W USB-C Fast Charging, 313 Power Bank": the product named
            // again, with its model, ends what it has.
            let restates = matches!(running, Running::Features)
                && out
                    .first()
                    .and_then(|p: &Vec<String>| head_of(p))
                    .is_some_and(|h| head_of(&words) == Some(h));
            if !restates && continues_list(running, &words, broke_at.is_some(), after_slash, listed)
            {
                listed += 1;
                continue;
            }
            listed = 1;
            // "Charge, Showcase, and Display Your …": the last of a list of single
            // words, what the product does, names nothing; nor the last of what it
            // comes with or does ("with Voice Search - Watch Movies, Shows, and Live
            // TV in 4K HDR").
            let ends_a_list = words
                .first()
                .is_some_and(|w| matches!(fold(w).as_str(), "and" | "und" | "or" | "oder"))
                && (out.last().is_some_and(|p: &Vec<String>| p.len() == 1)
                    || matches!(running, Running::Features));
            if ends_a_list {
                running = Running::None;
                continue;
            }
            running = match broke_at.as_deref() {
                None => Running::None,
                Some(_)
                    if piece.split_whitespace().any(|w| {
                        matches!(
                            fold(w).as_str(),
                            "compatible"
                                | "fits"
                                | "fit"
                                | "works"
                                | "supports"
                                | "kompatibel"
                                | "passend"
                        )
                    }) || piece_names_a_model(piece) =>
                {
                    Running::Fits
                }
                Some(w) if FEATURE_WORDS.contains(&w) => Running::Features,
                Some("for" | "fuer" | "fur") => Running::For,
                Some(_) => Running::None,
            };
            if !words.is_empty() {
                out.push(words);
            }
        }
    }
    out
}

/// Whether a phrase's head is a thing or comes after its first word: "Camera",
/// "Nikon D7500 DSLR Camera 2 Lens Kit", not "SAMSUNG PRO".
fn names_more_than_its_maker(phrase: &[String]) -> bool {
    head_of(phrase).is_some_and(|h| {
        crate::nlu::lexicon::Lexicon::get().names_a_thing(&h)
            || phrase.first().is_none_or(|w| singular(w) != h)
    })
}

/// Where a title runs on into the listing's description ("… Lens Product
/// Description: …", "… About this item …").
fn description_start() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"(?i)\b(?:product description|about this item)\b")
            .expect("description regex compiles")
    })
}

/// "Male" or "Female", of a cable's ends ("Male to Female").
fn is_connector_gender(word: &str) -> bool {
    let w = fold(word.trim_matches(|c: char| !c.is_alphanumeric()));
    w == "male" || w == "female"
}

/// "easy to install", "ready-to-use", "simple to clean", "made in usa": words about
/// a product, in any title, that are neither its name nor a target.
fn praise() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"(?i)\b(?:(?:easy|ready|simple|quick|fast)[ -]to[ -][a-z]+|made in (?:the )?[a-z]+)\b",
        )
        .expect("praise regex compiles")
    })
}

/// Whether a piece goes on with the list the pieces before it run on: what a
/// product is for goes on one word a piece ("for Mac, PC, Laptop"), or a few after a
/// slash ("for Phone/TV Stick/Laptop/PS4"), or two once the list has named two
/// ("Receiver Adapter for TV, Speakers,Home Theater,Headset"), or a few naming a
/// line or a model ("for MacBook Pro, iPad Pro, Galaxy S23"; "Earbuds for iPhone,
/// Bluetooth Headphones" names headphones).
fn continues_list(
    running: Running,
    words: &[String],
    has_target_word: bool,
    after_slash: bool,
    listed: usize,
) -> bool {
    let has_digit = || words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()));
    match running {
        Running::None => false,
        Running::Fits => continues_fits_list(words, has_target_word),
        Running::Features => !has_target_word && (words.len() <= 2 || has_digit()),
        Running::For => {
            // "for MacBook Pro, iPad Pro, Galaxy S23": a line's name or a model.
            let names_a_line = words.len() <= 3
                && (words
                    .first()
                    .is_some_and(|w| crate::search::profile::is_camel_case(w))
                    || has_digit());
            !has_target_word
                && (words.len() <= 1
                    || after_slash && words.len() <= 3
                    || listed >= 2 && words.len() <= 2
                    || names_a_line)
        }
    }
}

/// Whether a piece after "compatible with …" goes on with the list of what the
/// product fits: a short piece with no feature or target words of its own
/// ("iPhone", "Microsoft Tablets"), or one naming a model ("DSC-RX10 II"). A piece
/// with its own "for" or "with" ("Sport Waterproof Strap for iWatch") names the
/// product again.
fn continues_fits_list(words: &[String], has_target_word: bool) -> bool {
    if has_target_word {
        return false;
    }
    words.len() <= 3 || words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()))
}

/// Whether the part of a piece after its "for" names a model ("for Sony DSC-R1").
fn piece_names_a_model(piece: &str) -> bool {
    let lower = piece.to_lowercase();
    lower.split_once(" for ").is_some_and(|(_, after)| {
        after
            .split_whitespace()
            .any(|w| w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(|c| c.is_alphabetic()))
    })
}

/// The head of a phrase: its last word that may be one. The word that qualifies an
/// edition or version is none ("Kindle Paperwhite Signature Edition" is a Paperwhite,
/// "Limited Edition" no "limited").
fn head_of(words: &[String]) -> Option<String> {
    words
        .iter()
        .enumerate()
        .rev()
        .filter(|(i, _)| {
            !words
                .get(i + 1)
                .is_some_and(|next| matches!(fold(next).as_str(), "edition" | "version"))
        })
        .find(|(_, w)| may_head(w))
        .map(|(_, w)| singular(w))
}

/// The words of a title's first phrase, singular and folded: a product is also of a
/// kind its first phrase names and does not go on to modify ("Fitness Watch 1.69inch
/// Smart Bracelet" is a watch; "Watch Bands" are no watch).
pub fn first_phrase(title: &str) -> Vec<String> {
    phrases(title)
        .into_iter()
        .next()
        .unwrap_or_default()
        .iter()
        .map(|w| singular(w))
        .collect()
}

/// The words of a title's product phrases, phrase by phrase, singular and folded:
/// not those after "for", "with" or "compatible" nor a list of what it fits
/// ("Remote Control Compatible for Samsung … TV" → "replaced", "remote", "control").
pub fn phrase_words(title: &str) -> Vec<Vec<String>> {
    phrases(title)
        .iter()
        .map(|p| p.iter().map(|w| singular(w)).collect())
        .collect()
}

/// A title's words in order, singular and folded ("Watch Bands" → "watch", "band").
pub fn title_words(title: &str) -> Vec<String> {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(singular)
        .collect()
}

/// The kinds a product is, from its English title and its category's last level:
/// the head of each phrase of the title, the first one first. A category's head
/// counts when the title has the word too, or names no kind of its own: marketplace
/// categories are coarse ("Telescopes for Kids … with Portable Tripod" filed under
/// Binoculars, a "Remote RCA Level Controller" under Remote Controls, a "Link Cable"
/// under Headsets), and a title that says what it is outranks the shelf it is on.
pub fn title_kinds(title: &str, category_leaf: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // "Spigen Rugged Armor Designed for Apple Watch Case for Series 9", "ESR for
    // iPad 10th Generation Case (2022)": the accessory it is comes after its host.
    out.extend(accessory_after_host(title));
    for (i, p) in phrases(title).into_iter().enumerate() {
        // A later phrase that is a spec ("16GB RAM", "6.5 Inch Display", "1TB SSD"
        // of a laptop) names a part of the product, not what it is.
        let spec = i > 0
            && p.len() <= 3
            && !crate::catalog::specs::quantities(&p[..p.len() - 1].join(" ")).is_empty();
        // "…, Build-in Speakers, …" of a monitor: a part it has.
        let part = i > 0
            && p.first().is_some_and(|w| {
                matches!(
                    fold(w).as_str(),
                    "built-in" | "build-in" | "builtin" | "built" | "inbuilt" | "integrated"
                )
            });
        if spec || part {
            continue;
        }
        if let Some(h) = head_of(&p) {
            // "DEWALT 20V MAX Impact Driver Kit": a kit of a thing is that thing too,
            // where no thing is named before it ("DSLR Camera 2 Lens Kit" is a
            // camera's kit) and no count ("2 Lens").
            let lexicon = crate::nlu::lexicon::Lexicon::get();
            let kit_of = (h == "kit")
                .then(|| p.iter().rposition(|w| fold(w) == "kit"))
                .flatten()
                .filter(|at| *at >= 1)
                .filter(|at| {
                    let before = &p[..at - 1];
                    !before.iter().any(|w| lexicon.names_a_thing(w))
                        && !before
                            .last()
                            .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()))
                })
                .map(|at| singular(&p[at - 1]))
                .filter(|w| lexicon.names_a_thing(w));
            // "… Volumizer PLUS Hair Dryer and Hot Air Brush": two things in one,
            // each named by words of its own ("Salt and Pepper Grinder" is one).
            let and_before = p
                .iter()
                .position(|w| matches!(fold(w).as_str(), "and" | "und"))
                .filter(|j| *j >= 2 && p.len() - j > 2)
                .and_then(|j| head_of(&p[..j]))
                .filter(|h| lexicon.names_a_thing(h));
            for k in std::iter::once(h).chain(kit_of).chain(and_before) {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
        }
    }
    // "New Compatible for Sony Playstation 4 PS4 Pro CUH-7015b … Cooling Fan": a
    // title that opens with what it fits names itself at its end.
    if out.is_empty() {
        out.extend(closing_head(title));
    }
    if let Some(leaf) = category_leaf {
        let title_words = title_words(title);
        // English writes some kinds as one word or two ("Soundbars" on the shelf,
        // "Sound Bar" in the title; "Smart Watch", "Power Bank"): the title has
        // the shelf's word when two of its words make it up.
        let joined = joined_neighbours(&title_words);
        let named_none = out.is_empty();
        // A shelf of one singular word that the title only puts before another
        // name sorts its parent by that word: "20pk Microwave Popcorn Singles" on
        // "Popcorn › Microwave" is popcorn, no microwave. Shelves of kinds are
        // plural ("Laptops" for a "Laptop Computer").
        let sorts_by = |h: &str| {
            let leaf = fold(leaf.trim());
            !leaf.contains(' ')
                && !leaf.ends_with('s')
                && phrases(title).iter().all(|p| {
                    let words: Vec<String> = p.iter().map(|w| singular(w)).collect();
                    words
                        .iter()
                        .enumerate()
                        .filter(|(_, w)| w.as_str() == h)
                        .all(|(i, _)| words.get(i + 1).is_some_and(|n| may_head(n)))
                })
        };
        // The shelf's word in the title, not only in what it fits: an "OTG Adapter
        // Works for … USB Type-C Braided Cable" on "Cables & Adapters" is no cable.
        let named_words = words_before_fits(title);
        let phrases = shelf_phrases(leaf);
        let shelf_heads: Vec<String> = phrases.iter().filter_map(|p| head_of(p)).collect();
        // A shelf of two kinds whose title puts one before the other names the
        // second: a "Battery Charger" on "Batteries & Chargers" is a charger.
        let before_another = |h: &str| {
            let mut at = title_words
                .iter()
                .enumerate()
                .filter(|(_, w)| w.as_str() == h)
                .peekable();
            at.peek().is_some()
                && at.all(|(i, _)| {
                    title_words
                        .get(i + 1)
                        .is_some_and(|n| n != h && shelf_heads.contains(n))
                })
        };
        for p in phrases {
            if let Some(h) = head_of(&p) {
                let titled = (named_words.contains(&h) && !sorts_by(&h) && !before_another(&h))
                    || joined.contains(&h);
                if !out.contains(&h) && (named_none || titled) {
                    out.push(h);
                }
            }
        }
    }
    out
}

/// A title's kinds with a first that is a name put last, when a later one names a
/// thing: "AMD Ryzen 7 5800X 8-Core, 16-Thread Unlocked Desktop Processor" is a
/// processor, "Corsair Vengeance LPX 32GB … Desktop Memory" memory, "Blink Outdoor 4
/// – Wireless smart security camera" a camera. A name is a word the lexicon knows
/// as no thing that is the maker's, stands before a model or size ("Ryzen 7",
/// "Vengeance 32GB"), or is a code of two capitals ("LE", "GT"; three may be a kind,
/// "UPS"). The thing put
/// first is the first later kind the lexicon knows that is made for no host.
pub fn names_first(title: &str, brand: Option<&str>, kinds: &mut Vec<String>) {
    let lexicon = crate::nlu::lexicon::Lexicon::get();
    let Some(first) = kinds.first() else {
        return;
    };
    if lexicon.names_a_thing(first) {
        return;
    }
    let raw: Vec<&str> = title.split_whitespace().collect();
    let clean = |w: &str| singular(w.trim_matches(|c: char| !c.is_alphanumeric()));
    let brand_words: Vec<String> = brand.map(title_words).unwrap_or_default();
    let brand_word = brand_words.contains(first);
    // Right after its maker and right before a number: "AMD Ryzen 7 5800X",
    // "Corsair Vengeance 32GB" (an "Anker Power Bank 20000mAh" is a power bank).
    let before_model = raw.windows(3).any(|w| {
        brand_words.contains(&clean(w[0]))
            && clean(w[1]) == *first
            && w[1].ends_with(|c: char| c.is_alphanumeric())
            && w[2].starts_with(|c: char| c.is_ascii_digit())
    });
    let code = raw.iter().any(|w| {
        let letters = w.trim_matches(|c: char| !c.is_alphanumeric());
        clean(w) == *first
            && letters.chars().count() <= 2
            && letters.chars().all(|c| c.is_ascii_uppercase())
    });
    if !(brand_word || before_model || code) {
        return;
    }
    let thing = kinds[1..]
        .iter()
        .position(|k| lexicon.names_a_thing(k) && !crate::search::profile::is_made_for_a_host(k));
    if let Some(at) = thing {
        let name = kinds.remove(0);
        let thing = kinds.remove(at);
        kinds.insert(0, thing);
        kinds.push(name);
    }
}

/// The kind a title is of by the line it names its product by, from the lexicon's
/// `[lines]` ("Apple iPad (10th Generation): with A14 Bionic chip" is a tablet, "Echo
/// Dot (5th Gen)" a smart speaker): the line's words in the title's first phrase, and
/// `head` (the title's first kind) one of them, so "ESR for iPad Case" and "iPad
/// Charger" are no tablets. A kind of two words gives its head and the two as one
/// ("speaker", "smartspeaker"), as [`joined_heads`] reads titles; a hyphenated one
/// also its unhyphenated form.
pub fn line_kinds(title: &str, head: &str) -> Vec<String> {
    let words: Vec<String> = phrases(title)
        .into_iter()
        .next()
        .unwrap_or_default()
        .iter()
        .map(|w| fold(w))
        .collect();
    let lexicon = crate::nlu::lexicon::Lexicon::get();
    for n in (1..=3).rev() {
        for window in words.windows(n) {
            if !window.iter().any(|w| singular(w) == head) {
                continue;
            }
            let Some(kind) = lexicon.line_kind(&window.join(" ")) else {
                continue;
            };
            let kind_words: Vec<&str> = kind.split_whitespace().collect();
            let mut out = Vec::new();
            if let Some(last) = kind_words.last() {
                out.push(singular(last));
            }
            if kind_words.len() > 1 {
                out.push(singular(&kind_words.concat()));
            }
            if let Some(last) = kind_words.last().filter(|w| w.contains('-')) {
                let plain = unhyphenated(&singular(last));
                if !out.contains(&plain) {
                    out.push(plain);
                }
            }
            return out;
        }
    }
    Vec::new()
}

/// The accessory a marketplace title names after the product it is made for, where
/// its own words before "for" are only a maker and a line: "Spigen Rugged Armor
/// Designed for Apple Watch Case for Series 9/8/7 45mm", "Spigen Liquid Air Armor
/// Designed for Galaxy A25 5G Case (2024)", "ESR for iPad 10th Generation Case". The
/// own words end in "designed" (or "made", "built"), or are one word that names no
/// thing, the brand ("Charger for iPhone 15 Case" stays a charger); the
/// host's words run to the next "for" or "with" or the end of the title's first
/// piece, and their last word of letters is an [`ACCESSORY_KINDS`] kind.
///
/// [`ACCESSORY_KINDS`]: crate::search::profile::ACCESSORY_KINDS
fn accessory_after_host(title: &str) -> Option<String> {
    let first_piece = title
        .split(" - ")
        .next()
        .unwrap_or_default()
        .split([',', '(', '[', '|', ';', ':', '–', '—'])
        .next()
        .unwrap_or_default();
    let words: Vec<&str> = first_piece
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let at = words.iter().position(|w| fold(w) == "for")?;
    let own = &words[..at];
    let only_a_line = own.len() == 1
        && !crate::nlu::lexicon::Lexicon::get().names_a_thing(&singular(own[0]))
        || own
            .last()
            .is_some_and(|w| matches!(fold(w).as_str(), "designed" | "made" | "built"));
    if own.is_empty() || !only_a_line {
        return None;
    }
    let host: Vec<&str> = words[at + 1..]
        .iter()
        .take_while(|w| !matches!(fold(w).as_str(), "for" | "with"))
        .copied()
        .collect();
    let last = host
        .iter()
        .rev()
        .find(|w| w.chars().all(char::is_alphabetic))?;
    let kind = singular(last);
    (host.len() >= 2 && crate::search::profile::is_accessory_kind(&kind)).then_some(kind)
}

/// The word a title that opens with what it fits ("Compatible for …", "New
/// Compatible with …", "For …") ends in, where it is a word of letters: its kind.
fn closing_head(title: &str) -> Option<String> {
    let words: Vec<&str> = title
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let opens_with_fit = words.iter().take(3).any(|w| is_for(w));
    let last = words.last()?;
    (opens_with_fit
        && words.len() >= 4
        && last.chars().count() >= 3
        && last.chars().all(char::is_alphabetic)
        && !is_for(last)
        && crate::catalog::colors::canonical_color(last).is_none()
        && !crate::nlu::language::is_common_word(&fold(last)))
    .then(|| singular(last))
}

/// A title's words (singular, folded) that come before what it fits or serves in
/// their piece (a piece ends at a comma, a bracket, a bar, a dash between spaces or a
/// full stop): not those after "for", "works" or "your" once the piece has named
/// something, nor after "compatible" once it has named more than a brand ("Adapter
/// Works for LG V30 for OTG and USB Type-C Braided Cable" has no "cable" of its own).
/// "SEGESTANA Compatible with Apple Watch Band …" opens a band's title, and "for
/// iPhone 13 Case" a case's.
fn words_before_fits(title: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in title
        .replace(". ", " | ")
        .replace(" - ", " | ")
        .split([',', ';', '|', '(', ')', '[', ']'])
    {
        for (named, raw) in piece
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .enumerate()
        {
            let folded = fold(raw);
            let ends = matches!(folded.as_str(), "for" | "fuer" | "works" | "your")
                || raw.eq_ignore_ascii_case("für");
            // "SEGESTANA Compatible with Apple Watch Band": after a brand alone, it
            // opens the name.
            let fits = matches!(folded.as_str(), "compatible" | "kompatibel");
            if (ends && named > 0) || (fits && named > 1) {
                break;
            }
            out.push(singular(raw));
        }
    }
    out
}

/// Shelves that say only that a product goes with others ("Kopfhörer-Zubehör",
/// "Sonstiges"): no kind.
const GENERIC_SHELVES: &[&str] = &[
    "zubehor",
    "zubehoer",
    "sonstiges",
    "diverses",
    "ersatzteile",
    "accessories",
];

/// Words that end the name of a German title: what follows is what it fits, has or
/// comes in ("Hülle für iPhone 15 Pro", "Saugroboter mit Wischfunktion").
const GERMAN_NAME_ENDS: &[&str] = &[
    "fur",
    "fuer",
    "mit",
    "ohne",
    "inkl",
    "inklusive",
    "passend",
    "kompatibel",
    "aus",
    "im",
    "in",
    "von",
    "for",
    "with",
    "compatible",
];

/// The kinds a product titled in German is, from its title and its shelf (the
/// category's last level). German writes the kind as the last part of a compound
/// ("Handkreissäge" on "Sägen" is a "Handkreissäge" and a "Säge"), and a title
/// often names it after the brand and line, then its model and specs ("Bosch
/// Stichsäge PST 900 PEL (620 Watt, …)"). So:
/// - each word of the title's name (before "für", "mit", "ohne" …, brackets left
///   out) that ends in the shelf's word is of that kind, and of its own compound;
/// - where none does and the title opens with its maker, the name's last German
///   noun is its kind ("Roborock Q7 Max Saugroboter mit Wischfunktion" on
///   "Staubsauger"), with an accessory's word it ends in ("… Ersatzfilter" is a
///   filter), and so where the name ends at what it is for ("Kopfhörer Tasche für
///   Sony …" is a bag); a title that opens with its kind ends in a name
///   ("Kopfhörer Lumen" on "Audio"), so it takes only its shelf's;
/// - a shelf's word the title does not write is returned apart ([`GermanKinds::shelf`]),
///   unless the title names an accessory of another shelf's things ("Kopfhörer
///   Tasche" is no headphone, "Hülle" on "Smartphones" no phone): it is a kind only
///   where other titles name it ("Apple AirPods Pro" on "Kopfhörer" beside "Sony …
///   Kopfhörer"), not a room or an area ("Küche", "Audio"). A shelf that says only
///   "Zubehör" names no kind.
///
/// Kinds are [`singular`], as requests' words are read, so "Säge" is "sage".
pub fn german_title_kinds(
    title: &str,
    category_leaf: Option<&str>,
    brand: Option<&str>,
) -> GermanKinds {
    let brand_words: Vec<String> = brand
        .map(|b| b.split_whitespace().map(fold).collect())
        .unwrap_or_default();
    // The shelf's words, each in the forms its singular may take ("Sägen" → "sägen",
    // "säge"; "Akkus" → "akku").
    let shelf_forms: Vec<Vec<String>> = category_leaf
        .map(|leaf| {
            leaf.split(['&', ',', '/'])
                .flat_map(|piece| piece.split(" und "))
                .filter_map(|piece| piece.split_whitespace().last())
                .filter_map(|w| w.rsplit('-').next())
                .map(fold)
                .filter(|w| w.chars().count() >= 2 && !GENERIC_SHELVES.contains(&w.as_str()))
                .map(|w| {
                    let mut forms = vec![w.clone()];
                    forms.extend(plural_stems(&w).map(str::to_string));
                    forms.extend(w.strip_suffix('s').map(str::to_string));
                    // An English word's ("Switches" → "switch").
                    forms.push(singular(&w));
                    // A stem of two letters ends too many words ("Öle": "ol").
                    forms.retain(|f| *f == w || f.chars().count() >= 3);
                    forms
                })
                .collect()
        })
        .unwrap_or_default();
    let name = german_name(title);
    // Each word of the name, hyphenated ones whole ("Akku-Bohrschrauber").
    let words = super::text::hyphened_words(&name);
    let mut out: Vec<String> = Vec::new();
    let push = |k: String, out: &mut Vec<String>| {
        if !out.contains(&k) {
            out.push(k);
        }
    };
    let mut shelf_named = Vec::new();
    for w in &words {
        let whole = fold(&w.replace('-', ""));
        // Each part of a hyphenated word ("Stichsägeblätter-Set").
        let parts: Vec<String> = w.split('-').map(fold).collect();
        for forms in &shelf_forms {
            // The longest form the word ends in: "stichsäge" ends in "säge", not
            // only in "säg".
            let form = forms
                .iter()
                .filter(|f| {
                    whole.ends_with(f.as_str()) || parts.iter().any(|p| p.ends_with(f.as_str()))
                })
                .max_by_key(|f| f.len());
            if let Some(form) = form {
                push(singular(&whole), &mut out);
                push(singular(form), &mut out);
                shelf_named.push(form.clone());
            }
        }
    }
    let mut accessory = false;
    // A title that opens with its maker names its kind after the maker and line
    // ("Roborock Q7 Max Saugroboter"); one that opens with its kind names the
    // product after it ("Kopfhörer Lumen"), and its last word is a name, no kind.
    let opens_with_brand = words
        .first()
        .is_some_and(|w| brand_words.contains(&fold(w)));
    // "Ersatzfilter für Dyson V15", "Kopfhörer Tasche für Sony …": what comes before
    // what it is for is the product.
    let made_for = before_name_end(title)
        .1
        .is_some_and(|w| matches!(fold(w).as_str(), "fur" | "fuer" | "passend" | "kompatibel"));
    if out.is_empty() && (opens_with_brand || made_for) {
        // The name's last German noun: a capital, then small letters, each part of
        // a hyphenated word so ("Akku-Staubsauger") but for an acronym or a number
        // before its last ("CPU-Kühler", "USB-C-Kabel", "4K-Monitor"), no brand,
        // unit or colour.
        let noun_part = |part: &str| {
            let mut chars = part.chars();
            chars.next().is_some_and(char::is_uppercase)
                && part.chars().count() >= 2
                && chars.all(char::is_lowercase)
        };
        let noun = words.iter().rev().find(|w| {
            let folded = fold(w);
            let parts: Vec<&str> = w.split('-').collect();
            let (last, before) = parts.split_last().unwrap_or((&"", &[]));
            noun_part(last)
                && before.iter().all(|part| {
                    noun_part(part)
                        || !part.is_empty()
                            && part
                                .chars()
                                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                })
                && folded.chars().count() >= 4
                && !brand_words.contains(&folded)
                && !NOT_HEADS.contains(&folded.as_str())
                && !crate::nlu::language::is_common_word(&folded)
                && crate::catalog::colors::canonical_color(&folded).is_none()
                && crate::catalog::specs::quantities(&format!("1 {w}")).is_empty()
        });
        if let Some(noun) = noun {
            let whole = fold(&noun.replace('-', ""));
            push(singular(&whole), &mut out);
            // "CPU-Kühler" is a "Kühler" too.
            if let Some((_, last)) = noun
                .rsplit_once('-')
                .filter(|(_, l)| l.chars().count() >= 4)
            {
                push(singular(&fold(last)), &mut out);
            }
            if let Some(part) = crate::search::profile::ACCESSORY_KINDS
                .iter()
                .find(|a| a.len() >= 4 && whole.ends_with(*a))
            {
                accessory = true;
                push(singular(part), &mut out);
            }
        }
    }
    // A shelf of two kinds ("Akkus & Ladegeräte") whose title names one: that one,
    // already taken.
    let shelf_forms: &[Vec<String>] = if shelf_named.is_empty() {
        &shelf_forms
    } else {
        &[]
    };
    let mut shelf: Vec<String> = Vec::new();
    for forms in shelf_forms {
        // Not in the title: the form a German plural's singular most likely takes
        // ("Hüllen" → "hülle", "Monitore" stays, "Akkus" → "akku").
        let w = &forms[0];
        let stem = |end: &str| w.strip_suffix(end).filter(|s| s.chars().count() >= 3);
        let form = forms
            .iter()
            .skip(1)
            .find(|f| {
                Some(f.as_str()) == stem("s")
                    || (w.ends_with("en") && Some(f.as_str()) == stem("n"))
            })
            .unwrap_or(w);
        let shelf_accessory = crate::search::profile::ACCESSORY_KINDS
            .iter()
            .any(|a| form.ends_with(a));
        if (!accessory || shelf_accessory) && !shelf.contains(&singular(form)) {
            shelf.push(singular(form));
        }
    }
    GermanKinds { named: out, shelf }
}

/// What a German title is ([`german_title_kinds`]).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct GermanKinds {
    /// The kinds its title names, the first first.
    pub named: Vec<String>,
    /// Its shelf's kinds, which its title does not write.
    pub shelf: Vec<String>,
}

/// A German title up to the first word that starts what it fits or has ("für",
/// "mit", "ohne"): the part that names the product itself, models after a comma
/// included ("Anker USB C Ladegerät 65W, 735 Nano II").
pub fn german_own_part(title: &str) -> String {
    before_name_end(title).0.join(" ")
}

/// The words of a German text before the first (not the first word) that starts
/// what its product fits or has ([`GERMAN_NAME_ENDS`]), and that word.
fn before_name_end(text: &str) -> (Vec<&str>, Option<&str>) {
    let mut own: Vec<&str> = Vec::new();
    for w in text.split_whitespace() {
        let folded = fold(w.trim_matches(|c: char| !c.is_alphanumeric()));
        if !own.is_empty() && GERMAN_NAME_ENDS.contains(&folded.as_str()) {
            return (own, Some(w));
        }
        own.push(w);
    }
    (own, None)
}

/// A German title's name: up to its first comma (not one between digits, "2,0 Ah")
/// and the first word that starts what it fits or has ("für", "mit", "ohne"), with
/// what brackets hold left out ("(2x16GB)", "(750 Watt, im Koffer)").
fn german_name(title: &str) -> String {
    let mut plain = String::with_capacity(title.len());
    let mut depth = 0usize;
    let chars: Vec<char> = title.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                let digits = i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit);
                if !digits {
                    break;
                }
                plain.push(c);
            }
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    before_name_end(&plain).0.join(" ")
}

/// The heads of a title's phrases written together with the word before each
/// ("Sound Bar" → "soundbar", "Smart Watch" → "smartwatch"), when both are words of
/// letters: kinds English writes as one word or two, so that a shopper's "soundbar"
/// finds them ("tvstand" is harmless where nobody writes it).
pub fn joined_heads(title: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for j in phrases(title).iter().filter_map(|p| joined_head(p)) {
        if !out.contains(&j) {
            out.push(j);
        }
    }
    out
}

/// The kinds the category's levels between the top and the shelf name, where the
/// shelf is a sort of it and the title has the word: a "Cordless Drill Driver Kit" on
/// "Power Tools > Drills > Drill Drivers" is a drill. A "… 10-Speaker … Sound Bar"
/// on "Speakers > Sound Bars" stays a soundbar: its shelf is no sort of speaker by
/// its words. The top level ("Electronics", "Home") is a department, not a kind.
pub fn upper_shelf_kinds(title: &str, category: &[String]) -> Vec<String> {
    let (Some(middle), Some(leaf)) = (
        category.get(1..category.len().saturating_sub(1)),
        category.last(),
    ) else {
        return Vec::new();
    };
    // The title up to what it is for: a "… Lens … for Nikon DSLR Cameras" on
    // "Camera Lenses" is no camera.
    let lower = format!(" {} ", title.to_lowercase());
    let own = [" for ", " compatible ", " fits ", " für "]
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
        .map_or(lower.as_str(), |at| &lower[..at]);
    let words = title_words(own);
    let leaf_words = title_words(leaf);
    let mut out: Vec<String> = Vec::new();
    for level in middle {
        if let Some(k) = shelf_kind(level).filter(|k| words.contains(k) && leaf_words.contains(k)) {
            if !out.contains(&k) {
                out.push(k);
            }
        }
    }
    out
}

/// The shelf's kind and its joined form, where the description's first sentence
/// names the shelf too: "Anker 622 Magnetic Battery (MagGo) … Portable Charger" on
/// "Power Banks", described as "5000mAh magnetic power bank …", is a power bank. The
/// description alone is no source of kinds (it names what a product fits as often as
/// what it is); with the shelf saying the same, it is.
pub fn described_shelf_kinds(description: &str, category_leaf: &str) -> Vec<String> {
    let first = description
        .split_terminator(['.', '!', '?', '\n'])
        .next()
        .unwrap_or("");
    // Its product phrases: not what it is "compatible" with or "for".
    let said = phrase_words(first);
    let mut out: Vec<String> = Vec::new();
    for p in shelf_phrases(category_leaf) {
        let shelf: Vec<String> = p.iter().map(|w| singular(w)).collect();
        let names = |words: &Vec<String>| words.windows(shelf.len()).any(|w| w == shelf.as_slice());
        if shelf.is_empty() || !said.iter().any(names) {
            continue;
        }
        for k in head_of(&p).into_iter().chain(joined_head(&p)) {
            if !out.contains(&k) {
                out.push(k);
            }
        }
    }
    out
}

/// The shelf's kind written as one word, where the title has its two words: "Sound
/// Bars" over "… Sound Bar Bundle" is a soundbar as well as a bundle.
pub fn shelf_joined_heads(title: &str, category_leaf: &str) -> Vec<String> {
    let joined = joined_neighbours(&title_words(title));
    shelf_phrases(category_leaf)
        .iter()
        .filter_map(|p| joined_head(p))
        .filter(|j| joined.contains(j))
        .collect()
}

/// A phrase's head written together with the word before it, when both are words
/// of letters.
fn joined_head(words: &[String]) -> Option<String> {
    let at = words.iter().rposition(|w| may_head(w))?;
    let before = words.get(at.checked_sub(1)?)?;
    (is_word_of_letters(before) && is_word_of_letters(&words[at]))
        .then(|| singular(&format!("{before}{}", words[at])))
}

/// Each two neighbouring words written as one, singular ("sound", "bar" →
/// "soundbar").
fn joined_neighbours(words: &[String]) -> Vec<String> {
    words
        .windows(2)
        .map(|w| singular(&format!("{}{}", w[0], w[1])))
        .collect()
}

/// The phrases of a category's level, whose "&" parts two names ("Camera Mounts &
/// Clamps"). A name of letters a hyphen parts is one word ("E-Readers" →
/// "EReaders"): titles and shoppers write it "eReader" as often, and a title's
/// words are split at hyphens, so the shelf's kind is the word written whole.
///
/// A level that joins modifiers to a plural name is one phrase, that name's:
/// "Skylight & UV Filters" holds filters, "Sofa & Console Tables" tables and no
/// sofas, "Point & Shoot Digital Cameras" cameras. Two plurals ("Filters &
/// Accessories", "Hooks & Hangers") or a last name of one word ("Shampoo &
/// Conditioner") are two.
fn shelf_phrases(level: &str) -> Vec<Vec<String>> {
    let mut phrases: Vec<Vec<String>> = phrases(&level.replace('&', ","))
        .into_iter()
        .map(|p| p.into_iter().map(|w| unhyphenated(&w)).collect())
        .collect();
    let plural = |w: &String| {
        let f = fold(w);
        f.ends_with('s') && singular(&f) != f
    };
    let joined = match phrases.as_slice() {
        [first, .., last] => {
            last.len() >= 2
                && last.last().is_some_and(plural)
                && first.last().is_some_and(|w| !plural(w))
        }
        _ => false,
    };
    if joined {
        phrases.drain(..phrases.len() - 1);
    }
    phrases
}

/// A word of letters parted by hyphens written whole ("E-Readers" → "EReaders");
/// other words as they are ("USB-C", "2-Pack").
pub fn unhyphenated(word: &str) -> String {
    let parts: Vec<&str> = word.split('-').collect();
    if parts.len() > 1
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(char::is_alphabetic))
    {
        parts.concat()
    } else {
        word.to_string()
    }
}

/// The kind a category's last level names ("Smartphones" → "smartphone",
/// "Graphics Cards" → "card").
pub fn shelf_kind(leaf: &str) -> Option<String> {
    shelf_phrases(leaf).first().and_then(|p| head_of(p))
}

/// The shelf's kind written as one word, where the title's kinds have it so ("Sound
/// Bars" over "… Smart Soundbar …" or "… Sound Bar …", both soundbars by
/// [`joined_heads`]): what the product is as a shopper's "soundbar" asks for it.
pub fn shelf_joined_kind(leaf: &str, kinds: &[String]) -> Option<String> {
    shelf_phrases(leaf)
        .first()
        .and_then(|p| joined_head(p))
        .filter(|j| kinds.contains(j))
}

/// The kind a shopper asks for: in the first phrase of the request that names one,
/// its last word the catalogue uses — "hdmi cable" asks for a cable, "the cheapest
/// wifi extender please" for an extender, "a case for my apple watch" for a case,
/// "find all offers for the anker 313 wireless charger" for a charger (the first
/// phrase names no kind). `known` says whether the catalogue's titles use a word
/// (`None`: never) and, if so, whether it is a kind of product there: "projector
/// screen" names a screen, and when screens are no kind here, it names none.
pub fn requested_kind(normalised: &str, known: impl Fn(&str) -> Option<bool>) -> Option<String> {
    requested_kind_with(normalised, known, |_| true)
}

/// [`requested_kind`], where `a_thing` says whether a known word that is no kind
/// names a thing of its own before "for" ("a sleeve for my laptop" asks for no
/// laptop), or is another name of a kind that is read later ("ram for my board").
pub fn requested_kind_with(
    normalised: &str,
    known: impl Fn(&str) -> Option<bool>,
    a_thing: impl Fn(&str) -> bool,
) -> Option<String> {
    let words: Vec<&str> = normalised.split_whitespace().collect();
    let mut phrase: Vec<&str> = Vec::new();
    // The phrase's last word the shop knows, and whether it is a kind.
    let flush = |phrase: &mut Vec<&str>| -> Option<(String, bool)> {
        let found = phrase
            .iter()
            .rev()
            .map(|w| singular(w))
            .filter(|w| may_head(w) && !REQUEST_NOUNS.contains(&w.as_str()))
            .find_map(|w| known(&w).map(|kind| (w, kind)));
        phrase.clear();
        found
    };
    for (i, &w) in words.iter().enumerate() {
        // "the biggest bottle of shampoo": what comes in it is asked for.
        if phrase
            .last()
            .is_some_and(|l| holds_what_follows(l, Some(w)))
        {
            phrase.clear();
            continue;
        }
        // "a daybed twin size": the size's word is no kind.
        if crate::nlu::rules::opens_a_size(w, words.get(i + 1).copied()) {
            continue;
        }
        if is_target_word(w) {
            match flush(&mut phrase) {
                Some((k, true)) => return Some(k),
                // "a sleeve for my laptop": a thing the titles name, though no
                // kind, is asked for; what it is for is not.
                Some((thing, false)) if is_for(w) && a_thing(&thing) => return None,
                _ => {}
            }
            continue;
        }
        phrase.push(w);
    }
    flush(&mut phrase).and_then(|(w, kind)| kind.then_some(w))
}

/// Whether a target word says what the thing before it is for ("for", "für",
/// "compatible", "fits"), not what it has or joins ("with", "to").
pub(crate) fn is_for(word: &str) -> bool {
    matches!(
        fold(word).as_str(),
        "for" | "fur" | "compatible" | "fits" | "fit"
    )
}

/// What things come in or by, asked for before "of" the thing: "a bottle of shampoo".
const CONTAINERS: &[&str] = &[
    "bottle", "bottles", "pack", "packs", "box", "boxes", "can", "cans", "jar", "jars", "tube",
    "tubes", "bag", "bags", "carton", "cartons", "roll", "rolls", "pair", "pairs", "set", "sets",
];

/// Whether `word` is a container a request asks for the contents of, "of" after it:
/// "the biggest bottle of shampoo" asks for shampoo.
pub(crate) fn holds_what_follows(word: &str, next: Option<&str>) -> bool {
    next == Some("of") && CONTAINERS.contains(&word)
}

/// The words a request names the thing it wants with: its first run of words that
/// are not `filler`, the last of them its head ("do you have a hair dryer please" →
/// "hair dryer", "the cheapest tv" → "tv", "a case for my apple watch" → "case",
/// "bequeme business-schuhe unter 150 eur" → "bequeme business-schuhe"). `filler`
/// tells request phrasing, superlatives and colours apart; a target word ("for") or
/// a word with a digit ends the run.
///
/// A request that opens with what the thing is for names the thing after it, last:
/// "für das büro im herbst einen eleganten mantel" → "eleganten mantel", "for my
/// iphone a cable" → "cable". Where nothing follows but phrasing, the opening run is
/// the thing ("für meinen sohn" → "sohn"); a later run with a target of its own
/// ("for my son something to play with") leaves it so too. A container asked for
/// before "of" is what comes in it: "the biggest bottle of shampoo" → "shampoo".
pub fn asked_phrase(normalised: &str, filler: impl Fn(&str) -> bool) -> Vec<String> {
    let words: Vec<&str> = normalised.split_whitespace().collect();
    let (run, end) = phrase_run(&words, 0, &filler);
    // "the biggest bottle of shampoo", "a pack of aa batteries": what comes in it.
    if run
        .last()
        .is_some_and(|h| holds_what_follows(h, words.get(end).copied()))
    {
        let (inside, _) = phrase_run(&words, end + 1, &filler);
        if !inside.is_empty() {
            return inside;
        }
    }
    let opens_with_target = words
        .iter()
        .take_while(|w| run.first().is_none_or(|r| r != *w))
        .any(|w| is_target_word(w));
    // A thing with a target of its own ("which ram fits the asus …") is named.
    let has_target = words.get(end).is_some_and(|w| is_target_word(w));
    if !opens_with_target || run.is_empty() || has_target {
        return run;
    }
    // The setting's own additions ("im herbst") may run on before the thing: the
    // last run that closes the message is the thing.
    let mut at = end;
    let mut last: Option<Vec<String>> = None;
    while at < words.len() {
        if is_target_word(words[at]) && last.is_some() {
            return run;
        }
        let (next, next_end) = phrase_run(&words, at, &filler);
        if next.is_empty() {
            break;
        }
        last = Some(next);
        at = next_end;
    }
    last.unwrap_or(run)
}

/// The first run of [`asked_phrase`] at or after `from`, and the index of the word
/// that ended it (the message's length where none did).
fn phrase_run(words: &[&str], from: usize, filler: &impl Fn(&str) -> bool) -> (Vec<String>, usize) {
    let mut run: Vec<String> = Vec::new();
    let connector = |w: &[&str]| !crate::catalog::specs::connectors(&w.join(" ")).is_empty();
    for (i, &w) in words.iter().enumerate().skip(from) {
        // "hdmi to usb c adapter": one thing from one plug to the other.
        let joins_plugs = w == "to"
            && run.last().is_some_and(|l| connector(&[l.as_str()]))
            && connector(&words[i + 1..words.len().min(i + 3)]);
        if joins_plugs {
            run.push(w.to_string());
            continue;
        }
        if is_target_word(w) {
            if run.is_empty() {
                continue;
            }
            return (run, i);
        }
        let content = |w: &str| may_name(w) && !is_request_noun(w) && !filler(w);
        // A word that describes without naming ("wireless", "mini") goes on inside a
        // phrase when a name follows it: "anker wireless charger". Articles and the
        // caller's filler ("eine", a colour) do not.
        let modifier = |w: &str| {
            let f = fold(w);
            f.chars().all(char::is_alphabetic) && NOT_HEADS.contains(&f.as_str()) && !filler(w)
        };
        let name_follows = |from: usize| {
            let mut j = from;
            while words.get(j).is_some_and(|w| modifier(w)) {
                j += 1;
            }
            words.get(j).is_some_and(|w| content(w))
        };
        // A model token inside the phrase is part of the name ("rtx 4060 laptop",
        // "galaxy a25 case"); a count or size after it ends it ("cable 2 pack").
        let model_inside = !run.is_empty()
            && w.chars().any(|c| c.is_ascii_digit())
            && w.chars().all(|c| c.is_alphanumeric() || c == '-')
            && name_follows(i + 1);
        let describes = !run.is_empty() && modifier(w) && name_follows(i + 1);
        if content(w) || model_inside || describes {
            run.push(w.to_string());
        } else if !run.is_empty() {
            return (run, i);
        }
    }
    (run, words.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_after_its_maker_is_no_kind_where_the_title_names_the_thing_later() {
        let kinds = |title: &str, brand: &str| {
            let mut k = title_kinds(title, Some("Computers"));
            names_first(title, Some(brand), &mut k);
            k
        };
        // A line right after its maker and before its number.
        let cpu = kinds(
            "AMD Ryzen 7 5800X 8-Core, 16-Thread Unlocked Desktop Processor",
            "AMD",
        );
        assert_eq!(
            cpu.first().map(String::as_str),
            Some("processor"),
            "{cpu:?}"
        );
        assert!(cpu.contains(&"ryzen".to_string()));
        let ram = kinds(
            "CORSAIR Vengeance 32GB (2x16GB) DDR5 6000MHz C36 Desktop Memory",
            "Corsair",
        );
        assert_eq!(ram.first().map(String::as_str), Some("memory"), "{ram:?}");
        // The maker's own name, and a short code in capitals.
        let camera = kinds(
            "Blink Outdoor 4 – Wireless smart security camera, two-year battery life",
            "Blink",
        );
        assert_eq!(
            camera.first().map(String::as_str),
            Some("camera"),
            "{camera:?}"
        );
        let psu = kinds(
            "EVGA SuperNOVA 750 GT, 80 Plus Gold 750W, Fully Modular, Power Supply",
            "EVGA",
        );
        assert_eq!(psu.first().map(String::as_str), Some("supply"), "{psu:?}");
        // A kind named with the word before it stays, numbers after it or not.
        let bank = kinds("Anker Power Bank 20000mAh, Portable Charger", "Anker");
        assert_eq!(bank.first().map(String::as_str), Some("bank"), "{bank:?}");
    }

    #[test]
    fn a_kit_of_a_thing_is_that_thing_and_plus_before_the_thing_is_in_its_name() {
        let driver = title_kinds(
            "DEWALT 20V MAX Impact Driver Kit, 1/4-Inch, Cordless, Battery and Charger Included",
            None,
        );
        assert!(driver.contains(&"driver".to_string()), "{driver:?}");
        assert_eq!(
            title_kinds(
                "Ninja BN701 Professional Plus Blender with Auto-iQ, 1400 Peak Watts",
                None
            )
            .first()
            .map(String::as_str),
            Some("blender")
        );
        // The product named again after what it has, with its model.
        let phrases = phrase_words(
            "Anker Power Bank, 10,000mAh Portable Charger with 20W USB-C Fast Charging, 313 Power Bank",
        );
        assert!(
            phrases.iter().any(|p| p.contains(&"313".to_string())),
            "{phrases:?}"
        );
        // A part it has built in is no kind of it.
        let monitor = title_kinds(
            "Sceptre 24-inch FHD 1080p LED Monitor, 75Hz, HDMI VGA, Build-in Speakers, Machine Black",
            None,
        );
        assert!(!monitor.contains(&"speaker".to_string()), "{monitor:?}");
        // A camera's kit of lenses is no lens.
        let camera = title_kinds("Nikon D7500 DSLR Camera 2 Lens Kit with 18-55mm VR", None);
        assert!(!camera.contains(&"lens".to_string()), "{camera:?}");
        let dryer = title_kinds(
            "REVLON One-Step Volumizer PLUS Hair Dryer and Hot Air Brush, Black",
            None,
        );
        assert!(dryer.contains(&"dryer".to_string()), "{dryer:?}");
        let grinder = title_kinds("Salt and Pepper Grinder Set, Stainless Steel", None);
        assert!(!grinder.contains(&"salt".to_string()), "{grinder:?}");
        // After a thing named, "plus" adds another ("Camera plus Lens").
        assert_eq!(
            title_kinds("Mirrorless Camera Plus Lens Kit", None)
                .first()
                .map(String::as_str),
            Some("camera")
        );
    }

    #[test]
    fn a_marketplace_title_names_the_accessory_after_its_host_and_a_line_its_kind() {
        // "Designed for <host> Case": the case comes after the host it fits; the
        // maker's line before "for" names nothing.
        let first = |t: &str| title_kinds(t, None).first().cloned();
        assert_eq!(
            first("Spigen Rugged Armor Designed for Apple Watch Case for Series 9/8/7 45mm - Matte Black")
                .as_deref(),
            Some("case")
        );
        assert_eq!(
            first("ESR for iPad 10th Generation Case (2022), iPad Case 10.9 Inch").as_deref(),
            Some("case")
        );
        // A title that says what it is before "for" keeps it: a charger for an
        // iPhone is no case, whatever the host's words end in.
        assert_eq!(
            first("Anker USB C Charger for iPhone 15 Case").as_deref(),
            Some("charger")
        );
        assert_eq!(
            first("Charger for iPhone 15 Case, 20W").as_deref(),
            Some("charger")
        );
        // What a cable is for runs on over the lines it names: "iPad Pro" is no
        // kind of the cable.
        let cable = title_kinds(
            "Anker USB C to USB C Cable, 240W, 6 ft, Nylon Braided Fast Charging Cable for MacBook Pro, iPad Pro, Galaxy S23",
            None,
        );
        assert!(!cable.contains(&"ipad".to_string()), "{cable:?}");
        // A title named by its line is of the line's kind, one naming the line as
        // its host is not.
        assert_eq!(
            line_kinds("Apple iPad (10th Generation): with A14 Bionic chip", "ipad"),
            ["tablet"]
        );
        assert_eq!(
            line_kinds("Echo Dot (5th Gen) Smart speaker with Alexa", "dot"),
            ["speaker", "smartspeaker"]
        );
        assert!(line_kinds("ESR for iPad 10th Generation Case", "case").is_empty());
        // A line "by" its maker goes on with its name; a bundle's "+" only once the
        // name says what it is; the last of what it does names nothing.
        assert_eq!(
            first("Soundcore by Anker P20i True Wireless Earbuds, 10mm Drivers").as_deref(),
            Some("earbud")
        );
        let card = title_kinds(
            "SAMSUNG PRO Plus + Reader 128GB microSDXC Memory Card, Up to 180 MB/s",
            None,
        );
        assert!(card.contains(&"card".to_string()), "{card:?}");
        let stick = title_kinds(
            "Google Chromecast with Google TV (4K)- Streaming Stick Entertainment with Voice Search - Watch Movies, Shows, and Live TV in 4K HDR - Snow",
            None,
        );
        assert!(stick.contains(&"stick".to_string()), "{stick:?}");
        assert!(!stick.contains(&"tv".to_string()), "{stick:?}");
        assert!(line_kinds("Apple iPad Charger 20W", "charger").is_empty());
        assert_eq!(
            line_kinds(
                "Kindle Paperwhite (16 GB) – Now with a 7\" display",
                "paperwhite"
            ),
            ["e-reader", "ereader"]
        );
    }

    #[test]
    fn a_german_noun_after_an_acronym_is_the_kind() {
        // "CPU-Kühler" on a shelf that says "Kühlung": its words are no shelf form,
        // and an acronym before the noun is no reason to find none.
        let k = german_title_kinds("Noctua NH-D15 CPU-Kühler", Some("Kühlung"), Some("Noctua"));
        assert_eq!(k.named, ["cpukuhler", "kuhler"]);
        let k = german_title_kinds("Anker USB-C-Ladekabel", Some("Zubehör"), Some("Anker"));
        assert_eq!(k.named, ["usbcladekabel", "ladekabel"]);
    }

    #[test]
    fn a_german_title_s_kind_is_the_compound_that_ends_in_its_shelf_s_word() {
        // The kinds the title names, and its shelf's that it does not write.
        let kinds = |title: &str, leaf: &str, brand: &str| {
            let k = german_title_kinds(title, Some(leaf), Some(brand));
            (k.named, k.shelf)
        };
        let v = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // The compound and the shelf's word it ends in; brackets are no name.
        assert_eq!(
            kinds(
                "Bosch Stichsäge PST 900 PEL (620 Watt, Schnitttiefe 90 mm)",
                "Sägen",
                "Bosch"
            ),
            (v(&["stichsage", "sage"]), v(&[]))
        );
        assert_eq!(
            kinds(
                "Makita Akku-Bohrschrauber DDF485Z, 50 Nm, ohne Akku",
                "Bohrschrauber",
                "Makita"
            ),
            (v(&["akkubohrschrauber", "bohrschrauber"]), v(&[]))
        );
        // A shelf of two kinds; what it charges ("für 18V Akkus") is not it.
        assert_eq!(
            kinds(
                "Bosch Schnellladegerät GAL 18V-40 für 18V Akkus",
                "Akkus & Ladegeräte",
                "Bosch"
            ),
            (v(&["schnellladegerat", "ladegerat"]), v(&[]))
        );
        // Blades for saws are no saw.
        assert_eq!(
            kinds(
                "Bosch Stichsägeblätter-Set für Holz",
                "Sägeblätter",
                "Bosch"
            ),
            (v(&["stichsageblatterset", "sageblatter"]), v(&[]))
        );
        // No word of the shelf's: the maker's title names its kind after the line;
        // the shelf's word comes apart.
        assert_eq!(
            kinds(
                "Roborock Q7 Max Saugroboter mit Wischfunktion, 4200 Pa",
                "Staubsauger",
                "Roborock"
            ),
            (v(&["saugroboter"]), v(&["staubsauger"]))
        );
        // What comes before what it is for is the product; an accessory keeps no
        // other shelf's kind, and "Zubehör" names none.
        assert_eq!(
            kinds(
                "Kopfhörer Tasche für Sony WH-1000XM5",
                "Kopfhörer-Zubehör",
                "Geekria"
            ),
            (v(&["tasche"]), v(&[]))
        );
        assert_eq!(
            kinds(
                "Ersatzfilter für Dyson V15 Detect, 2 Stück",
                "Staubsauger",
                "Generic"
            ),
            (v(&["ersatzfilter", "filter"]), v(&[]))
        );
        // A title that opens with its kind ends in a name, no kind: only the shelf.
        assert_eq!(
            kinds("Kopfhörer Lumen", "Audio", "Volta"),
            (v(&[]), v(&["audio"]))
        );
        assert_eq!(
            kinds("Daunenjacke Amrum", "Jacken", "Alpenwind"),
            (v(&["daunenjacke", "jacke"]), v(&[]))
        );
        // A German plural shelf the title does not write takes its likely singular.
        assert_eq!(
            kinds("Apple AirPods Pro (2. Generation)", "Hüllen", "Apple"),
            (v(&[]), v(&["hulle"]))
        );
    }

    #[test]
    fn a_request_names_its_thing_by_the_last_words_of_its_first_phrase() {
        let filler = |w: &str| {
            [
                "do", "you", "have", "a", "the", "cheapest", "please", "i", "need", "my",
            ]
            .contains(&w)
        };
        assert_eq!(
            asked_phrase("do you have a hair dryer please", filler),
            ["hair", "dryer"]
        );
        assert_eq!(asked_phrase("the cheapest tv", filler), ["tv"]);
        assert_eq!(
            asked_phrase("alle angebote für regenjacke nordkap", |w| w == "alle"),
            ["regenjacke", "nordkap"]
        );
        assert_eq!(asked_phrase("a case for my apple watch", filler), ["case"]);
        assert_eq!(
            asked_phrase("i need 2 hdmi cables of 25 feet", filler),
            ["hdmi", "cables"]
        );
        assert!(asked_phrase("please", filler).is_empty());
        // A model inside the phrase is part of it; a count after it is not.
        assert_eq!(
            asked_phrase("rtx 4060 laptop", filler),
            ["rtx", "4060", "laptop"]
        );
        assert_eq!(asked_phrase("hdmi cable 2 pack", filler), ["hdmi", "cable"]);
        // A describing word inside the phrase goes on with it.
        assert_eq!(
            asked_phrase("the anker 737 wireless charger under 30 usd", |w| filler(w)
                || w == "under"),
            ["anker", "737", "wireless", "charger"]
        );
        assert_eq!(
            asked_phrase("sony wireless headphones", filler),
            ["sony", "wireless", "headphones"]
        );
        assert_eq!(
            asked_phrase("hdmi to displayport cable", filler),
            ["hdmi", "to", "displayport", "cable"]
        );
        assert_eq!(
            requested_kind("hdmi to usb c adapter", |_| Some(true)).as_deref(),
            Some("adapter")
        );
        assert_eq!(
            asked_phrase("a tv please under 300 usd", |w| filler(w) || w == "under"),
            ["tv"]
        );
        // What it is for first, the thing last.
        let filler = |w: &str| {
            filler(w) || ["das", "im", "einen", "meinen", "bitte", "something", "to"].contains(&w)
        };
        assert_eq!(
            asked_phrase("für das büro im herbst einen eleganten mantel", filler),
            ["eleganten", "mantel"]
        );
        assert_eq!(asked_phrase("for my iphone a cable", filler), ["cable"]);
        assert_eq!(
            asked_phrase("which ram fits the asus rog strix z790-e", filler),
            ["ram"]
        );
        assert_eq!(asked_phrase("für meinen sohn bitte", filler), ["sohn"]);
        assert_eq!(
            asked_phrase("for my son something to play with", filler),
            ["son"]
        );
    }

    #[test]
    fn a_level_between_the_department_and_the_shelf_names_a_kind_the_title_has() {
        let path = |p: &str| -> Vec<String> { p.split(" > ").map(String::from).collect() };
        assert_eq!(
            upper_shelf_kinds(
                "DEWALT 20V MAX Cordless Drill Driver Kit DCD771C2",
                &path("Power Tools > Drills > Drill Drivers")
            ),
            vec!["drill"]
        );
        // The department and the shelf are not read here; a level the title does not
        // name adds nothing.
        assert!(upper_shelf_kinds("Drill Bits, 40 Piece", &path("Drills > Drill Bits")).is_empty());
        assert!(upper_shelf_kinds(
            "Memphis Audio 35\" 10-Speaker ATV/UTV Sound Bar Bundle",
            &path("Electronics > Home Audio > Speakers > Sound Bars")
        )
        .is_empty());
        // A lens for cameras is a lens, no camera.
        assert_eq!(
            upper_shelf_kinds(
                "Nikon AF-S FX NIKKOR 50mm f/1.4G Lens with Auto Focus for Nikon DSLR Cameras",
                &path("Electronics > Camera & Photo > Lenses > Camera Lenses > SLR Camera Lenses")
            ),
            vec!["lens"]
        );
        assert!(upper_shelf_kinds(
            "Bit Set, 40 Piece",
            &path("Power Tools > Accessories > Bits")
        )
        .is_empty());
    }

    #[test]
    fn a_shelf_the_description_opens_with_names_a_kind() {
        assert_eq!(
            described_shelf_kinds(
                "5000mAh magnetic power bank for iPhone. Works with MagSafe cases.",
                "Power Banks"
            ),
            vec!["bank", "powerbank"]
        );
        // Only the first sentence, and only the shelf's words in their order.
        assert!(described_shelf_kinds(
            "A magnetic charger. Charge it from any power bank.",
            "Power Banks"
        )
        .is_empty());
        assert!(described_shelf_kinds("A bank of power outlets", "Power Banks").is_empty());
        // What it is compatible with is not what it is.
        assert!(described_shelf_kinds(
            "Compatible: Passive Pencil P01 / Drawing tablet Xp-pen Star G640",
            "Tablets"
        )
        .is_empty());
    }

    #[test]
    fn a_title_is_what_its_phrases_end_in() {
        // "Fur" is a material, "für" a target.
        assert_eq!(
            title_kinds(
                "Giantex Faux Fur Vanity Stool Chair, Round Footstool Ottoman",
                None
            ),
            vec!["chair", "ottoman"]
        );
        assert_eq!(title_kinds("Tasche für Laptop", None), vec!["tasche"]);
        // Praise is no target: the kit is what follows "Easy to Install".
        assert_eq!(
            title_kinds(
                "Rain Bird 32ETI Easy to Install In-Ground Automatic Sprinkler System Kit",
                None
            ),
            vec!["kit"]
        );
        // Nor is where it is made: no "made" among the kinds.
        assert_eq!(
            title_kinds(
                "Holiday Candle - 8.5 Inch Glass Votive - Made in The USA",
                None
            ),
            vec!["candle", "votive"]
        );
        assert_eq!(
            title_kinds("Black Made in USA Coaxial Cable", None),
            vec!["cable"]
        );
        // What it plays from, after "for" and slashes, is no kind of it.
        assert_eq!(
            title_kinds(
                "Mini Projector 1080P, Home Video Projector for Phone/TV Stick/Laptop/PS4",
                None
            ),
            vec!["projector"]
        );
        assert_eq!(
            title_kinds(
                "Wood TV Stand for 65 Inch TV, TV Cabinet with Farmhouse Barn Doors, TV Console Table with Adjustable Shelves, Industrial, Rustic Brown",
                None
            ),
            vec!["stand", "cabinet", "table"]
        );
        assert_eq!(
            title_kinds(
                "MNBVCXZ Watch Bands Compatible for Apple Watch Band 44mm with Protective Case",
                None
            ),
            vec!["band"]
        );
        assert_eq!(
            title_kinds(
                "4K HDMI Cables, Short Cord, 1ft [3 Pack]",
                Some("HDMI Cables")
            ),
            vec!["cable", "cord"]
        );
        assert_eq!(
            title_kinds(
                "2022 WiFi Extender - Wireless Signal Repeater Booster up to 4500 sq.ft",
                None
            )[0],
            "extender"
        );
        // The shelf a marketplace filed it under counts only as far as the title
        // bears it out.
        assert_eq!(
            title_kinds(
                "whdz Telescopes for Kids Adults Astronomy Beginners 34-199X Magnification Travel Telescope",
                Some("Binoculars")
            ),
            vec!["telescope"]
        );
        // What a product fits is no kind of it.
        assert_eq!(
            title_kinds(
                "Stylus Pens for iPad, Touch Screens Stylus Pencils High Sensitivity Disc & Fiber Tip Universal Stylus with Magnetic Cap Compatible with iPad, iPhone, Android, Microsoft Tablets",
                None
            ),
            vec!["pen", "stylus"]
        );
        assert_eq!(
            title_kinds(
                "Sturdy 72\" Monopod Camera Stick with Quick Release for Sony Cyber-shot DSC-R1, DSC-RX1, DSC-RX10 II, RX100 II Pro Digital Cameras",
                None
            ),
            vec!["stick"]
        );
        assert_eq!(
            title_kinds(
                "MNBVCXZ Watch Bands Compatible for Apple Watch Band 44mm, Sport Waterproof Strap for iWatch",
                None
            ),
            vec!["band", "strap"]
        );
        assert_eq!(title_kinds("20x50", Some("Binoculars")), vec!["binocular"]);
        // A title that opens with what it fits names itself at its end.
        assert_eq!(
            title_kinds(
                "New Compatible for Sony Playstation 4 PS4 Pro CUH-7015b 7000 Cooling Fan",
                None
            ),
            vec!["fan"]
        );
        // A shelf of two kinds: the one the title puts before the other names it.
        let charger = title_kinds(
            "DEWALT 20V MAX Battery Charger DCB112",
            Some("Batteries & Chargers"),
        );
        assert!(charger.contains(&"charger".to_string()));
        assert!(!charger.contains(&"battery".to_string()));
        assert!(title_kinds(
            "DEWALT 20V MAX 5.0Ah Lithium Ion Battery DCB205",
            Some("Batteries & Chargers")
        )
        .contains(&"battery".to_string()));
        assert_eq!(singular("TVs"), "tv");
        assert_eq!(singular("pcs"), "pcs");
        assert_eq!(singular("bus"), "bus");
        assert_eq!(singular("Lenses"), "lens");
        assert_eq!(singular("lens"), "lens");
        assert_eq!(singular("Mice"), "mouse");
        assert_eq!(singular("knives"), "knife");
        // What qualifies an edition is no kind: both Kindles are Paperwhites.
        assert_eq!(
            title_kinds(
                "Kindle Paperwhite Signature Edition (32 GB), 7-inch, Wireless Charging",
                Some("E-Readers")
            )[0],
            "paperwhite"
        );
        // A cable's ends come after its name: the cord is what it is.
        assert_eq!(
            title_kinds(
                "yanw 12' 3-RCA Gold Plated Cord Male to Male Video Audio for PC TV CAM DVD VCR",
                None
            ),
            vec!["cord"]
        );
        assert_eq!(
            title_kinds("Male to Female USB Extension Cable", None),
            vec!["cable"]
        );
        assert_eq!(
            title_kinds("NavePoint HDMI 1.4 Male to Male Cable 30 Ft", None),
            vec!["cable"]
        );
        // A unit ends a phrase without being what the product is.
        assert_eq!(
            title_kinds("Moisturizing Conditioner, 16 Oz", None),
            vec!["conditioner"]
        );
        // A later phrase that is a spec is a part of it, not what it is.
        assert_eq!(
            title_kinds(
                "Lenovo IdeaPad Slim 3 15.6 Inch Laptop, AMD Ryzen 7 5825U, 16GB RAM, 1TB SSD",
                None
            ),
            vec!["laptop", "ryzen"]
        );
        // "Plus" after a model is its name, not a second thing.
        assert_eq!(
            title_kinds(
                "Crucial P3 Plus 4TB PCIe Gen4 NVMe M.2 SSD, up to 5000MB/s",
                None
            )[0],
            "ssd"
        );
        // So is a line's "Plus" before its size.
        assert_eq!(
            title_kinds("Philips Hue Lightstrip Plus 1m Extension", None),
            vec!["extension"]
        );
        assert_eq!(
            title_kinds(
                "USB Adapter for iPhone Camera Adapter OTG Cable Supports Camera, USB Flash Drive, Keyboard, Mouse",
                None
            ),
            vec!["adapter"],
            "what it supports is no kind of it"
        );
        // What comes with a product is no kind of it: a bundle's contents, and the
        // features or uses listed after "with" or "for".
        assert_eq!(
            title_kinds(
                "Sony Alpha a7R III Mirrorless Digital Camera (Body Only) ILCE7RM3/B + 64GB Memory Card + NP-FZ-100 Battery + Case + HDMI Cable",
                None
            ),
            vec!["camera"]
        );
        assert_eq!(
            title_kinds(
                "Canon EOS 80D DSLR Camera w/Canon 18-135mm, Telephoto Lens + Elegant Accessory Kit (2X 64GB Memory Card, Canon Backpack, TTL Flash & More.)",
                None
            ),
            vec!["camera"]
        );
        assert_eq!(
            title_kinds(
                "GRABKEN Mini WiFi Smart Doorbell Camera with Chime, Battery, 19201080P HD, 2-Way Audio, Motion Detection, IP66 and 32GB TF Card",
                None
            ),
            vec!["camera"]
        );
        assert_eq!(
            title_kinds(
                "External Hard Drive 1TB High Speed USB 3.1 Portable Hard Drive for Mac, PC, Laptop(2TB Red)",
                None
            ),
            vec!["drive"]
        );
        // A spec joined by a plus is one piece of the name; a name of its own after
        // a feature list still counts.
        assert_eq!(
            title_kinds(
                "Octa Core 4GB+64GB Car Radio Player, Wireless Earbuds for iPhone, Bluetooth Headphones",
                None
            ),
            vec!["player", "earbud", "headphone"]
        );
        // What it serves, after "your" or "works for", and a list of what it is for
        // that runs on through a name of two words, are no names of it.
        assert_eq!(
            title_kinds(
                "PRO OTG Adapter Works for LG V30 for OTG and USB Type-C Braided Cable. Use with Devices Like Keyboard, Mouse, Zip, Gamepad, hdmi, More (Gray)",
                None
            ),
            vec!["adapter"]
        );
        assert!(!title_kinds(
            "Skywin PSVR Stand - Charge, Showcase, and Display Your PS4 VR Headset and Processor - Compatible with Playstation 4 PSVR",
            None
        )
        .contains(&"headset".to_string()));
        assert!(!title_kinds(
            "Smof 5808 Home Stereo Wireless Receiver& Transmitter, apt-X HD/LL Support LCD Visual Screen Display Audio Receiver Adapter for TV, Speakers,Home Theater,Headset,Headphone",
            None
        )
        .iter()
        .any(|k| k == "headset" || k == "headphone"));
        // A shelf's word only in what the title fits names nothing; a brand alone
        // before "Compatible with" opens the name.
        assert_eq!(
            title_kinds(
                "PRO OTG Adapter Works for LG V30 for OTG and USB Type-C Braided Cable. Use with Devices Like Keyboard",
                Some("Cables & Adapters")
            ),
            vec!["adapter"]
        );
        assert!(title_kinds(
            "SEGESTANA Compatible with Apple Watch Band Genuine Leather Strap for Women Men 44mm",
            Some("Smartwatch Bands")
        )
        .contains(&"band".to_string()));
        assert!(!title_kinds(
            "Oculus Link Cable 16ft(5m), USB 3.2 Type A to C Cable, Fast Charging Compatible with Oculus Quest 2 VR Headset and Gaming PC",
            Some("Headsets")
        )
        .contains(&"headset".to_string()));
    }

    #[test]
    fn a_request_asks_for_the_head_of_its_first_product_phrase() {
        let known = |w: &str| {
            [
                "cable",
                "extender",
                "case",
                "charger",
                "stand",
                "tv",
                "band",
                "screen",
                "projector",
            ]
            .contains(&w)
            .then_some(w != "screen")
        };
        assert_eq!(
            requested_kind("hdmi cable longer than 20 feet", known).as_deref(),
            Some("cable")
        );
        assert_eq!(
            requested_kind("the cheapest wifi extender please", known).as_deref(),
            Some("extender")
        );
        assert_eq!(
            requested_kind("a case for my apple watch 44mm", known).as_deref(),
            Some("case")
        );
        assert_eq!(
            requested_kind("find all offers for the anker 313 wireless charger", known).as_deref(),
            Some("charger")
        );
        assert_eq!(
            requested_kind("whats the cheapest pair of cables", known).as_deref(),
            Some("cable")
        );
        assert_eq!(
            requested_kind("which is the largest tv you have", known).as_deref(),
            Some("tv")
        );
        // What comes in a container is asked for, where the shop sells both.
        let both = |w: &str| ["bottle", "shampoo"].contains(&w).then_some(true);
        assert_eq!(
            requested_kind("the biggest bottle of shampoo", both).as_deref(),
            Some("shampoo")
        );
        assert_eq!(
            requested_kind("travel bottles for shampoo", both).as_deref(),
            Some("bottle")
        );
        assert_eq!(
            requested_kind("i need 2 hdmi cables", known).as_deref(),
            Some("cable")
        );
        // Words after the product are the request's, not the product's.
        let got = |w: &str| (w == "got" || w == "cable").then_some(w == "cable");
        assert_eq!(
            requested_kind("whats the cheapest hdmi cable you got", got).as_deref(),
            Some("cable")
        );
        assert_eq!(requested_kind("something nice", known), None);
        // What a thing is made of, or a bed size, is no kind of it.
        let made = |w: &str| {
            ["stuhl", "leder", "daybed", "twin"]
                .contains(&w)
                .then_some(true)
        };
        assert_eq!(
            requested_kind("ein stuhl aus leder", made).as_deref(),
            Some("stuhl")
        );
        assert_eq!(
            requested_kind("daybed twin size", made).as_deref(),
            Some("daybed")
        );
        // What a product has is no kind of it.
        let charging = |w: &str| match w {
            "bank" => Some(true),
            "charging" | "baseus" => Some(false),
            _ => None,
        };
        assert_eq!(
            requested_kind(
                "does the baseus power bank have wireless charging",
                charging
            )
            .as_deref(),
            Some("bank")
        );
        let tripod = |w: &str| ["tripod", "made", "fiber"].contains(&w).then_some(true);
        assert_eq!(
            requested_kind("a tripod made of carbon fiber", tripod).as_deref(),
            Some("tripod")
        );
        // A thing the titles name, though no kind, is asked for, not what it is for;
        // what a thing joins is no such target.
        let sleeve = |w: &str| match w {
            "sleeve" | "hdmi" => Some(false),
            "laptop" | "adapter" => Some(true),
            _ => None,
        };
        assert_eq!(requested_kind("a sleeve for my laptop", sleeve), None);
        assert_eq!(
            requested_kind("a laptop for my son", sleeve).as_deref(),
            Some("laptop")
        );
        assert_eq!(
            requested_kind("hdmi to usb c adapter", sleeve).as_deref(),
            Some("adapter")
        );
        // The head is a word the shop uses but sells none of: no kind, not its modifier.
        assert_eq!(requested_kind("projector screen", known), None);
    }

    #[test]
    fn a_shelf_joining_modifiers_to_a_plural_names_that_plural() {
        assert_eq!(
            shelf_kind("Skylight & UV Filters").as_deref(),
            Some("filter")
        );
        assert_eq!(
            shelf_kind("TV Ceiling & Wall Mounts").as_deref(),
            Some("mount")
        );
        // Two names stay two.
        assert_eq!(
            shelf_kind("Filters & Accessories").as_deref(),
            Some("filter")
        );
        assert_eq!(
            shelf_kind("Shampoo & Conditioner").as_deref(),
            Some("shampoo")
        );
        // A sofa table on "Sofa & Console Tables" is a table and no sofa.
        let kinds = title_kinds(
            "Rustic Luxe Large Wooden Sofa Table, Gray",
            Some("Sofa & Console Tables"),
        );
        assert!(kinds.contains(&"table".to_string()), "{kinds:?}");
        assert!(!kinds.contains(&"sofa".to_string()), "{kinds:?}");
    }

    #[test]
    fn specs_and_a_scraped_description_name_no_kind() {
        let kinds = title_kinds(
            "Nobsound DC 19V 4.74A 90W Power Supply Power Adapter Charger Universal 100-240V 50/60Hz AC Input for Amplifier",
            None,
        );
        assert_eq!(
            kinds.first().map(String::as_str),
            Some("charger"),
            "{kinds:?}"
        );
        let kinds = title_kinds(
            "Canon - Ef 40Mm F/2.8 STM Lens Product Description: Canon - Ef 40Mm F/2.8.",
            None,
        );
        assert!(kinds.contains(&"lens".to_string()), "{kinds:?}");
        assert!(!kinds.contains(&"description".to_string()), "{kinds:?}");
    }

    #[test]
    fn how_a_thing_stands_names_no_kind() {
        let kinds = title_kinds(
            "EZM Deluxe Triple Monitor Mount Stand Free Standing with Grommet Mount Option Supports up to 3 28\" (002-0020)",
            None,
        );
        assert_eq!(kinds, ["stand"]);
    }
}
