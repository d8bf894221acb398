//! What the index knows of each product beyond its words: the kinds it is (English
//! titles: "tv stand" is a stand), the model tokens its title names ("313", "a25",
//! "5900x") and its specs with units. Computed once when a product is loaded or
//! indexed, kept beside it in memory, and counted over the catalogue so that a
//! request's words can be told apart: a word that is some product's kind, a token that
//! is some product's model.

use std::collections::HashMap;

use crate::catalog::kind::{first_phrase, phrase_words, requested_kind_with, title_kinds};
use crate::catalog::specs::Specs;
use crate::catalog::text::fold;
use crate::catalog::Product;

/// One product's kinds, model tokens and specs.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// Heads of its English title's phrases and of its category's last level (empty
    /// for German texts, whose compounds the compound splitter handles).
    pub kinds: Vec<String>,
    /// Title tokens with a digit, folded ("qg-cbl-hd20-50ft", "qg", "313").
    pub models: Vec<String>,
    /// Those of its English title's first phrase: the models it is, not those it
    /// has inside or fits ("RTX 4060" of a laptop's spec list). All of them for
    /// other texts.
    pub lead_models: Vec<String>,
    pub specs: Specs,
    /// Its English title's first phrase, singular and folded.
    pub first_phrase: Vec<String>,
    /// The kind its category's last level names, for English texts.
    pub shelf: Option<String>,
    /// That kind written as one word where its title's kinds have it so ("soundbar"
    /// on "Sound Bars"): what it is, as [`Self::shelf`] is.
    pub shelf_joined: Option<String>,
    /// Its shelf's kind when its title has that word too, as a name or not
    /// ("microwave" of "… Microwave Popcorn Singles" on "Popcorn › Microwave").
    pub shelf_titled: Option<String>,
    /// A German title's shelf kinds that its title does not write ("kopfhorer" of
    /// "Apple AirPods Pro" on "Kopfhörer"): of that kind only where other titles
    /// name it ([`Vocabulary::is_of_kind`]).
    pub shelf_untitled: Vec<String>,
    /// The distinct words of its English title, singular and folded.
    pub words: Vec<String>,
    /// Whether its texts are English.
    pub english: bool,
    /// Whether it is made to go with another product ("Case for Galaxy A25",
    /// "Galaxy A25 Screen Protector"): its shelf, or without one its title's first
    /// kind, is an [`ACCESSORY_KINDS`] kind.
    pub accessory: bool,
    /// Whether its title writes its first kind as a line's name, in camel case
    /// ("iPad", "AirPods", "eReader"): see [`Vocabulary::is_of_kind`].
    pub named_by_line: bool,
    /// Its brand field, folded.
    pub brand: Option<String>,
    /// Its title's leading words, one to [`STEM_WORDS`] of them and fewer than the
    /// whole title, folded ("regenjacke" of "Regenjacke Nordkap"): what it may share
    /// with other products of its type.
    pub stems: Vec<String>,
    /// A line's names with a number its English title gives them, "line number",
    /// folded ("flip 4" of "Cable for TCL Flip Pro, Flip, Alcatel Go Flip 4"), not a
    /// number with its unit ("Cable 6 Feet").
    pub numbered_lines: Vec<String>,
    /// Models its description says it is for ("Toner … for HL-L2350DW, HL-L2390DW"):
    /// what it fits when a kind is asked for them, never what it is.
    pub described_fits: Vec<String>,
}

/// The most leading words of a title that may name its product type.
const STEM_WORDS: usize = 3;

/// A title's leading words, one to [`STEM_WORDS`], fewer than the whole title.
fn title_stems(title: &str) -> Vec<String> {
    let words: Vec<String> = plain_words(title)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    (1..words.len().min(STEM_WORDS + 1))
        .map(|n| words[..n].join(" "))
        .collect()
}

/// A product type of the shop, in its own words: what a shopper who describes a need
/// is offered to choose from (see [`Vocabulary::shop_type`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopType {
    /// Its name's words, folded ([`plain_words`]), the same for every product of the
    /// type: the name a turn shows is enough to find its products again.
    pub key: String,
    /// As the catalogue writes it ("Regenjacke", "cable").
    pub name: String,
    /// In English, where the product has an English title that says it ("Rain
    /// jacket").
    pub name_en: Option<String>,
}

impl ShopType {
    /// The name the model reads: in English where the product says it.
    pub fn read_as(&self) -> &str {
        self.name_en.as_deref().unwrap_or(&self.name)
    }
}

impl Profile {
    pub fn of(p: &Product) -> Profile {
        let english = p.language == "en";
        let german = (!english).then(|| {
            crate::catalog::kind::german_title_kinds(
                &p.title,
                p.category.last().map(String::as_str),
                p.brand.as_deref(),
            )
        });
        let (kinds, shelf_untitled) = match german {
            Some(g) => (g.named, g.shelf),
            None => (
                title_kinds(&p.title, p.category.last().map(String::as_str)),
                Vec::new(),
            ),
        };
        let mut words: Vec<String> = if english {
            name_uses(&p.title, &kinds)
        } else {
            Vec::new()
        };
        words.sort();
        words.dedup();
        // After the title's own kinds: the first is the one the title says.
        let mut kinds = kinds;
        if english {
            let shelf_joined = p
                .category
                .last()
                .map(|leaf| crate::catalog::kind::shelf_joined_heads(&p.title, leaf))
                .unwrap_or_default();
            for j in crate::catalog::kind::joined_heads(&p.title)
                .into_iter()
                .chain(shelf_joined)
            {
                if !kinds.contains(&j) {
                    kinds.push(j);
                }
            }
        }
        let shelf = p
            .category
            .last()
            .filter(|_| english)
            .and_then(|leaf| crate::catalog::kind::shelf_kind(leaf));
        let shelf_joined = p
            .category
            .last()
            .filter(|_| english)
            .and_then(|leaf| crate::catalog::kind::shelf_joined_kind(leaf, &kinds));
        if english {
            if let Some(head) = kinds.first().cloned() {
                for k in crate::catalog::kind::line_kinds(&p.title, &head) {
                    if !kinds.contains(&k) {
                        kinds.push(k);
                    }
                }
            }
            crate::catalog::kind::names_first(&p.title, p.brand.as_deref(), &mut kinds);
        }
        // A coarse shelf the title has no word of ("Cell Phones & Accessories" over
        // "Spigen … Designed for Galaxy A25 5G Case") leaves it to the title; one
        // it has ("Toner" over "… Toner Cartridge"), also as the end of its word
        // ("Smartwatches" over "Apple Watch … Aluminium Case"), says what it is.
        let title_words = crate::catalog::kind::title_words(&p.title);
        let titled = |s: &str| {
            kinds.iter().any(|k| k == s)
                || title_words.iter().any(|w| w == s)
                || crate::catalog::text::last_parts(s)
                    .any(|tail| title_words.iter().any(|w| w == tail))
        };
        // A shelf of "Vacuum Parts & Accessories": "Dyson V8 Replacement Battery" is
        // no V8 (a "PC Parts" shelf of processors holds no accessories).
        let parts_and_accessories = shelf.as_deref() == Some("part")
            && p.category
                .last()
                .is_some_and(|leaf| leaf.to_lowercase().contains("accessor"));
        let accessory = match &shelf {
            Some(s) if is_accessory_kind(s) || parts_and_accessories => true,
            Some(s) if titled(s) => false,
            _ => kinds.first().is_some_and(|k| is_accessory_kind(k)),
        };
        let shelf_titled_part = shelf.as_ref().filter(|s| !accessory && titled(s)).cloned();
        // A level above the shelf names a kind the shelf is a sort of, unless the
        // shelf holds what goes with it ("Camera Mounts & Clamps" are no cameras).
        if english && !accessory && !shelf.as_deref().is_some_and(goes_with_another) {
            let described = p
                .category
                .last()
                .map(|leaf| crate::catalog::kind::described_shelf_kinds(&p.description, leaf))
                .unwrap_or_default();
            for k in crate::catalog::kind::upper_shelf_kinds(&p.title, &p.category)
                .into_iter()
                .chain(described)
            {
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
        }
        // A cover the title names as the device's part ("Apple Watch Series 9 …
        // Aluminium Case with Sport Band" on "Smartwatches"): the shelf it is on,
        // which its title names too, says what it is.
        if let Some(s) = shelf_titled_part.as_ref() {
            if let Some(part) = kinds.first().filter(|k| is_accessory_kind(k)).cloned() {
                kinds.retain(|k| k != s && !k.ends_with(part.as_str()));
                kinds.insert(0, s.clone());
            }
        }
        // A part or cover named after the title has said what the product is, is a
        // feature of it: "LEVOIT Core 300 Air Purifier …, H13 True HEPA Filter" is
        // no filter, "Sony a6400 …, with Case" no case. The shelf may still say so.
        if !accessory {
            let first = kinds.first().cloned();
            kinds.retain(|k| {
                Some(k) == first.as_ref() || Some(k) == shelf.as_ref() || !is_accessory_kind(k)
            });
        }
        let first_phrase = if english {
            first_phrase(&p.title)
        } else {
            Vec::new()
        };
        let models = title_models(&p.title);
        let lead_models = if english {
            let mut lead = title_models(&first_phrase.join(" "));
            lead.extend(end_code_models(&p.title));
            lead.extend(code_after_name_models(&p.title));
            models
                .iter()
                .filter(|m| lead.contains(m))
                .cloned()
                .collect()
        } else {
            // A German title's own models are those of its name: "Ersatzfilter für
            // Dyson V15 Detect" is no V15.
            let lead = title_models(&crate::catalog::kind::german_own_part(&p.title));
            models
                .iter()
                .filter(|m| lead.contains(m))
                .cloned()
                .collect()
        };
        let named_by_line = kinds.first().is_some_and(|k| {
            p.title
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| is_camel_case(w) && crate::catalog::kind::singular(w) == *k)
        });
        let shelf_titled = shelf
            .clone()
            .filter(|k| crate::catalog::kind::title_words(&p.title).contains(k));
        Profile {
            named_by_line,
            first_phrase,
            shelf_titled,
            shelf_untitled,
            shelf,
            shelf_joined,
            accessory,
            words,
            kinds,
            models,
            lead_models,
            specs: Specs::of_product(p),
            english: p.language == "en",
            brand: p
                .brand
                .as_deref()
                .map(plain_words)
                .filter(|b| !b.is_empty()),
            stems: title_stems(&p.title),
            numbered_lines: if english {
                numbered_lines(&p.title)
            } else {
                Vec::new()
            },
            described_fits: described_fits(&p.description),
        }
    }
}

/// The models a description names after "for", "compatible with" or "fits", up to
/// the end of that sentence: tokens of letters and digits that are no quantity
/// ("for HL-L2350DW, HL-L2390DW." → "hl-l2350dw", "l2350dw", …; "for 45mm" none).
fn described_fits(description: &str) -> Vec<String> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r"(?i)\b(?:for|compatible with|fits|für|passend für|kompatibel mit) ([^.;!?]*)",
        )
        .expect("fits regex compiles")
    });
    let mut out: Vec<String> = Vec::new();
    for c in re.captures_iter(description) {
        // "Fits Roomba 614, 650 and 694": numbers after a line's name are its models,
        // where a number alone ("for 2 people", "for 45mm") is none.
        let numbered = numbered_line_list(&c[1]);
        for t in model_tokens(&c[1]) {
            let letters = t.chars().any(char::is_alphabetic) || numbered.contains(&t);
            let digits_then = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == ',');
            let quantity = digits_then.len() < t.len()
                && crate::catalog::specs::canonical_unit(digits_then).is_some();
            if letters && !quantity && !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// The numbers of three or four digits a text lists after a capitalised name
/// ("Roomba 614, 650, 675 and 694" → all four), up to the list's end.
fn numbered_line_list(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str| (3..=4).contains(&w.len()) && w.chars().all(|c| c.is_ascii_digit());
    let mut out = Vec::new();
    let mut listing = false;
    for (i, w) in words.iter().enumerate() {
        if number(w) {
            let named = i > 0
                && words[i - 1].chars().next().is_some_and(char::is_uppercase)
                && words[i - 1].chars().all(char::is_alphabetic);
            listing = listing || named;
            if listing {
                out.push(w.to_string());
            }
        } else if !matches!(fold(w).as_str(), "and" | "or" | "und" | "oder") {
            listing = false;
        }
    }
    out
}

/// A title's words and numbers as written, a decimal point kept ("7.0", "Flip 4").
fn title_tokens(title: &str) -> impl Iterator<Item = &str> {
    title
        .split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map(|t| t.trim_matches('.'))
        .filter(|t| !t.is_empty())
}

/// "flip 4" of "… Alcatel Go Flip 4", "charge 5" of "JBL Charge 5 Portable …": a line
/// word right before a number of one or two digits that no unit follows, folded.
fn numbered_lines(title: &str) -> Vec<String> {
    let tokens: Vec<&str> = title_tokens(title).collect();
    let mut out: Vec<String> = Vec::new();
    for (i, pair) in tokens.windows(2).enumerate() {
        let (line, number) = (pair[0], pair[1]);
        let unit_after = tokens
            .get(i + 2)
            .is_some_and(|u| crate::catalog::specs::canonical_unit(u).is_some());
        if (1..=2).contains(&number.len())
            && number.chars().all(|c| c.is_ascii_digit())
            && is_line_word(line)
            && !unit_after
        {
            let key = format!("{} {number}", fold(line));
            if !out.contains(&key) {
                out.push(key);
            }
        }
    }
    out
}

/// Whether a word is written in camel case, as brands name their lines ("iPad",
/// "AirPods", "PlayStation"), not as English writes a noun ("Telescopes", "TV").
pub fn is_camel_case(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    chars.iter().all(|c| c.is_alphabetic())
        && chars
            .windows(2)
            .any(|w| w[0].is_lowercase() && w[1].is_uppercase())
}

impl Profile {
    /// Its first kind and its shelf's kind (also written as one word), once each.
    /// Its lead models with its first kind, "model kind" ("ps5 station" of "PS5
    /// Controller Charging Station").
    fn lead_kinds(&self) -> Vec<String> {
        let Some(kind) = self.kinds.first() else {
            return Vec::new();
        };
        self.lead_models
            .iter()
            .map(|m| format!("{m} {kind}"))
            .collect()
    }

    fn first_kinds(&self) -> Vec<String> {
        let mut out: Vec<String> = self.kinds.first().into_iter().cloned().collect();
        // "Home Theater Sound Bar": a soundbar is what it is, as a bar.
        let joined = self
            .named_kind()
            .map(|n| n.replace(' ', ""))
            .filter(|j| self.kinds.contains(j));
        out.extend(joined);
        // "Phone Tripod Stand …, Cell Phone Tripod": a stand named after a thing the
        // title heads a phrase with too is that thing as well.
        let named_twice = self
            .named_kind()
            .and_then(|n| n.split_once(' ').map(|(before, _)| before.to_string()))
            .filter(|before| self.kinds[1..].contains(before));
        out.extend(named_twice);
        for s in [&self.shelf, &self.shelf_joined].into_iter().flatten() {
            if !out.contains(s) {
                out.push(s.clone());
            }
        }
        out
    }

    /// Its kinds with its shelf's, "kind shelf", when it is on a shelf of a kind.
    pub fn kinds_on_shelf(&self) -> Vec<String> {
        let Some(shelf) = &self.shelf else {
            return Vec::new();
        };
        self.kinds.iter().map(|k| format!("{k} {shelf}")).collect()
    }

    /// The word its title's first phrase names its first kind after, with the kind
    /// ("ink cartridge" of "HP 67 Black Ink Cartridge (3YM56AN) for …"), where both
    /// are words of letters.
    pub fn named_kind(&self) -> Option<String> {
        self.named_as(self.kinds.first()?)
    }

    /// [`Self::named_kind`] of any of its kinds.
    fn named_as(&self, kind: &str) -> Option<String> {
        let at = self.first_phrase.iter().position(|w| w == kind)?;
        let before = self.first_phrase.get(at.checked_sub(1)?)?;
        crate::catalog::text::is_word_of_letters(before).then(|| format!("{before} {kind}"))
    }
}

/// The model a title closes with in brackets, as marketplaces write a product's own
/// code: "DEWALT 20V MAX Cordless Drill / Driver Kit, Compact, 1/2-Inch
/// (DCD771C2)" is the DCD771C2, as much as a title that names it first.
fn end_code_models(title: &str) -> Vec<String> {
    let Some(inner) = title
        .trim_end()
        .strip_suffix(')')
        .and_then(|t| t.rsplit_once('('))
        .map(|(_, inner)| inner)
    else {
        return Vec::new();
    };
    // One code, no description: "(DCB203-2)", "(Core300-RF)", not "(2.0Ah)" or
    // "(Renewed, Black)".
    if inner.split_whitespace().count() != 1 || inner.contains(',') {
        return Vec::new();
    }
    title_models(inner)
}

/// The model code a title's first piece closes with, after the name, as listings
/// write a product's own code: "DEWALT 20V MAX Cordless Drill/Driver Kit DCD771C2,
/// 1/2 inch, …" is the DCD771C2 as much as "DEWALT DCD771C2 20V MAX Cordless Drill
/// Kit". Not a spec written in one ("…, 7-1/4 inch Saw 15Amp," is no model).
fn code_after_name_models(title: &str) -> Vec<String> {
    let first = title
        .split(" - ")
        .next()
        .and_then(|t| t.split([',', '(', '[', '|', ';']).next())
        .unwrap_or_default();
    let words: Vec<&str> = first.split_whitespace().collect();
    let Some(last) = words.last().filter(|_| words.len() >= 3) else {
        return Vec::new();
    };
    // "Wireless Charger for Galaxy S21," names what it fits.
    let fits = words
        .iter()
        .any(|w| crate::catalog::kind::is_for(w) || fold(w) == "with");
    if fits {
        return Vec::new();
    }
    let letters = last.chars().filter(|c| c.is_alphabetic()).count();
    // Nor a socket or port it has ("… Desktop Processor 12 Cores up to 4.8GHz AM4").
    if letters == 0
        || !crate::catalog::specs::quantities(last).is_empty()
        || !crate::catalog::specs::connectors(last).is_empty()
    {
        return Vec::new();
    }
    title_models(last)
}

/// Kinds of product made to protect, wear or hold another one: a listing of one that
/// names a model ("Galaxy A25 Screen Protector") is not that model. Chargers, cables
/// and stands are not among them: they carry model names of their own ("Anker 313
/// Wireless Charger (Stand)").
/// Whether a kind is one of [`ACCESSORY_KINDS`]: made to go with another product.
pub fn is_accessory_kind(kind: &str) -> bool {
    ACCESSORY_KINDS.contains(&kind)
}

pub const ACCESSORY_KINDS: &[&str] = &[
    "case",
    "cover",
    "protector",
    "skin",
    "sleeve",
    "film",
    "bumper",
    "holster",
    "pouch",
    "shell",
    "guard",
    "band",
    "strap",
    "holder",
    "mount",
    "decal",
    "sticker",
    // Parts used up in or replaced on another: "LEVOIT Core 300 Replacement Filter"
    // is no Core 300.
    "filter",
    "liner",
    "refill",
    "cartridge",
    // German, folded: "Hülle", "Etui", "Schutzfolie", "Panzerglas", "Displayschutz".
    "hulle",
    "etui",
    "folie",
    "panzerglas",
    "schutzglas",
    "displayschutz",
];

/// Whether a product of `kind` asked "for" another is made for that one: an
/// accessory, or a bag or stand ("a bag for my tripod" is a tripod bag, not a make-up
/// bag). Chargers, cables and batteries are left out: a plain USB-C charger fits a
/// phone whose name it never says.
pub fn is_made_for_a_host(kind: &str) -> bool {
    is_accessory_kind(kind) || ["bag", "backpack", "stand"].contains(&kind)
}

/// Other kinds named after the product they go with ("Laptop Bag", "Phone Charger",
/// "Camera Battery"), which a title's first phrase names after that product.
const COMPANION_KINDS: &[&str] = &[
    "bag", "backpack", "stand", "charger", "cable", "adapter", "dock", "hub", "battery", "lens",
    "kit", "mat", "pad", "cooler", "fan", "light", "remote", "tripod",
];

/// Whether a kind is made to go with another product: an accessory or a companion
/// ("Laptop Bag", "TV Wall Mount").
fn goes_with_another(kind: &str) -> bool {
    is_accessory_kind(kind) || COMPANION_KINDS.contains(&kind)
}

/// Kinds that English writes as one word with the kind they are a sort of: a
/// smartphone is a phone, a smartwatch a watch. A suffix rule would make headphones
/// and microphones phones, so they are listed.
const NARROWER_KINDS: &[(&str, &[&str])] = &[
    ("phone", &["smartphone", "cellphone"]),
    ("watch", &["smartwatch"]),
];

/// The kinds a product of `kind` may also be titled as ("phone": "smartphone").
pub fn narrower_kinds(kind: &str) -> &'static [&'static str] {
    NARROWER_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[], |(_, n)| n)
}

/// The words of a title, singular and folded, that it uses as a name: those of its
/// product phrases, not what it is for or fits ("TV" in "Remote Control Compatible
/// for Samsung … TV"), and not those it only puts before one of its own kinds
/// ("Watch" in "Apple Watch Band" is said of the band). So a word counts as mentioned
/// by the titles that could be that thing: "smart watch" stays a kind here though many
/// bands name the watch, and a remote that fits a TV does not count against "tv".
fn name_uses(title: &str, kinds: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tokens in phrase_words(title) {
        for (i, w) in tokens.iter().enumerate() {
            let modifies_own_kind = tokens.get(i + 1).is_some_and(|next| kinds.contains(next));
            if !modifies_own_kind && !out.contains(w) {
                out.push(w.clone());
            }
        }
    }
    out
}

/// The tokens of a text that look like model names: a digit in them, and a letter or
/// three digits ("a25", "5900x", "313", "rtx4060"); hyphenated ones also by parts.
pub fn model_tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: &str| {
        let t = fold(t);
        let digits = t.chars().filter(char::is_ascii_digit).count();
        let letters = t.chars().filter(|c| c.is_alphabetic()).count();
        if digits > 0 && (letters > 0 || digits >= 3) && !out.contains(&t) {
            out.push(t);
        }
    };
    for raw in text.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
        let raw = raw.trim_matches('-');
        if raw.is_empty() {
            continue;
        }
        push(raw);
        if raw.contains('-') {
            for part in raw.split('-') {
                push(part);
            }
        }
    }
    out
}

/// Words after a model that name another model of its line ("RTX 4060 Ti", "980
/// PRO", "Galaxy S24 Ultra"): a title with one is that model only.
const MODEL_SUFFIXES: &[&str] = &[
    "ti", "super", "pro", "plus", "max", "ultra", "xt", "xtx", "mini", "lite", "fe",
];

/// The model tokens of a title ([`model_tokens`]), a model followed by a suffix of
/// its line written together with it ("RTX 4060 Ti" → "4060ti", not "4060").
pub fn title_models(title: &str) -> Vec<String> {
    let raw = crate::catalog::text::hyphened_words(title);
    let mut out: Vec<String> = Vec::new();
    for (i, w) in raw.iter().enumerate() {
        let tokens = model_tokens(w);
        if tokens.is_empty() {
            continue;
        }
        let suffix = raw
            .get(i + 1)
            .map(|n| fold(n))
            .filter(|n| MODEL_SUFFIXES.contains(&n.as_str()));
        if let Some(suffix) = suffix {
            let joined = fold(&format!("{w}{suffix}"));
            if !out.contains(&joined) {
                out.push(joined);
            }
            continue;
        }
        for t in tokens {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    // A product line and its number near the title's start ("JBL Charge 5",
    // "Google Pixel 7", "Alcatel Go Flip 4") are one model: "charge5". A line of two
    // letters follows the name of another ("Fire HD 10": "hd10").
    for (i, w) in raw.iter().enumerate().take(4) {
        let Some(n) = raw.get(i + 1) else { break };
        let unit_after = raw
            .get(i + 2)
            .is_some_and(|u| crate::catalog::specs::canonical_unit(u).is_some());
        let short_line = w.chars().count() == 2
            && crate::catalog::text::is_word_of_letters(w)
            && i.checked_sub(1).is_some_and(|b| {
                is_line_word(raw[b]) && !crate::nlu::language::is_common_word(&fold(raw[b]))
            });
        if (is_line_word(w) || short_line)
            && (1..=2).contains(&n.len())
            && n.chars().all(|c| c.is_ascii_digit())
            && !unit_after
        {
            // "Apple iPhone 15 Pro" is the "iphone15pro", not the "iphone15".
            let suffixes = model_suffixes(raw[i + 2..].iter().map(|s| fold(s)));
            let joined = fold(&format!("{w}{n}{suffixes}"));
            if !out.contains(&joined) {
                out.push(joined);
            }
        }
    }
    for alias in line_aliases(&out) {
        if !out.contains(&alias) {
            out.push(alias);
        }
    }
    out
}

/// The other names of models a line is also written short for: "PlayStation 5"
/// ("playstation5") is the "PS5" accessories are for, and the other way round.
pub fn line_aliases(models: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for m in models {
        for (line, short) in SHORT_LINE_NAMES {
            let other = |from: &str, to: &str| {
                // One digit, then a suffix of the line's ("ps4pro").
                m.strip_prefix(from)
                    .filter(|n| {
                        let mut c = n.chars();
                        c.next().is_some_and(|d| d.is_ascii_digit())
                            && c.all(|l| l.is_ascii_alphabetic())
                    })
                    .map(|n| format!("{to}{n}"))
            };
            if let Some(alias) = other(line, short).or_else(|| other(short, line)) {
                if !out.contains(&alias) {
                    out.push(alias);
                }
            }
        }
    }
    out
}

/// Lines a number's model is also written short for: "PS5" for "PlayStation 5".
const SHORT_LINE_NAMES: &[(&str, &str)] = &[("playstation", "ps")];

/// Words a small number after which is no model of a line: counts, generations,
/// versions and technologies ("Pack 2", "Gen 4", "Bluetooth 5", "Android 10").
const NO_LINE_WORDS: &[&str] = &[
    "pack",
    "pcs",
    "piece",
    "pieces",
    "set",
    "gen",
    "generation",
    "series",
    "version",
    "type",
    "level",
    "size",
    "class",
    "cat",
    "category",
    "step",
    "day",
    "days",
    "bluetooth",
    "wifi",
    "android",
    "windows",
    "ios",
    "usb",
    "hdmi",
    "pcie",
    "ddr",
    "count",
    "and",
    "with",
    "for",
];

/// Whether a word may name a product line that a number follows ("Charge" of "JBL
/// Charge 5"): letters only, three or more, and none of [`NO_LINE_WORDS`].
fn is_line_word(word: &str) -> bool {
    let w = fold(word);
    w.chars().count() >= 3
        && w.chars().all(char::is_alphabetic)
        && !NO_LINE_WORDS.contains(&w.as_str())
        && crate::catalog::specs::connectors(&w).is_empty()
}

/// Words beside a number that make it a price.
const PRICE_WORDS: &[&str] = &[
    "usd",
    "eur",
    "under",
    "below",
    "over",
    "above",
    "max",
    "unter",
    "bis",
    "ab",
    "uber",
    "über",
    "than",
    "als",
    "maximal",
    "höchstens",
    "around",
    "about",
    "um",
    "etwa",
    "ca",
];

/// The fewest sorts of things (first kinds) a shelf holds to be a department rather
/// than a kind ([`Vocabulary::is_coarse_shelf`]).
const COARSE_SHELF_SORTS: usize = 4;

/// The most titles a token may be in and still name one model.
const MAX_LISTINGS_OF_A_MODEL: usize = 12;

/// The most titles a line's name may head ("iPad", "Paperwhite") and still be a
/// name rather than a kind of product.
const MAX_LISTINGS_OF_A_NAME: usize = 2;

/// Words whose next word is an option's value.
const OPTION_WORDS: &[&str] = &[
    "color", "colour", "farbe", "size", "größe", "grösse", "style",
];

/// Whether a token is a clothing size or a size in two dimensions: "3x", "2x-large",
/// "xx-large", "5xl", "42l", "12x16". Not a cartridge's "67XL", "910XL": two digits
/// before "xl" are a model's.
fn size_like(token: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"^(?:\d?x+(?:l|s|-?large|-?small|-?tall|-?big)?|\d+(?:\.\d+)?x\d+(?:\.\d+)?(?:x\d+(?:\.\d+)?)?(?:in|cm|mm|ft)?|\d{1,2}l|\dx?l|\dxs|\dxxl)$",
        )
        .expect("size regex compiles")
    })
    .is_match(token)
}

/// How many products have each kind and each model token.
#[derive(Debug, Default)]
pub struct Vocabulary {
    kinds: HashMap<String, usize>,
    /// How many products each kind is the first kind of, or the shelf's: what they
    /// are, not a feature listed after ("Smart Watch …, Sleep Monitor").
    firsts: HashMap<String, usize>,
    /// How many English titles have each word.
    mentions: HashMap<String, usize>,
    models: HashMap<String, usize>,
    /// How many listings of each model token are no accessory: the model itself.
    devices: HashMap<String, usize>,
    /// How many listings that are no accessory name each model first.
    leads: HashMap<String, usize>,
    /// The same, by the listing's first kind, keyed "model kind"
    /// ([`Profile::lead_kinds`]).
    lead_kinds: HashMap<String, usize>,
    /// How many products have each brand (folded).
    brands: HashMap<String, usize>,
    /// How many titles start with each stem (see [`Profile::stems`]).
    stems: HashMap<String, usize>,
    /// How many products are on a shelf of each kind ([`Profile::shelf`]).
    shelves: HashMap<String, usize>,
    /// How many of those have the shelf's word in their title
    /// ([`Profile::shelf_titled`]).
    titled_shelves: HashMap<String, usize>,
    /// How many titles name their kind after each word ("ink cartridge"), keyed
    /// "word kind" ([`Profile::named_kind`]).
    modifiers: HashMap<String, usize>,
    /// How many products of each kind are on a shelf of each kind, keyed "kind
    /// shelf" ([`Profile::kinds_on_shelf`]).
    kind_shelves: HashMap<String, usize>,
    /// How many English titles give each line a number, keyed "line number"
    /// ([`Profile::numbered_lines`]).
    numbered_lines: HashMap<String, usize>,
    /// How many products on a shelf of each kind have each first kind, keyed by the
    /// shelf's kind: how many sorts of things a shelf holds ([`Self::is_coarse_shelf`]).
    shelf_firsts: HashMap<String, HashMap<String, usize>>,
    products: usize,
    english: usize,
}

impl Vocabulary {
    pub fn add(&mut self, p: &Profile) {
        self.products += 1;
        self.english += usize::from(p.english);
        for k in &p.kinds {
            *self.kinds.entry(k.clone()).or_default() += 1;
        }
        for k in p.first_kinds() {
            *self.firsts.entry(k).or_default() += 1;
        }
        for m in &p.models {
            *self.models.entry(m.clone()).or_default() += 1;
            if !p.accessory {
                *self.devices.entry(m.clone()).or_default() += 1;
            }
        }
        if !p.accessory {
            for m in &p.lead_models {
                *self.leads.entry(m.clone()).or_default() += 1;
            }
            for k in p.lead_kinds() {
                *self.lead_kinds.entry(k).or_default() += 1;
            }
        }
        for w in &p.words {
            *self.mentions.entry(w.clone()).or_default() += 1;
        }
        if let Some(b) = &p.brand {
            *self.brands.entry(b.clone()).or_default() += 1;
        }
        for s in &p.stems {
            *self.stems.entry(s.clone()).or_default() += 1;
        }
        if let Some(s) = &p.shelf {
            *self.shelves.entry(s.clone()).or_default() += 1;
        }
        if let Some(s) = &p.shelf_titled {
            *self.titled_shelves.entry(s.clone()).or_default() += 1;
        }
        if let Some(m) = p.named_kind() {
            *self.modifiers.entry(m).or_default() += 1;
        }
        for k in p.kinds_on_shelf() {
            *self.kind_shelves.entry(k).or_default() += 1;
        }
        for l in &p.numbered_lines {
            *self.numbered_lines.entry(l.clone()).or_default() += 1;
        }
        if let (Some(s), Some(k)) = (&p.shelf, p.kinds.first()) {
            *self
                .shelf_firsts
                .entry(s.clone())
                .or_default()
                .entry(k.clone())
                .or_default() += 1;
        }
    }

    pub fn remove(&mut self, p: &Profile) {
        self.products = self.products.saturating_sub(1);
        self.english = self.english.saturating_sub(usize::from(p.english));
        let no_models = Vec::new();
        let devices = if p.accessory { &no_models } else { &p.models };
        let leads = if p.accessory {
            &no_models
        } else {
            &p.lead_models
        };
        if let (Some(s), Some(k)) = (&p.shelf, p.kinds.first()) {
            if let Some(firsts) = self.shelf_firsts.get_mut(s) {
                if let Some(n) = firsts.get_mut(k) {
                    *n = n.saturating_sub(1);
                }
            }
        }
        let brand: Vec<String> = p.brand.iter().cloned().collect();
        let shelf: Vec<String> = p.shelf.iter().cloned().collect();
        let titled_shelf: Vec<String> = p.shelf_titled.iter().cloned().collect();
        let named: Vec<String> = p.named_kind().into_iter().collect();
        let on_shelf = p.kinds_on_shelf();
        let firsts = p.first_kinds();
        let lead_kinds = if p.accessory {
            Vec::new()
        } else {
            p.lead_kinds()
        };
        for (map, words) in [
            (&mut self.lead_kinds, &lead_kinds),
            (&mut self.firsts, &firsts),
            (&mut self.kind_shelves, &on_shelf),
            (&mut self.shelves, &shelf),
            (&mut self.titled_shelves, &titled_shelf),
            (&mut self.modifiers, &named),
            (&mut self.brands, &brand),
            (&mut self.kinds, &p.kinds),
            (&mut self.models, &p.models),
            (&mut self.devices, devices),
            (&mut self.leads, leads),
            (&mut self.mentions, &p.words),
            (&mut self.stems, &p.stems),
            (&mut self.numbered_lines, &p.numbered_lines),
        ] {
            for w in words {
                if let Some(n) = map.get_mut(w) {
                    *n -= 1;
                    if *n == 0 {
                        map.remove(w);
                    }
                }
            }
        }
    }

    /// The brand a request names, of those in this catalogue's brand fields: the
    /// longest whose words stand together in it ("western digital ssd"), unless
    /// they are a kind of product here. None when the catalogue has no brands.
    pub fn requested_brand(&self, normalised: &str) -> Option<String> {
        let text = format!(" {} ", plain_words(normalised));
        // A request's number words are digits by now: "zero g hose" reads "0 g hose",
        // and so does the brand "Zero-G".
        // A brand that is a number alone ("One") is not named by any "1".
        let named = |b: &str| {
            let digits = crate::nlu::numbers::digits_for_words(b);
            text.contains(&format!(" {b} "))
                || digits.chars().any(char::is_alphabetic) && text.contains(&format!(" {digits} "))
        };
        self.brands
            .keys()
            .filter(|b| b.chars().count() >= 2 && named(b))
            .filter(|b| !self.is_kind(b))
            .max_by_key(|b| (b.len(), std::cmp::Reverse((*b).clone())))
            .cloned()
    }

    /// How many products a brand (folded, as [`Self::requested_brand`] names it) has.
    pub fn brand_products(&self, brand: &str) -> usize {
        self.brands.get(brand).copied().unwrap_or(0)
    }

    /// A product's type in the shop's own words: for an English title its head kind
    /// ([`Self::english_type`]); otherwise the most leading words its title shares
    /// with another title ("Regenjacke" of "Regenjacke Nordkap" and "Regenjacke
    /// Amrum"), unless they are only the brand. None for a product alone of its kind.
    pub fn shop_type(&self, product: &Product, p: &Profile) -> Option<ShopType> {
        if p.english {
            let kind = self.english_type(p)?;
            return Some(ShopType {
                key: plain_words(&kind),
                name: kind.clone(),
                name_en: Some(kind),
            });
        }
        let stem = p.stems.iter().rev().find(|s| {
            self.stems.get(*s).is_some_and(|n| *n >= 2) && p.brand.as_ref() != Some(*s)
        })?;
        let n = stem.split(' ').count();
        let words: Vec<&str> = product.title.split_whitespace().collect();
        // The stem counts folded words; the title's own words may hold more of them
        // ("T-Shirt"): take title words until their folded words make up the stem.
        let mut taken = 0;
        let mut folded = 0;
        while taken < words.len() && folded < n {
            folded += plain_words(words[taken])
                .split(' ')
                .filter(|w| !w.is_empty())
                .count();
            taken += 1;
        }
        let name = words[..taken].join(" ");
        // The English title, when it ends in the same words ("Rain jacket Nordkap").
        let rest = plain_words(&words[taken..].join(" "));
        let name_en = product.title_en.as_deref().and_then(|en| {
            let en_words: Vec<&str> = en.split_whitespace().collect();
            (1..en_words.len())
                .map(|k| en_words[..k].join(" "))
                .find(|head| {
                    let tail = en_words[head.split_whitespace().count()..].join(" ");
                    plain_words(&tail) == rest
                })
        });
        Some(ShopType {
            key: plain_words(&name),
            name,
            name_en,
        })
    }

    /// The type of a product with an English title: its first kind where that heads
    /// other titles too, else the kind its shelf names, else the first of its kinds
    /// that heads other titles, else its first. Marketplace
    /// titles run on ("Giantex Faux Fur Vanity Stool Chair, … Ottoman" on
    /// "Ottomans"; "Definitely Not on Drugs | … Tank Top"), and a model choosing among
    /// "faux", "not" and "ottoman" reads nothing. The type is named with the word
    /// before its kind where other titles name it so too: "power bank", not "bank".
    fn english_type(&self, p: &Profile) -> Option<String> {
        let supported = |k: &&String| self.heads(k) >= 2 && self.is_kind(k);
        let kind = p
            .kinds
            .first()
            .filter(supported)
            .or_else(|| p.shelf.as_ref().filter(|s| p.kinds.contains(s)))
            .or_else(|| p.kinds.iter().find(supported))
            .or(p.kinds.first())?;
        let named = p
            .named_as(kind)
            .filter(|n| self.modifiers.get(n).copied().unwrap_or(0) >= 2);
        Some(named.unwrap_or_else(|| kind.clone()))
    }

    /// Whether most of the catalogue is written in English.
    pub fn mostly_english(&self) -> bool {
        self.english * 2 > self.products
    }

    /// How many titles a word heads (as a kind).
    pub fn heads(&self, word: &str) -> usize {
        self.kinds.get(word).copied().unwrap_or(0)
    }

    /// Whether titles give a line of this name numbers ("iPhone 13", "Galaxy S24"):
    /// a word that names devices, not a use or a place.
    pub fn is_numbered_line(&self, word: &str) -> bool {
        let prefix = format!("{word} ");
        self.numbered_lines.keys().any(|k| k.starts_with(&prefix))
    }

    /// How many products a word is the first kind or the shelf's kind of.
    pub fn leads_as_kind(&self, word: &str) -> usize {
        self.firsts.get(word).copied().unwrap_or(0)
    }

    /// How many English titles use a word as a name: in their product phrases, not
    /// in what they fit ("Roku" in "… Cable for PS5, Roku, Apple TV").
    pub fn mentions(&self, word: &str) -> usize {
        self.mentions.get(word).copied().unwrap_or(0)
    }

    /// Whether a word names a kind of product here: the head of at least a third of
    /// the titles that use it ("cable" is; "charge", in "JBL Charge 5" and "Charge,
    /// Showcase", is a name or a feature), or what some title leads with as what it
    /// is ("Nylon Sport Loop Band …" where routers are "Dual Band").
    pub fn is_kind(&self, word: &str) -> bool {
        let kinds = self.heads(word);
        let mentions = self.mentions.get(word).copied().unwrap_or(0);
        // What a title leads with as what it is ("Smart Mirror TV for Bathroom" where
        // every other title is a "TV Stand"), unless it is a maker's name.
        let leads = self.leads_as_kind(word) > 0 && !self.brands.contains_key(word);
        kinds > 0 && (kinds * 3 >= mentions || leads)
    }

    /// Whether a product is an accessory of a model a request names without a kind
    /// ("galaxy a25"), while the shop also has that model itself: the shopper asked
    /// for the phone, not for its screen protector. With no listing of the model
    /// itself, its accessories are what the shop has of it.
    pub fn is_accessory_of(&self, p: &Profile, models: &[String]) -> bool {
        p.accessory
            && models
                .iter()
                .any(|m| p.models.contains(m) && self.devices.get(m).is_some_and(|n| *n > 0))
    }

    /// Whether a product is made to go with the models a request names, though its
    /// title leads with one: "PS5 Controller Charging Station" where more listings
    /// that lead with "PS5" are of another kind (the consoles). Not the "Anker 313
    /// Wireless Charger" where every 313 is a charger, nor one of two kinds as many
    /// listings have.
    pub fn made_for_another_kind(&self, p: &Profile, models: &[String]) -> bool {
        // What it is: its title's first kind or its shelf's ("Graphics Cards" for
        // "MSI … Graphics Card Ventus 2X").
        let own = p.first_kinds();
        if own.is_empty() {
            return false;
        }
        models
            .iter()
            .filter(|m| p.lead_models.contains(m))
            .any(|m| {
                let prefix = format!("{m} ");
                let count = |kind: &str| {
                    self.lead_kinds
                        .get(&format!("{m} {kind}"))
                        .copied()
                        .unwrap_or(0)
                };
                let mine = own.iter().map(|k| count(k)).max().unwrap_or(0);
                self.lead_kinds.iter().any(|(key, n)| {
                    key.strip_prefix(&prefix)
                        .is_some_and(|k| !own.iter().any(|o| o == k) && *n > mine)
                })
            })
    }

    /// Whether a product only mentions the models a request names, where other
    /// listings are them: "RTX 4060" at the end of a laptop's spec list, when
    /// graphics cards are titled by it. The request then asks for those.
    pub fn only_mentions(&self, p: &Profile, models: &[String]) -> bool {
        let named: Vec<&String> = models.iter().filter(|m| p.models.contains(m)).collect();
        !named.is_empty()
            && named
                .iter()
                .all(|m| !p.lead_models.contains(m) && self.leads.get(*m).is_some_and(|n| *n > 0))
    }

    /// Whether a product is of a kind: its title's phrases end in it, or its first
    /// phrase names it without going on to another kind ("Fitness Watch 1.69inch" is
    /// a watch, "Watch Bands" are bands).
    pub fn is_of_kind(&self, p: &Profile, kind: &str) -> bool {
        let shelved = |k: &str| {
            p.shelf.as_deref() == Some(k) && (self.titled_by_name(p) || self.shelf_only(k))
        };
        // A German shelf's kind that other titles name.
        let shelved_untitled =
            |k: &str| p.shelf_untitled.iter().any(|s| s == k) && self.kinds.contains_key(k);
        let of = |k: &str| {
            self.is_of_kind_as_titled(p, k)
                || shelved(k)
                || shelved_untitled(k)
                || narrower_kinds(k)
                    .iter()
                    .any(|n| self.is_of_kind_as_titled(p, n) || shelved(n))
        };
        // A name of two words is its head with the word before it in the title's
        // first phrase: a "Replacement Remote Control" is a remote.
        let of_name = |name: &str| match name.rsplit_once(' ') {
            None => of(name),
            Some((before, head)) => {
                let before = crate::catalog::kind::singular(before);
                of(head)
                    && p.first_phrase
                        .windows(2)
                        .any(|w| w[0] == before && w[1] == head)
            }
        };
        let lexicon = crate::nlu::lexicon::Lexicon::get();
        of(kind)
            || lexicon.same_kinds(kind).iter().any(|k| of_name(k))
            // A name that means more than the kind is it on the kind's shelf: an
            // "Apple 20W USB-C Power Adapter" on "Wall Chargers" is a charger.
            || p.shelf.as_deref() == Some(kind)
                && lexicon.synonyms(kind).iter().any(|k| of_name(k))
    }

    /// Whether a word is a shelf's kind ("Printers" → "printer"), whatever the
    /// titles on it say.
    pub fn is_shelf(&self, word: &str) -> bool {
        self.shelves.get(word).is_some_and(|n| *n > 0)
    }

    /// Whether a word is a shelf's kind that no title names or has ("Car Stereos"
    /// over "… Digital Media Receiver" and "… CD Receiver"): the shop's only word
    /// for what those products are, so a shopper's "car stereo" asks for them. Not a
    /// word the titles on it put before their name ("Popcorn › Microwave" over "…
    /// Microwave Popcorn Singles").
    pub fn shelf_only(&self, word: &str) -> bool {
        self.is_shelf(word)
            && self.heads(word) == 0
            && !self.mentions.contains_key(word)
            && self.titled_shelves.get(word).is_none_or(|n| *n == 0)
            && !self.is_coarse_shelf(word)
    }

    /// Whether a shelf holds many sorts of things, none of them most of it: a
    /// marketplace's department ("Computers" over SSDs, mice, keyboards, monitors,
    /// webcams and hubs), whose word is no kind of each. A shelf of one sort under
    /// several names ("Car Stereos" over "… Digital Media Receiver", "… CD
    /// Receiver") is not.
    fn is_coarse_shelf(&self, shelf: &str) -> bool {
        let Some(firsts) = self.shelf_firsts.get(shelf) else {
            return false;
        };
        let counts: Vec<usize> = firsts.values().copied().filter(|n| *n > 0).collect();
        let total: usize = counts.iter().sum();
        let most = counts.iter().copied().max().unwrap_or(0);
        counts.len() >= COARSE_SHELF_SORTS && most * 2 < total
    }

    /// Whether a title names its product by a line's name, not by a kind: its first
    /// head heads at most [`MAX_LISTINGS_OF_A_NAME`] titles and no shelf, and is
    /// written in camel case or is no thing the lexicon knows ("Apple iPad (10th
    /// Generation) 10.9-inch", "Kobo Clara 2E eReader", "Motorola Moto G Play 2024,
    /// 64GB"). Such a product is of the kind its shelf names ("Tablets",
    /// "Smartphones"), where a title that says what it is ("Telescopes for Kids …"
    /// on Binoculars, "Universal Kickstand" on Stands) outranks its shelf.
    fn titled_by_name(&self, p: &Profile) -> bool {
        // A title of a word or two ("Vostoktech", pen tips on Tablets) says too
        // little to take its shelf's word for it.
        p.words.len() >= 3
            && p.kinds.first().is_some_and(|k| {
                self.heads(k) <= MAX_LISTINGS_OF_A_NAME
                    && !self.shelves.contains_key(k)
                    && (p.named_by_line || !crate::nlu::lexicon::Lexicon::get().names_a_thing(k))
            })
    }

    /// [`Self::is_of_kind`] for a request's words: a brand's line named by a kind
    /// ([`Self::brand_line_of_kind`]) is of it only where the request names the
    /// brand with it ("apple tv", not "a 4k tv under 500").
    pub fn is_of_asked_kind(&self, p: &Profile, kind: &str, request: &str) -> bool {
        if !self.is_of_kind(p, kind) {
            return false;
        }
        !self.brand_line_of_kind(p, kind)
            || p.brand.as_deref().is_some_and(|b| {
                format!(" {} ", plain_words(request)).contains(&format!(" {b} {kind}"))
            })
    }

    /// Whether a title uses a kind only as its brand's line, the word right after
    /// the brand ("Apple TV 4K" on Streaming Media Players, "Nintendo Switch - OLED"
    /// on Consoles), where the other products of that kind are on another shelf
    /// (the televisions, the network switches): it is what its shelf says.
    fn brand_line_of_kind(&self, p: &Profile, kind: &str) -> bool {
        let (Some(shelf), Some(brand)) = (p.shelf.as_deref(), p.brand.as_deref()) else {
            return false;
        };
        let after_brand = p.first_phrase.first().is_some_and(|w| w == brand)
            && p.first_phrase.get(1).is_some_and(|w| w == kind);
        if !after_brand || shelf == kind || p.kinds.iter().any(|k| k == shelf) {
            return false;
        }
        let here = self
            .kind_shelves
            .get(&format!("{kind} {shelf}"))
            .copied()
            .unwrap_or(0);
        let elsewhere = self.heads(kind).saturating_sub(here);
        here <= 1 && elsewhere >= 2
    }

    /// The kind a word names things after in most titles that have it, where the
    /// word is no kind itself: "ink" → "cartridge" ("HP 67 Black Ink Cartridge"),
    /// "toner" → "cartridge".
    fn kind_named_after(&self, word: &str) -> Option<String> {
        let mentions = self.mentions.get(word).copied().unwrap_or(0);
        let prefix = format!("{word} ");
        self.modifiers
            .iter()
            .filter_map(|(key, n)| key.strip_prefix(&prefix).map(|k| (k, *n)))
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
            .filter(|(_, n)| n * 3 >= mentions.max(1) * 2)
            .map(|(k, _)| k.to_string())
    }

    /// [`Self::is_of_kind`] by the word itself, not by a narrower kind.
    fn is_of_kind_as_titled(&self, p: &Profile, kind: &str) -> bool {
        if p.kinds.iter().any(|k| k == kind) {
            return true;
        }
        // "Laptop Sleeve 15.6 Inch …" is a sleeve even where no other title heads
        // one: what is made to go with a product is always a kind of its own, also
        // a few words on, up to a spec or model: "TV Wall Mount" is a mount, while
        // "Fitness Watch 1.69inch Smart Bracelet" stays a watch.
        // The kind may be two words of the phrase written as one ("Sound Bar" for
        // "soundbar").
        // Not a cover its shelf has said is the device's own part ("Apple Watch …
        // Aluminium Case" on "Smartwatches", see `Profile::of`).
        let shelf_led = !p.accessory
            && p.shelf.is_some()
            && p.kinds.first() == p.shelf.as_ref()
            && !p.kinds.iter().any(|k| k.ends_with(kind));
        if shelf_led && is_accessory_kind(kind) {
            return false;
        }
        let words = &p.first_phrase;
        let joined = |i: usize| {
            words.get(i + 1).is_some_and(|next| {
                crate::catalog::kind::singular(&format!("{}{next}", words[i])) == kind
            })
        };
        (0..words.len()).any(|i| {
            let after = if words[i] == kind {
                i + 1
            } else if joined(i) {
                i + 2
            } else {
                return false;
            };
            // "Controller Charging Station": a kind after a word of what it does is
            // what the title is.
            let kind_at = |i: usize| {
                words
                    .get(i)
                    .is_some_and(|w| self.kinds.contains_key(w.as_str()))
            };
            let doing_then_kind =
                words.get(after).is_some_and(|w| w.ends_with("ing")) && kind_at(after + 1);
            !kind_at(after)
                && !doing_then_kind
                && !words[after..]
                    .iter()
                    .take_while(|next| !next.chars().any(|c| c.is_ascii_digit()))
                    .any(|next| goes_with_another(next))
        })
    }

    /// The kind a request asks for, when it names one this catalogue has.
    pub fn requested_kind(&self, normalised: &str) -> Option<String> {
        // "which tv has the biggest screen": the measure a superlative sorts by is
        // no kind, unless nothing else is ("the largest battery").
        if let Some(by) = crate::nlu::rules::specs::spec_sort(normalised) {
            let padded = format!(" {normalised} ");
            let without = padded.replacen(&format!(" {} ", by.word), " ", 1);
            // Unless the rest names what the shop only mentions ("which tv has the
            // biggest screen" where titles only say what a stand holds).
            let named = without.split_whitespace().any(|w| {
                let one = crate::catalog::kind::singular(w);
                !crate::nlu::understand::is_phrasing(w)
                    && (self.mentions.contains_key(&one) || self.kinds.contains_key(&one))
            });
            if without != padded && named {
                return self.kind_asked_in(without.trim());
            }
        }
        self.kind_asked_in(normalised)
    }

    /// [`Self::requested_kind`] of the words as they are.
    fn kind_asked_in(&self, normalised: &str) -> Option<String> {
        let plain = self.joined_kinds(&crate::nlu::rules::specs::without_specs(normalised));
        let plain = self.kinds_named_after(&plain);
        let known = |w: &str| {
            // "welche powerbank hat die …": phrasing is no kind, nor what titles
            // happen to write ("Die Cast").
            if crate::nlu::understand::is_phrasing(w) {
                return None;
            }
            let narrower = narrower_kinds(w).iter().any(|n| self.is_kind(n));
            let shelf_only = self.shelf_only(w);
            (narrower || shelf_only || self.mentions.contains_key(w) || self.kinds.contains_key(w))
                .then(|| narrower || shelf_only || self.is_kind(w))
        };
        // A German plural ("monitore", "sägen", "hüllen") asks for the kind its
        // singular names, in a shop whose titles are mostly not English ("women"
        // is no "wome" there).
        let plain = if self.mostly_english() {
            plain
        } else {
            plain
                .split_whitespace()
                .map(|w| {
                    let one = crate::catalog::kind::singular(w);
                    if known(&one).is_some() {
                        return w.to_string();
                    }
                    let stem = crate::catalog::kind::plural_stems(&one)
                        .find(|s| known(s) == Some(true))
                        .map(str::to_string);
                    stem.unwrap_or_else(|| w.to_string())
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        // "ram for this board" where RAM is sold as "… Memory": a synonym of a kind
        // is read as that kind later, so it names no thing of its own here.
        let a_thing = |w: &str| {
            crate::nlu::lexicon::Lexicon::get()
                .synonym_of_kind(w, &|k| self.is_kind(k))
                .is_none()
        };
        requested_kind_with(&plain, known, a_thing)
    }

    /// A request that asks for a word things are named after "for" another product,
    /// with that kind after it: "ink for my hp deskjet 2755e" asks for an ink
    /// cartridge, where "ink" is no kind but titles write "Ink Cartridge".
    fn kinds_named_after(&self, text: &str) -> String {
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut out: Vec<String> = Vec::with_capacity(words.len() + 1);
        for (i, w) in words.iter().enumerate() {
            out.push(w.to_string());
            let before_for = words
                .get(i + 1)
                .is_some_and(|n| matches!(*n, "for" | "für" | "fur" | "compatible"));
            let one = crate::catalog::kind::singular(w);
            if before_for && !self.is_kind(&one) {
                if let Some(k) = self.kind_named_after(&one) {
                    out.push(k);
                }
            }
        }
        out.join(" ")
    }

    /// A request with two neighbouring words written as one where titles write them
    /// so and that word is a kind here: "tooth brush" asks for a toothbrush, which
    /// the titles that part it ("Tooth Brush") are too (their joined head), while
    /// "brush" would leave out every "Toothbrush".
    fn joined_kinds(&self, text: &str) -> String {
        use crate::catalog::text::is_word_of_letters;
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut out: Vec<String> = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            // "e-reader" asks for what titles write "eReader".
            let whole = crate::catalog::kind::unhyphenated(words[i]);
            if whole != words[i] {
                let one = crate::catalog::kind::singular(&whole);
                if self.mentions.contains_key(&one) && self.is_kind(&one) {
                    out.push(one);
                    i += 1;
                    continue;
                }
            }
            if let Some(next) = words
                .get(i + 1)
                .filter(|n| is_word_of_letters(n) && is_word_of_letters(words[i]))
            {
                let joined = crate::catalog::kind::singular(&format!("{}{next}", words[i]));
                if self.mentions.contains_key(&joined) && self.is_kind(&joined) {
                    out.push(joined);
                    i += 2;
                    continue;
                }
            }
            out.push(words[i].to_string());
            i += 1;
        }
        out.join(" ")
    }

    /// Whether a token names a model here: some titles have it, and few enough that
    /// it is one product's listings, not a common word of many ("usb3", "4k").
    /// A size or a quantity with its unit ("4in", "10w") is none.
    fn is_model(&self, token: &str) -> bool {
        self.models
            .get(token)
            .is_some_and(|n| *n <= MAX_LISTINGS_OF_A_MODEL)
            && !size_like(token)
            && crate::catalog::specs::quantities(token).is_empty()
    }

    /// The request's tokens that name models of this catalogue: each alone, and two
    /// neighbours written apart that a title writes together ("rtx 4060" → "rtx4060").
    pub fn requested_models(&self, normalised: &str) -> Vec<String> {
        let words: Vec<&str> = normalised.split_whitespace().collect();
        let mut out: Vec<String> = Vec::new();
        for (i, w) in model_candidates(&words) {
            // "iphone 15 pro" is the iPhone 15 Pro ("iphone15pro"), not the 15; where
            // no title has it as one model, it is asked by line and number
            // ([`Self::requested_lines`]).
            let suffixes = model_suffixes(words.get(i + 2..).unwrap_or_default());
            // "a 12 foot rca cord": a number with its unit is a length, not the
            // "A12" of a Galaxy.
            let joined = words
                .get(i + 1)
                .filter(|_| !number_with_unit(&words, i + 1))
                .map(|next| (fold(&format!("{w}{next}")), MODEL_SUFFIXES.contains(next)))
                .and_then(|(j, suffix)| {
                    if suffixes.is_empty() {
                        return self.is_model(&j).then_some((j, suffix));
                    }
                    let whole = format!("{j}{suffixes}");
                    self.is_model(&whole).then_some((whole, true))
                });
            // "4060 ti" names the Ti alone, not the 4060 as well.
            if !joined.as_ref().is_some_and(|(_, suffix)| *suffix) {
                // A hyphenated model the titles have whole ("i5-13600k") is that
                // model, not also its parts ("i5").
                let tokens = model_tokens(w);
                let whole = tokens
                    .first()
                    .filter(|t| self.is_model(t) && t.contains('-'));
                let tokens = match whole {
                    Some(t) => vec![t.clone()],
                    None => tokens,
                };
                // "wh1000xm4": the "WH-1000XM4" titles write with its hyphen.
                let tokens: Vec<String> = tokens
                    .into_iter()
                    .map(|t| {
                        if self.is_model(&t) || t.contains('-') {
                            return t;
                        }
                        self.hyphenated_model(&t).unwrap_or(t)
                    })
                    .collect();
                for t in tokens {
                    if self.is_model(&t) && !out.contains(&t) {
                        out.push(t);
                    }
                }
            }
            if let Some((joined, _)) = joined {
                if !out.contains(&joined) {
                    out.push(joined);
                }
            }
        }
        out
    }

    /// The model titles write with hyphens that a token written without them is
    /// ("wh1000xm4" → "wh-1000xm4").
    fn hyphenated_model(&self, token: &str) -> Option<String> {
        let mut found = self
            .spelt_with_hyphens(token)
            .filter(|k| k.contains('-') && self.is_model(k));
        let first = found.next()?.clone();
        // Two spellings apart ("a-b1", "ab-1") are no one model.
        found.next().is_none().then_some(first)
    }

    /// The model tokens of titles that are `plain` with their hyphens left out
    /// ("wh-1000xm4" for "wh1000xm4"; "a25" itself for "a25").
    fn spelt_with_hyphens<'a>(&'a self, plain: &'a str) -> impl Iterator<Item = &'a String> {
        self.models
            .keys()
            .filter(move |k| k.replace('-', "") == plain)
    }

    /// The devices a request names by their line and a number that no title here
    /// writes as one model ("iphone 13", "galaxy tab 4"): (line, number), for an
    /// accessory that must be made for it. The line is a word the titles use
    /// (`uses`) and no common word; the number has one or two
    /// digits and no unit, and names no price.
    pub fn requested_lines(&self, normalised: &str, uses: impl Fn(&str) -> bool) -> Vec<LineWish> {
        let words: Vec<&str> = normalised.split_whitespace().collect();
        let candidates = model_candidates(&words);
        let mut out = Vec::new();
        for (i, n) in candidates {
            // "ipad pro 11", "ipad mini 6": the line before the word of its range, as
            // titles write it ("iPad Pro 11 inch", where [`line_numbers`] skips "pro").
            let back = match i.checked_sub(2).map(|j| (words[j], fold(words[j + 1]))) {
                Some((line, between))
                    if MODEL_SUFFIXES.contains(&between.as_str()) && is_line_word(line) =>
                {
                    2
                }
                _ => 1,
            };
            let Some(line) = i.checked_sub(back).map(|j| words[j]) else {
                continue;
            };
            let line_fold = fold(line);
            if !(1..=2).contains(&n.len())
                || !n.chars().all(|c| c.is_ascii_digit())
                || !is_line_word(line)
                || crate::nlu::language::is_common_word(line)
                || !uses(line)
            {
                continue;
            }
            // "iphone 15 pro": the 15 Pro.
            let number = format!("{n}{}", model_suffixes(&words[i + 1..]));
            if self.models.contains_key(&format!("{line_fold}{number}")) {
                continue;
            }
            let wish = LineWish {
                line: line_fold,
                number,
                named: false,
            };
            if !out.contains(&wish) {
                out.push(wish);
            }
        }
        out
    }

    /// The request's words that name a model no title here has, in the part that
    /// names the product (not after "for" or "with"): a token of letters and at
    /// least two digits ("srs-xb43", "a99"), or a number of three or more digits
    /// after a word the titles use (`uses`) that is no common word ("anker 737",
    /// "rtx 5090"; not "the 2022 model"). Written with or without hyphens, a model
    /// some title has is known ("wh1000xm4" is "WH-1000XM4").
    pub fn unknown_models(&self, normalised: &str, uses: impl Fn(&str) -> bool) -> Vec<String> {
        let words: Vec<&str> = normalised.split_whitespace().collect();
        let end = words
            .iter()
            .position(|w| AFTER_THE_PRODUCT.contains(w))
            .unwrap_or(words.len());
        let known = |t: &str| {
            let plain = t.replace('-', "");
            self.models.contains_key(t) || self.spelt_with_hyphens(&plain).next().is_some()
        };
        let mut out = Vec::new();
        for (i, w) in model_candidates(&words[..end]) {
            let w = fold(w);
            let digits = w.chars().filter(char::is_ascii_digit).count();
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            let after_a_name = || {
                i > 0
                    && words[i - 1].chars().all(char::is_alphabetic)
                    && !crate::nlu::language::is_common_word(words[i - 1])
                    && uses(words[i - 1])
            };
            // "jbl charge 4" where the shop has the Charge 5: another number of a
            // line its titles have.
            // "jbl flip 5" where a title lists the "Go Flip 4" late in it: a number
            // titles give the line, too.
            let of_a_known_line = || {
                let line = fold(words[i - 1]);
                letters == 0
                    && (1..=2).contains(&digits)
                    && is_line_word(words[i - 1])
                    && (self.models.keys().any(|k| {
                        k.strip_prefix(line.as_str())
                            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                    }) || self.numbered_lines.keys().any(|k| {
                        k.strip_prefix(line.as_str())
                            .is_some_and(|n| n.starts_with(' '))
                    }))
                    && !self.numbered_lines.contains_key(&format!("{line} {w}"))
            };
            let model_like = (letters > 0 && digits >= 2)
                || (letters == 0 && digits >= 3 && after_a_name())
                // "galaxy s7", "moto g5": a letter and a digit after a line's name.
                || ((1..=2).contains(&letters) && digits == 1 && after_a_name())
                || (i > 0 && of_a_known_line());
            // "144hz", "240fps", "12v": a number with a unit written on to it.
            let unit_on = {
                let suffix = w.trim_start_matches(|c: char| c.is_ascii_digit());
                suffix.len() < w.len()
                    && suffix.chars().all(|c| c.is_ascii_alphabetic())
                    && ((2..=4).contains(&suffix.len())
                        || ["v", "a", "w", "k", "p"].contains(&suffix))
            };
            let ordinal = ["st", "nd", "rd", "th"].iter().any(|e| {
                w.strip_suffix(e)
                    .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
            });
            let joined_known = words
                .get(i + 1)
                .is_some_and(|next| known(&fold(&format!("{w}{next}"))))
                || (i > 0 && known(&fold(&format!("{}{w}", words[i - 1]))));
            if !model_like
                || unit_on
                || ordinal
                || joined_known
                || !crate::catalog::specs::connectors(&w).is_empty()
                || model_tokens(&w)
                    .iter()
                    .any(|t| t.chars().any(|c| c.is_ascii_digit()) && known(t))
            {
                continue;
            }
            out.push(w);
        }
        out
    }
}

/// The numbers of a product line that a title says it is made for ("Case for iPhone
/// 12/12 Pro/12 mini" → 12; "for iPhone (13/12/11/XR/8)" → 13, 12, 11, 8): after
/// each mention of the line, its numbers and the names of its models, up to the
/// first other word. None when the title names no number of the line.
pub fn line_numbers(title: &str, line: &str) -> Option<Vec<String>> {
    let tokens: Vec<String> = title_tokens(title).map(fold).collect();
    let mut out: Vec<String> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if t != line {
            continue;
        }
        let after = &tokens[i + 1..];
        for (k, next) in after.iter().enumerate() {
            // A size of the line written with its decimal ("iPad Pro 10.5") is one
            // of its numbers too, not the end of the list; with its unit after it
            // ("iPhone Xs Max 6.5 Inch") it is a screen's size.
            let decimal = next.split_once('.').is_some_and(|(a, b)| {
                (1..=2).contains(&a.len())
                    && b.len() == 1
                    && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
            }) && !after.get(k + 1).is_some_and(|unit| {
                !crate::catalog::specs::quantities(&format!("{next} {unit}")).is_empty()
            });
            if decimal || next.len() <= 3 && next.chars().all(|c| c.is_ascii_digit()) {
                // "15 Pro" is the 15 Pro, not the 15: the number with its suffixes.
                let number = format!("{next}{}", model_suffixes(&after[k + 1..]));
                if !out.contains(&number) {
                    out.push(number);
                }
            } else if next != line
                && !MODEL_SUFFIXES.contains(&next.as_str())
                && !LINE_MODEL_WORDS.contains(&next.as_str())
            {
                break;
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A device an accessory must be made for, by its line and number ("iphone 13").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineWish {
    /// The line, folded ("iphone").
    pub line: String,
    /// Its number ("13").
    pub number: String,
    /// Whether a title must name the line: so for cases, bands and protectors, made
    /// for one device; a charger "for iphone 13" need only not be made for others.
    #[serde(default)]
    pub named: bool,
}

impl LineWish {
    /// Whether a title is for this device: it lists no other numbers of the line
    /// without this one, and names the line when that is asked.
    pub fn met_by(&self, title: &str) -> bool {
        match line_numbers(title, &self.line) {
            Some(numbers) => numbers.contains(&self.number),
            None => !self.named || plain_words(title).split(' ').any(|w| w == self.line),
        }
    }
}

/// Whether a title names a line's model written as one token ("iphone12") in a list
/// of the line's numbers anywhere in it ("Protector for iPhone 11 Pro Max/12"),
/// where [`title_models`] joins a line and its number only near the start.
pub fn names_line_model(title: &str, model: &str) -> bool {
    split_line_model(model).is_some_and(|(line, number)| {
        line_numbers(title, line).is_some_and(|ns| ns.iter().any(|n| n == number))
    })
}

/// A line's model written as one token, as its line and number ("iphone12" →
/// "iphone", "12"); None for other models ("7700x", "a25").
pub fn split_line_model(model: &str) -> Option<(&str, &str)> {
    let at = model.find(|c: char| c.is_ascii_digit())?;
    let (line, number) = model.split_at(at);
    let digits = number.chars().take_while(char::is_ascii_digit).count();
    (line.chars().count() >= 3
        && line.chars().all(char::is_alphabetic)
        && (1..=2).contains(&digits)
        && only_suffixes(&number[digits..]))
    .then_some((line, number))
}

/// The [`MODEL_SUFFIXES`] that words start with, written together ("pro", "max" …
/// → "promax"): what follows a model's number and makes it another model.
fn model_suffixes<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> String {
    words
        .into_iter()
        .take_while(|s| MODEL_SUFFIXES.contains(&s.as_ref()))
        .map(|s| s.as_ref().to_string())
        .collect()
}

/// Whether a text is [`MODEL_SUFFIXES`] written together ("", "pro", "promax").
fn only_suffixes(text: &str) -> bool {
    text.is_empty()
        || MODEL_SUFFIXES
            .iter()
            .any(|s| text.strip_prefix(s).is_some_and(only_suffixes))
}

/// A text's words, folded and joined by single spaces ("WD_BLACK (2TB)" → "wd black
/// 2tb"): brands and titles compared word for word.
pub fn plain_words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words a list of a line's models has between its numbers ("iPhone 12/Pro/Max/11/
/// X/XR/SE", "Galaxy S22 Plus and S21").
const LINE_MODEL_WORDS: &[&str] = &[
    "x", "xr", "xs", "se", "s", "e", "c", "and", "und", "or", "5g",
];

/// Words after which a request names what the product is for or comes with.
const AFTER_THE_PRODUCT: &[&str] = &[
    "for",
    "with",
    "compatible",
    "fits",
    "für",
    "fuer",
    "mit",
    "passend",
    "kompatibel",
];

/// Whether the word at `i` is a number with its unit after it ("650 watt", "27
/// inch"; "4070 in stock" is no length).
fn number_with_unit(words: &[&str], i: usize) -> bool {
    let w = words[i];
    words.get(i + 1).is_some_and(|_| {
        let after = words[i + 1..words.len().min(i + 3)].join(" ");
        crate::catalog::specs::quantities(&format!("{w} {after}"))
            .iter()
            .any(|(_, r)| r.start == 0 && r.end > w.len())
    })
}

/// The words of a request that may name a model, with their places: not a price,
/// a size, an option's value nor a quantity with its unit.
fn model_candidates<'a>(words: &[&'a str]) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        // A number that is a price or a quantity with its unit names no model.
        let money =
            |j: Option<&&str>| j.is_some_and(|n| PRICE_WORDS.contains(n) || n.starts_with('$'));
        if w.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
            && (money(words.get(i + 1)) || (i > 0 && money(words.get(i - 1))))
        {
            continue;
        }
        // Sizes ("3x-large", "2x", "12x16") and the value after "color" or "size"
        // ("color: a3-army green") are options, not models.
        let option_value = i > 0 && OPTION_WORDS.contains(&words[i - 1]);
        // "650 watt", "27 inch": a number with its unit after it is a spec.
        // The word after the unit too: "4070 in stock" is no length.
        let with_unit = number_with_unit(words, i);
        // A size's letter before a number may open a model written apart: the "x
        // 20" of a spoken "deco x twenty".
        let opens_model = words
            .get(i + 1)
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()));
        if option_value
            || with_unit
            || (size_like(w) && !opens_model)
            || !crate::catalog::specs::quantities(w).is_empty()
        {
            continue;
        }
        out.push((i, *w));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cartridge_s_xl_is_its_model_and_a_shirt_s_is_its_size() {
        for size in ["xl", "2xl", "5xl", "xx-large", "42l", "3x", "12x16"] {
            assert!(size_like(size), "{size}");
        }
        for model in ["67xl", "910xl", "a25", "5900x"] {
            assert!(!size_like(model), "{model}");
        }
    }

    #[test]
    fn a_shelf_of_many_sorts_names_no_kind_of_each_and_one_of_one_sort_does() {
        let product = |id: &str, title: &str, shelf: &str| {
            let p: Product = serde_json::from_value(serde_json::json!({
                "id": id, "title": title, "category": ["Electronics", shelf],
                "price": 100, "currency": "USD", "language": "en",
            }))
            .unwrap();
            Profile::of(&p)
        };
        let mut v = Vocabulary::default();
        let mouse = product("1", "Logitech G502 HERO Wired Gaming Mouse", "Computers");
        let receiver = product(
            "5",
            "Kenwood DMX4707S Digital Multimedia Receiver",
            "Car Stereos",
        );
        for p in [
            &mouse,
            &product("2", "Redragon K552 Mechanical Gaming Keyboard", "Computers"),
            &product("3", "Crucial BX500 480GB SATA Internal SSD", "Computers"),
            &product("4", "Dell S2421HN 24 Inch Full HD Monitor", "Computers"),
            &receiver,
            &product("6", "Pioneer DEH-S4200BT CD Receiver", "Car Stereos"),
        ] {
            v.add(p);
        }
        // "Computers" holds four sorts, none of them most: a mouse is no computer.
        assert!(!v.is_of_kind(&mouse, "computer"));
        assert!(v.is_of_kind(&mouse, "mouse"));
        // "Car Stereos" holds receivers only: the shop's word for them.
        assert!(v.is_of_kind(&receiver, "stereo"));
    }

    #[test]
    fn a_brand_is_named_also_when_its_number_word_was_read_as_digits() {
        let mut v = Vocabulary::default();
        for (id, title, brand) in [
            (
                "1",
                "Zero-G 4001-50 Kink-Free Garden Hose, 50-Feet",
                "Zero-G",
            ),
            ("2", "Flexzilla Garden Hose 5/8 in. x 50 ft", "Flexzilla"),
            ("3", "ONE Portable Speaker", "One"),
        ] {
            let p: Product = serde_json::from_value(serde_json::json!({
                "id": id, "title": title, "brand": brand,
                "price": 100, "currency": "USD", "language": "en",
            }))
            .unwrap();
            v.add(&Profile::of(&p));
        }
        // Voice "got the zero g hose" is normalised to "got the 0 g hose".
        assert_eq!(
            v.requested_brand("got the 0 g hose").as_deref(),
            Some("zero g")
        );
        assert_eq!(
            v.requested_brand("flexzilla hose").as_deref(),
            Some("flexzilla")
        );
        // A brand that is only a number word is not named by a "1".
        assert_eq!(v.requested_brand("1 garden hose"), None);
    }

    #[test]
    fn a_shop_type_is_what_titles_share_in_the_catalogues_words() {
        let product = |id: &str, title: &str, en: Option<&str>, brand: &str, language: &str| {
            serde_json::from_value::<Product>(serde_json::json!({
                "id": id, "title": title, "title_en": en, "brand": brand,
                "price": 100, "currency": "EUR", "language": language,
            }))
            .unwrap()
        };
        let products = [
            product(
                "1",
                "Regenjacke Nordkap",
                Some("Rain jacket Nordkap"),
                "Alpenwind",
                "de",
            ),
            product(
                "2",
                "Regenjacke Amrum",
                Some("Rain jacket Amrum"),
                "Regenbogen",
                "de",
            ),
            product(
                "3",
                "T-Shirt Kiesel",
                Some("T-shirt Kiesel"),
                "Alpenwind",
                "de",
            ),
            product("4", "T-Shirt Föhn", None, "Regenbogen", "de"),
            product(
                "5",
                "Holzeisenbahn Pixel",
                Some("Wooden railway Pixel"),
                "Spielwerk",
                "de",
            ),
            product("6", "Nordwand Zelt 2P", None, "Nordwand", "de"),
            product("7", "Nordwand Schlafsack", None, "Nordwand", "de"),
            product("8", "Anker USB C Cable, 6ft Braided", None, "Anker", "en"),
        ];
        let mut vocabulary = Vocabulary::default();
        let profiles: Vec<Profile> = products.iter().map(Profile::of).collect();
        for p in &profiles {
            vocabulary.add(p);
        }
        let of = |i: usize| vocabulary.shop_type(&products[i], &profiles[i]);
        let t = of(0).expect("two rain jackets are a type");
        assert_eq!(
            (t.key.as_str(), t.name.as_str()),
            ("regenjacke", "Regenjacke")
        );
        assert_eq!(t.name_en.as_deref(), Some("Rain jacket"));
        assert_eq!(
            of(1).unwrap().key,
            "regenjacke",
            "the same type for the other"
        );
        let t = of(2).expect("a hyphenated word is one type");
        assert_eq!((t.key.as_str(), t.name.as_str()), ("t shirt", "T-Shirt"));
        assert_eq!(t.name_en.as_deref(), Some("T-shirt"));
        assert_eq!(
            of(3).unwrap().name_en,
            None,
            "no English title, no English name"
        );
        assert_eq!(of(4), None, "a product alone of its kind has no type");
        assert_eq!(of(5), None, "a brand both titles start with is no type");
        assert_eq!(of(7).unwrap().name, "cable", "an English title's head kind");
        // A product removed takes its stems along.
        vocabulary.remove(&profiles[1]);
        assert_eq!(vocabulary.shop_type(&products[0], &profiles[0]), None);
    }

    /// A vocabulary of English products, each a title on a shelf.
    fn shelved(items: &[(&str, &str)]) -> (Vocabulary, Vec<Profile>) {
        let branded: Vec<(&str, &str, &str)> = items.iter().map(|(t, s)| (*t, *s, "")).collect();
        shelved_by(&branded)
    }

    /// [`shelved`] with each product's brand ("" for none).
    fn shelved_by(items: &[(&str, &str, &str)]) -> (Vocabulary, Vec<Profile>) {
        let profiles: Vec<Profile> = items
            .iter()
            .enumerate()
            .map(|(i, (title, shelf, brand))| {
                Profile::of(
                    &serde_json::from_value::<Product>(serde_json::json!({
                        "id": i.to_string(), "title": title, "price": 100,
                        "brand": (!brand.is_empty()).then_some(brand),
                        "currency": "USD", "language": "en",
                        "category": ["Electronics", shelf],
                    }))
                    .unwrap(),
                )
            })
            .collect();
        let mut v = Vocabulary::default();
        for p in &profiles {
            v.add(p);
        }
        (v, profiles)
    }

    #[test]
    fn a_stand_named_after_a_thing_its_title_heads_again_leads_as_that_thing() {
        let (v, _) = shelved(&[
            (
                "UBeesize 67'' Phone Tripod Stand with Wireless Remote, Extendable Cell Phone Tripod",
                "",
            ),
            ("Amazon Basics Adjustable Laptop Stand, Aluminium", ""),
        ]);
        assert!(v.leads_as_kind("tripod") > 0);
        assert_eq!(v.leads_as_kind("laptop"), 0);
    }

    #[test]
    fn a_shelf_of_parts_and_accessories_holds_accessories_and_one_of_pc_parts_does_not() {
        let product = |title: &str, shelf: &str| {
            Profile::of(
                &serde_json::from_value::<Product>(serde_json::json!({
                    "id": "1", "title": title, "price": 100, "currency": "USD",
                    "language": "en", "category": ["Home", shelf],
                }))
                .unwrap(),
            )
        };
        let battery = product(
            "Dyson V8 Replacement Battery, Fits V8 Absolute and Animal",
            "Vacuum Parts & Accessories",
        );
        assert!(battery.accessory);
        let cpu = product(
            "AMD Ryzen 7 5800X 8-Core, 16-Thread Unlocked Desktop Processor",
            "PC Parts",
        );
        assert!(!cpu.accessory, "{:?}", cpu.kinds);
    }

    #[test]
    fn a_watch_whose_title_ends_in_its_own_case_is_what_its_shelf_says() {
        let (v, p) = shelved(&[
            (
                "Apple Watch Series 9 GPS 45mm Midnight Aluminium Case with Sport Band",
                "Smartwatches",
            ),
            (
                "Samsung Galaxy Watch6 44mm Bluetooth Smartwatch",
                "Smartwatches",
            ),
            (
                "Spigen Rugged Armor Case for Apple Watch 45mm/44mm",
                "Watch Accessories",
            ),
        ]);
        assert!(v.is_of_kind(&p[0], "smartwatch"), "{:?}", p[0].kinds);
        assert!(!v.is_of_kind(&p[0], "case"), "{:?}", p[0].kinds);
        assert!(!p[0].accessory);
        assert!(v.is_of_kind(&p[2], "case"));
    }

    #[test]
    fn an_english_type_is_a_kind_other_titles_head_named_as_they_name_it() {
        let (v, p) = shelved(&[
            ("Baseus Magnetic Power Bank, 10,000mAh", "Batteries"),
            ("Anker Power Bank 20000mAh, Portable Charger", "Batteries"),
            ("Coralpearl Inflatable Hanger Travel X 4", "Coat Hangers"),
            ("Wooden Hanger for Coats, 10 Pack", "Coat Hangers"),
            ("Amazon Basics AAA Battery 24 Pack", "Batteries"),
        ]);
        let type_of = |i: usize| v.english_type(&p[i]);
        // Named as two titles name it.
        assert_eq!(type_of(0).as_deref(), Some("power bank"));
        assert_eq!(type_of(1).as_deref(), Some("power bank"));
        // A title that runs on past its kind: the kind its shelf names.
        assert_eq!(type_of(2).as_deref(), Some("hanger"));
        assert_eq!(type_of(4).as_deref(), Some("battery"));
    }

    #[test]
    fn a_title_that_names_its_line_is_of_its_shelfs_kind_and_one_that_says_what_it_is_is_not() {
        let (v, p) = shelved(&[
            (
                "Apple iPad (10th Generation) 10.9-inch Wi-Fi 64GB, Blue",
                "Tablets",
            ),
            ("Samsung Galaxy Tab A9+ 11\" 64GB Android Tablet", "Tablets"),
            (
                "Kobo Clara 2E eReader, 6\" Glare-Free Touchscreen",
                "E-Readers",
            ),
            ("Telescopes for Kids with Portable Tripod", "Binoculars"),
            ("Bushnell 10x42 Binoculars", "Binoculars"),
        ]);
        assert!(v.is_of_kind(&p[0], "tablet"), "{:?}", p[0].kinds);
        assert!(v.is_of_kind(&p[1], "tablet"));
        assert!(!v.is_of_kind(&p[3], "binocular"), "{:?}", p[3].kinds);
        // The shelf "E-Readers" is the eReader's kind, and a shopper's "e-reader" asks
        // for it.
        assert!(v.is_of_kind(&p[2], "ereader"), "{:?}", p[2].shelf);
        assert_eq!(
            v.requested_kind("cheapest e-reader").as_deref(),
            Some("ereader")
        );
        // Removing a product takes its shelf along.
        let mut v = v;
        v.remove(&p[1]);
        v.remove(&p[0]);
        assert!(!v.shelves.contains_key("tablet"));
    }

    #[test]
    fn a_kind_a_brand_names_its_line_by_is_no_kind_of_it_unless_asked_with_the_brand() {
        let items = [
            ("TCL 55-Inch Class S4 4K LED Smart TV", "Televisions", "TCL"),
            (
                "Hisense 43-Inch Class A4 Series FHD 1080p Smart TV",
                "Televisions",
                "Hisense",
            ),
            (
                "Apple TV 4K (3rd Generation) Wi-Fi with 64GB Storage",
                "Streaming Media Players",
                "Apple",
            ),
        ];
        let (mut v, profiles) = shelved_by(&items);
        assert!(v.is_of_asked_kind(&profiles[0], "tv", "a 4k tv under 500"));
        assert!(!v.is_of_asked_kind(&profiles[2], "tv", "a 4k tv under 500"));
        assert!(v.is_of_asked_kind(&profiles[2], "tv", "the apple tv 4k"));
        // With one other TV on another shelf, the word is no one shelf's kind yet.
        v.remove(&profiles[1]);
        assert!(v.is_of_asked_kind(&profiles[2], "tv", "a tv"));
    }

    #[test]
    fn a_word_things_are_named_after_asks_for_that_kind_for_another_product() {
        let (v, _) = shelved(&[
            (
                "HP 67 Black Ink Cartridge (3YM56AN) for HP DeskJet 2755e",
                "Ink Cartridges",
            ),
            (
                "Brother TN760 High Yield Black Toner Cartridge for HL-L2350DW",
                "Toner Cartridges",
            ),
            (
                "HP DeskJet 2755e Wireless All-in-One Color Inkjet Printer",
                "Printers",
            ),
        ]);
        assert_eq!(
            v.requested_kind("ink for my hp deskjet 2755e").as_deref(),
            Some("cartridge")
        );
        assert_eq!(
            v.requested_kind("toner for the brother hl-l2350dw")
                .as_deref(),
            Some("cartridge")
        );
        // Not without a product it is for: "ink" alone names no kind.
        assert_eq!(v.requested_kind("black ink"), None);
    }

    #[test]
    fn a_word_only_put_before_the_titles_own_kind_is_no_mention() {
        let kinds = vec!["band".to_string()];
        let words = name_uses("Watch Bands Compatible with Apple Watch Band 44mm", &kinds);
        assert!(!words.contains(&"watch".to_string()), "{words:?}");
        assert!(words.contains(&"band".to_string()), "{words:?}");
        assert!(
            !words.contains(&"apple".to_string()),
            "what it fits is no mention: {words:?}"
        );
        let kinds = vec!["bracelet".to_string()];
        let words = name_uses("Fitness Watch 1.69inch Smart Bracelet", &kinds);
        assert!(words.contains(&"watch".to_string()), "{words:?}");
    }

    #[test]
    fn a_description_says_which_models_a_product_is_for() {
        assert_eq!(
            described_fits("Yields about 3,000 pages; for HL-L2350DW, HL-L2390DW."),
            vec!["hl-l2350dw", "l2350dw", "hl-l2390dw", "l2390dw"]
        );
        // Sizes and powers are no models; nothing after the sentence's end is.
        assert!(
            described_fits("A case for 45mm and 44mm watches, 20W. Fits ET-2800 too")
                .contains(&"et-2800".to_string())
        );
        assert!(!described_fits("A case for 45mm and 44mm watches, 20W.")
            .iter()
            .any(|m| m.contains("mm")));
        assert!(described_fits("Shock-proof, made in 2023.").is_empty());
        // Numbers listed after a line's name are its models; a count is none.
        assert_eq!(
            described_fits("Fits Roomba 614, 650, 675, 690 and 694."),
            vec!["614", "650", "675", "690", "694"]
        );
        assert!(described_fits("A tent for 4 people and 2000 mm of rain.").is_empty());
    }

    #[test]
    fn model_tokens_are_the_title_tokens_with_digits() {
        assert_eq!(
            model_tokens(
                "Anker 10W Max Wireless Charger, 2 Pack 313 Wireless Charger (QG-CBL-HD20)"
            ),
            vec!["10w", "313", "qg-cbl-hd20", "hd20"]
        );
        assert!(model_tokens("Rain jacket Nordkap, 2 pack").is_empty());
        assert_eq!(
            title_models("ZOTAC GeForce RTX 4060 Ti 8GB GDDR6 Twin Edge"),
            vec!["4060ti", "8gb", "gddr6"]
        );
    }

    #[test]
    fn a_titles_line_numbers_are_those_listed_after_the_line() {
        let of = |t: &str| line_numbers(t, "iphone");
        // A number with a suffix of its line is that model: a 12 Pro Max case does
        // not fit the 12.
        assert_eq!(
            of("PEEL Ultra Thin iPhone 12 Pro Max Case, Black"),
            Some(vec!["12promax".to_string()])
        );
        assert_eq!(
            of("Flash Drive for iPhone (13/12/12 pro/11/XR/X/8/7) iPhone Memory Stick").unwrap(),
            ["13", "12", "12pro", "11", "8", "7"]
        );
        assert_eq!(
            of("OTAO Screen Protector for iPhone 11 Pro Max/iPhone Xs Max 6.5 Inch"),
            Some(vec!["11promax".to_string()])
        );
        let for_15 = LineWish {
            line: "iphone".into(),
            number: "15".into(),
            named: true,
        };
        assert!(for_15.met_by("Spigen Ultra Hybrid Case for iPhone 15 - Clear"));
        assert!(!for_15.met_by("OtterBox Defender Series Case for iPhone 15 Pro - Black"));
        let for_15_pro = LineWish {
            number: "15pro".into(),
            ..for_15
        };
        assert!(for_15_pro.met_by("OtterBox Defender Series Case for iPhone 15 Pro - Black"));
        assert_eq!(split_line_model("iphone15pro"), Some(("iphone", "15pro")));
        assert_eq!(split_line_model("iphone15x"), None);
        assert_eq!(of("Mini Projector for iPhone, 1080p Supported"), None);
        assert_eq!(of("Universal Stylus Pen"), None);
    }

    #[test]
    fn a_product_line_and_its_number_near_the_start_are_one_model() {
        let models = title_models("JBL Charge 5 Portable Waterproof Speaker, 2 Pack");
        assert!(models.contains(&"charge5".to_string()), "{models:?}");
        assert!(!models.contains(&"pack2".to_string()), "{models:?}");
        let models = title_models("Google Pixel 7 128GB");
        assert!(models.contains(&"pixel7".to_string()), "{models:?}");
        // A line of two letters after the name of another.
        let models = title_models("Amazon Fire HD 10 tablet, 10.1\", 32 GB");
        assert!(models.contains(&"hd10".to_string()), "{models:?}");
        let models = title_models("Insignia 32-inch Class Smart HD 720p Fire TV");
        assert!(!models.iter().any(|m| m.starts_with("hd")), "{models:?}");
        let models = title_models("The TV 55 Mount");
        assert!(!models.contains(&"tv55".to_string()), "{models:?}");
        // With a suffix of its line it is another model.
        let models = title_models("Google Pixel 7 Pro 128GB");
        assert!(models.contains(&"pixel7pro".to_string()), "{models:?}");
        assert!(!models.contains(&"pixel7".to_string()), "{models:?}");
        // A count, a technology's version or a number with its unit is no model.
        for title in [
            "Bluetooth 5 Headphones Over Ear",
            "Pack 2 HDMI Cables",
            "Cable 10 ft HDMI",
            "Gen 4 Speaker",
        ] {
            let models = title_models(title);
            assert!(models.is_empty(), "{title}: {models:?}");
        }
    }

    #[test]
    fn the_measure_a_superlative_sorts_by_is_no_kind() {
        let (v, _) = shelved(&[
            (
                "Baseus Magnetic Power Bank, 10,000mAh Wireless Portable Charger",
                "Batteries",
            ),
            ("Anker Power Bank 20000mAh Portable Charger", "Batteries"),
            (
                "Projector Screen 100 Inch Portable Foldable",
                "Projection Screens",
            ),
            (
                "Portable Projection Screen 4:3 Roll-Down",
                "Projection Screens",
            ),
            ("AA Battery 24 Pack Alkaline", "Batteries"),
            ("AAA Battery 12 Pack", "Batteries"),
            ("Samsung 55 Inch Crystal UHD Smart TV", "Televisions"),
            ("LG 65 Inch OLED TV", "Televisions"),
            ("Die Cast Model Car 1:24", "Toys"),
        ]);
        for (asked, kind) in [
            ("which power bank has the biggest capacity", "bank"),
            ("welche power bank hat die größte kapazität", "bank"),
            ("the largest battery", "battery"),
            ("the projection screen with the biggest screen", "screen"),
            ("which tv has the biggest screen", "tv"),
        ] {
            assert_eq!(v.requested_kind(asked).as_deref(), Some(kind), "{asked}");
        }
    }

    #[test]
    fn a_phone_asked_for_is_also_a_smartphone_but_headphones_are_not_phones() {
        let mut v = Vocabulary::default();
        let of = |title: &str| Profile {
            kinds: title_kinds(title, None),
            words: name_uses(title, &title_kinds(title, None)),
            first_phrase: first_phrase(title),
            english: true,
            ..Default::default()
        };
        let phones = [
            of("Samsung Galaxy A55 5G 256GB Unlocked Smartphone"),
            of("Motorola Moto G Play Smartphone"),
            of("Google Pixel 8a Unlocked Android Smartphone"),
        ];
        let headphones = of("Sony WH-1000XM5 Wireless Headphones");
        for p in phones.iter().chain([&headphones]) {
            v.add(p);
        }
        assert_eq!(
            v.requested_kind("most expensive phone").as_deref(),
            Some("phone")
        );
        assert!(phones.iter().all(|p| v.is_of_kind(p, "phone")));
        assert!(!v.is_of_kind(&headphones, "phone"));
        assert!(!v.is_of_kind(&phones[0], "watch"));
    }

    #[test]
    fn a_device_by_line_and_number_is_asked_unless_a_title_has_it_as_one_model() {
        let mut v = Vocabulary::default();
        for title in [
            "PEEL iPhone 12 Case",
            "Baseus Magnetic Power Bank, for iPhone 13/12",
        ] {
            v.add(&Profile {
                models: title_models(title),
                ..Default::default()
            });
        }
        let uses = |w: &str| ["iphone", "case", "bank"].contains(&w);
        let lines = v.requested_lines("iphone 13 case", uses);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(
            (lines[0].line.as_str(), lines[0].number.as_str()),
            ("iphone", "13")
        );
        // "iPhone 12" is the first case's model; a size, a price or a word no
        // title uses is no device.
        for text in [
            "iphone 12 case",
            "case 13 inch",
            "case for iphone under 13 dollars",
            "nokia 3 case",
        ] {
            assert!(v.requested_lines(text, uses).is_empty(), "{text}");
        }
        let wish = LineWish {
            line: "iphone".into(),
            number: "13".into(),
            named: true,
        };
        assert!(wish.met_by("Case for iPhone 13/13 Pro"));
        assert!(!wish.met_by("Case for iPhone 11/12"));
        assert!(
            !wish.met_by("Case for Galaxy S21"),
            "a case must name the line"
        );
        let lenient = LineWish {
            named: false,
            ..wish
        };
        assert!(lenient.met_by("Wall Charger, 24W"));
        assert!(lenient.met_by("Wall Charger for iPhone and Android"));
        // A word of the line's range between line and number, and a size with its
        // decimal among the numbers a title lists.
        let uses = |w: &str| ["ipad", "protector"].contains(&w);
        let lines = v.requested_lines("screen protector for ipad pro 11", uses);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(
            (lines[0].line.as_str(), lines[0].number.as_str()),
            ("ipad", "11")
        );
        let for_11 = LineWish {
            named: true,
            ..lines[0].clone()
        };
        assert!(for_11.met_by("Screen Protector Compatible with iPad Pro 11 inch 2020"));
        assert!(!for_11.met_by("Screen Protector for iPad Air 3 and iPad Pro 10.5 (2017)"));
    }

    #[test]
    fn a_size_letter_before_a_number_opens_a_model_written_apart() {
        let mut v = Vocabulary::default();
        v.add(&Profile {
            models: title_models("TP-Link Deco X20 AX1800 Mesh WiFi 6 System"),
            ..Default::default()
        });
        assert_eq!(v.requested_models("show me the deco x 20"), vec!["x20"]);
        assert!(v.requested_models("a jacket in xl 42").is_empty());
    }

    #[test]
    fn a_model_with_a_suffix_of_its_line_is_another_model() {
        let mut v = Vocabulary::default();
        for title in ["MSI GeForce RTX 4060 8GB", "ZOTAC GeForce RTX 4060 Ti 8GB"] {
            v.add(&Profile {
                models: title_models(title),
                ..Default::default()
            });
        }
        assert_eq!(v.requested_models("rtx 4060 graphics card"), vec!["4060"]);
        assert_eq!(v.requested_models("rtx 4060 ti"), vec!["4060ti"]);
        v.add(&Profile {
            models: title_models("Intel Core i5-13600K Desktop Processor"),
            ..Default::default()
        });
        v.add(&Profile {
            models: title_models("Laptop, Intel Core i5-1235U, 16GB DDR4"),
            ..Default::default()
        });
        assert_eq!(v.requested_models("i5-13600k"), vec!["i5-13600k"]);
        assert_eq!(v.requested_models("i513600k"), vec!["i5-13600k"]);
    }

    #[test]
    fn a_line_model_with_a_suffix_is_another_model() {
        let mut v = Vocabulary::default();
        let titles = [
            "Apple iPhone 15, 128GB, Black - Unlocked (Renewed)",
            "Apple iPhone 15 Pro, 256GB, Natural Titanium - Unlocked (Renewed)",
        ];
        for title in titles {
            v.add(&Profile {
                models: title_models(title),
                ..Default::default()
            });
        }
        let pro = title_models(titles[1]);
        assert!(pro.contains(&"iphone15pro".to_string()), "{pro:?}");
        assert!(!pro.contains(&"iphone15".to_string()), "{pro:?}");
        assert_eq!(v.requested_models("iphone 15"), vec!["iphone15"]);
        assert_eq!(v.requested_models("an iphone 15 pro"), vec!["iphone15pro"]);
    }

    #[test]
    fn what_a_title_goes_on_to_is_its_kind_and_two_words_may_make_one() {
        let mut v = Vocabulary::default();
        let tv = listing(
            "LG 65-Inch Class OLED evo C3 Series 4K Smart TV",
            "Televisions",
        );
        let mount = listing(
            "PERLESMITH Full Motion TV Wall Mount for 37-82 inch TVs up to 132 lbs",
            "TV Mounts",
        );
        let watch = listing(
            "Fitness Watch 1.69inch Full Touch Screen Smart Bracelet",
            "Wearables",
        );
        let sound_bar = listing(
            "VIZIO V-Series 2.1 Home Theater Sound Bar with Subwoofer",
            "Soundbars",
        );
        let soundbar = listing("Bose Smart Soundbar 600 with Dolby Atmos", "Soundbars");
        for p in [&tv, &mount, &watch, &sound_bar, &soundbar] {
            v.add(p);
        }
        assert!(v.is_of_kind(&tv, "tv"));
        assert!(!v.is_of_kind(&mount, "tv"), "{:?}", mount.first_phrase);
        assert!(v.is_of_kind(&mount, "mount"));
        // A spec ends the phrase: the watch is no bracelet's modifier.
        assert!(v.is_of_kind(&watch, "watch"));
        assert!(
            v.is_of_kind(&sound_bar, "soundbar"),
            "{:?}",
            sound_bar.kinds
        );
        assert!(v.is_of_kind(&soundbar, "soundbar"));
        // Written apart without a shelf that says so, too.
        let smart_watch = listing("Amazfit Bip 5 Smart Watch 46mm", "Wearables");
        assert!(smart_watch.kinds.contains(&"smartwatch".to_string()));
        // The title's own kind stays first.
        assert_eq!(sound_bar.kinds.first().map(String::as_str), Some("bar"));
        // A shelf that parts the word ("Sound Bars") still names the joined kind of
        // a title that goes on to another ("… Sound Bar Bundle").
        let bundle = listing(
            "Memphis Audio MXASB35 35\" 10-Speaker ATV/UTV Sound Bar Bundle",
            "Sound Bars",
        );
        assert!(v.is_of_kind(&bundle, "soundbar"), "{:?}", bundle.kinds);
        // A shopper writes it apart where titles write it as one word: that word is
        // the kind asked for, which the parted titles are too, not "bar".
        assert_eq!(v.requested_kind("a sound bar").as_deref(), Some("soundbar"));
        assert_eq!(v.requested_kind("soundbars").as_deref(), Some("soundbar"));
        // Two words no title writes as one stay apart.
        assert_eq!(v.requested_kind("smart tv").as_deref(), Some("tv"));
    }

    #[test]
    fn a_request_names_the_models_the_catalogue_has() {
        let mut v = Vocabulary::default();
        v.add(&Profile {
            kinds: vec!["charger".into()],
            models: vec!["313".into(), "rtx4060".into(), "a25".into()],
            ..Default::default()
        });
        assert_eq!(
            v.requested_models("all offers for the anker 313 wireless charger"),
            vec!["313"]
        );
        assert_eq!(v.requested_models("a rtx 4060 card"), vec!["rtx4060"]);
        assert_eq!(v.requested_models("galaxy a25 and a35"), vec!["a25"]);
        assert!(v.requested_models("2 chargers under 313 usd").is_empty());
        assert!(v.requested_models("a charger with 313 watts").is_empty());
        assert_eq!(v.requested_models("galaxy a25 5g"), vec!["a25"]);
        // Sizes and option values are no models.
        v.add(&Profile {
            models: vec!["3x".into(), "a3".into(), "4in".into()],
            ..Default::default()
        });
        assert!(v
            .requested_models("mens shirts size 3x-large color a3-army green 3x 7 ft 4 in")
            .is_empty());
        assert_eq!(
            v.requested_kind("i need a wireless charger").as_deref(),
            Some("charger")
        );
    }

    #[test]
    fn a_model_no_title_has_is_unknown_and_a_count_or_a_spec_is_no_model() {
        let mut v = Vocabulary::default();
        for title in [
            "Sony Extra Bass Portable Bluetooth Speaker Black - SRS-XB33/BC (Renewed)",
            "Sony WH-1000XM4 Wireless Headphones",
            "Anker 313 Wireless Charger (Pad)",
            "JBL Charge 5 Portable Waterproof Speaker, 2 Pack",
            "Type-C USB Charger Cable for TCL Flip Pro, Flip, Alcatel Go Flip 4",
            "USB Cable 6 Feet, Braided",
        ] {
            v.add(&listing(title, "Speakers"));
        }
        let uses = |w: &str| ["sony", "anker", "rtx", "the", "charger", "speaker"].contains(&w);
        assert_eq!(v.requested_models("jbl charge 5"), vec!["charge5"]);
        // An article before a length is no Galaxy "A12".
        v.add(&listing("Case for Samsung Galaxy A12 5G", "Cases"));
        assert!(v.requested_models("a 12 foot rca cord").is_empty());
        assert_eq!(v.requested_models("galaxy a12 case"), vec!["a12"]);
        assert_eq!(v.unknown_models("jbl charge 4", uses), vec!["4"]);
        assert!(v.unknown_models("jbl charge 5", uses).is_empty());
        assert_eq!(v.unknown_models("sony srs-xb43", uses), vec!["srs-xb43"]);
        assert_eq!(v.unknown_models("anker 737 power bank", uses), vec!["737"]);
        assert_eq!(
            v.unknown_models("rtx 5090 graphics card", uses),
            vec!["5090"]
        );
        assert_eq!(v.unknown_models("samsung galaxy a99", uses), vec!["a99"]);
        // A letter and one digit after a line's name is a model too; alone, or after
        // a common word, it is none.
        let uses_galaxy = |w: &str| uses(w) || w == "galaxy";
        assert_eq!(v.unknown_models("galaxy s7", uses_galaxy), vec!["s7"]);
        assert!(v.unknown_models("the s7", uses_galaxy).is_empty());
        assert!(v.unknown_models("galaxy s7", uses).is_empty());
        // A line a title numbers late in it ("Go Flip 4") has no other numbers; a
        // length's number ("Cable 6 Feet") numbers no line.
        assert_eq!(v.unknown_models("jbl flip 5", uses), vec!["5"]);
        assert!(v.unknown_models("alcatel flip 4", uses).is_empty());
        assert!(v.unknown_models("usb cable 3", uses).is_empty());
        // Known models, however written, are not unknown.
        for known in [
            "sony srs-xb33",
            "sony srsxb33",
            "sony xb33",
            "wh1000xm4",
            "anker 313",
        ] {
            assert!(v.unknown_models(known, uses).is_empty(), "{known}");
        }
        // Counts, sizes, specs, ordinals, years, connectors, prices and what the
        // product is for name no model of it.
        for plain in [
            "2 hdmi cables",
            "the 2022 model",
            "charger 20w",
            "a 128gb memory card",
            "65 inch tv",
            "2nd gen speaker",
            "ddr4 ram",
            "a speaker under 100 usd",
            "a case for the galaxy a99",
            "4k tv",
            "sandals size 10",
            "a 240hz monitor",
            "12v adapter",
        ] {
            assert!(v.unknown_models(plain, uses).is_empty(), "{plain}");
        }
    }

    fn listing(title: &str, shelf: &str) -> Profile {
        let mut p = crate::catalog::rows::blank("p", "USD");
        p.title = title.into();
        p.language = "en".into();
        p.category = vec!["Electronics".into(), shelf.into()];
        Profile::of(&p)
    }

    #[test]
    fn a_code_closing_the_titles_name_is_its_model() {
        assert_eq!(
            code_after_name_models("DEWALT 20V MAX Cordless Drill/Driver Kit DCD771C2, 1/2 inch"),
            vec!["dcd771c2"]
        );
        let drill = listing(
            "DEWALT 20V MAX Cordless Drill/Driver Kit DCD771C2, 1/2 inch, 2 Batteries",
            "Drills",
        );
        assert!(drill.lead_models.contains(&"dcd771c2".to_string()));
        // What a product fits, and a spec written in one, are no code of its own.
        assert!(code_after_name_models("Wireless Charger for Galaxy S21, 15W").is_empty());
        assert!(code_after_name_models("Samsung Portable SSD T7 1TB, USB-C").is_empty());
        assert!(code_after_name_models(
            "AMD Ryzen 9 5900X Desktop Processor up to 4.8GHz AM4 (Renewed)"
        )
        .is_empty());
    }

    #[test]
    fn a_companion_led_by_a_model_others_are_is_made_for_it() {
        let consoles = [
            listing("Sony PlayStation 5 Console, Disc Edition", "Consoles"),
            listing("Sony PlayStation 5 Digital Edition Console", "Consoles"),
        ];
        let station = listing(
            "PS5 Controller Charging Station, Dual Charger",
            "Accessories",
        );
        // The short name and the long one are one model.
        assert!(consoles[0].models.contains(&"ps5".to_string()));
        assert!(station.models.contains(&"playstation5".to_string()));
        assert!(listing("Cooling Fan for PS4 Pro", "Fans")
            .models
            .contains(&"playstation4pro".to_string()));
        let mut v = Vocabulary::default();
        for c in &consoles {
            v.add(c);
        }
        v.add(&station);
        let ps5 = vec!["ps5".to_string()];
        assert!(v.made_for_another_kind(&station, &ps5));
        assert!(!v.made_for_another_kind(&consoles[0], &ps5));
        // Where every listing of the model is of its kind, it is the model.
        let chargers = [
            listing("Anker 313 Wireless Charger (Pad)", "Chargers"),
            listing("Anker 313 Wireless Charger (Stand)", "Chargers"),
        ];
        let mut v = Vocabulary::default();
        for c in &chargers {
            v.add(c);
        }
        assert!(!v.made_for_another_kind(&chargers[0], &["313".to_string()]));
        // Removing the consoles leaves the station the only listing of the PS5.
        let mut v = Vocabulary::default();
        for c in &consoles {
            v.add(c);
        }
        v.add(&station);
        for c in &consoles {
            v.remove(c);
        }
        assert!(!v.made_for_another_kind(&station, &ps5));
    }

    #[test]
    fn a_model_at_the_end_of_a_spec_list_is_only_mentioned() {
        let card = listing(
            "MSI Gaming GeForce RTX 4060 8GB GDDR6 Graphics Card",
            "Graphics Cards",
        );
        let laptop = listing(
            "Dell XPS 15 9530 Laptop, 15.6 Inch OLED, Intel Core i7-13700H, 32GB DDR5, RTX 4060",
            "Laptops",
        );
        let mut v = Vocabulary::default();
        v.add(&laptop);
        let models = v.requested_models("rtx 4060");
        assert_eq!(models, vec!["4060"]);
        // Alone, the laptop is what the shop has of it.
        assert!(!v.only_mentions(&laptop, &models));
        v.add(&card);
        assert!(v.only_mentions(&laptop, &models));
        assert!(!v.only_mentions(&card, &models));
        v.remove(&card);
        assert!(!v.only_mentions(&laptop, &models));
    }

    #[test]
    fn a_model_named_alone_is_the_model_not_what_is_made_for_it() {
        let phone = listing(
            "Samsung Galaxy A25 5G 128GB Unlocked - Yellow",
            "Smartphones",
        );
        let glass = listing(
            "Samsung Galaxy A25 5G Screen Protector Tempered Glass, 3 Pack",
            "Screen Protectors",
        );
        let case = listing("Spigen Case for Galaxy A35 5G", "Cases");
        assert!(!phone.accessory);
        assert!(glass.accessory && case.accessory);
        let mut v = Vocabulary::default();
        for p in [&phone, &glass, &case] {
            v.add(p);
        }
        let a25 = vec!["a25".to_string()];
        let a35 = vec!["a35".to_string()];
        assert!(v.is_accessory_of(&glass, &a25));
        assert!(!v.is_accessory_of(&phone, &a25));
        // No Galaxy A35 itself here: its case is what the shop has of it.
        assert!(!v.is_accessory_of(&case, &a35));
        v.remove(&phone);
        assert!(!v.is_accessory_of(&glass, &a25), "the phone is gone");
        // Chargers carry model names of their own.
        let charger = listing("Anker 313 Wireless Charger (Stand), 10W", "Chargers");
        assert!(!charger.accessory);
    }
}
