//! Option values (sizes, colours, styles, flavours, pack sizes) as a shopper says them
//! and as catalogues write them, compared the same way everywhere: the rules' size
//! slot, the search's variant filter and the choice of a product's options.
//!
//! Sizes are compared on canonical tokens: letters in one spelling ("x-large",
//! "extra large", "XL" → `XL`; "xx-large", "2XL" → `XXL`; "small" → `S`), decimal
//! commas as points, the word "size"/"größe" dropped. A wanted size matches a variant
//! size when its tokens all occur in the variant's ("8.5" matches "8.5 Wide", "queen
//! size" matches "Queen", "L" does not match "XL").

use std::collections::BTreeMap;

/// Canonical spelling of one size token (lowercase input).
fn canonical_token(t: &str) -> String {
    let letter = match t {
        "xxs" | "xx-small" | "2x-small" | "xxsmall" => "XXS",
        "xs" | "x-small" | "xsmall" => "XS",
        "s" | "small" | "sm" => "S",
        "m" | "medium" | "med" => "M",
        "l" | "large" | "lg" => "L",
        "xl" | "x-large" | "xlarge" => "XL",
        "xxl" | "2xl" | "xx-large" | "2x-large" | "xxlarge" => "XXL",
        "xxxl" | "3xl" | "3x-large" | "xxx-large" | "3x" => "3XL",
        "xxxxl" | "4xl" | "4x-large" | "4x" => "4XL",
        "5xl" | "5x-large" | "5x" => "5XL",
        _ => "",
    };
    if !letter.is_empty() {
        return letter.to_string();
    }
    t.replace(',', ".").to_uppercase()
}

/// A size as canonical tokens: "X-Large Tall" → [XL, TALL], "extra large" → [XL],
/// "Größe 42" → [42], "8,5" → [8.5].
pub fn size_tokens(s: &str) -> Vec<String> {
    tokens(s, true)
}

fn tokens(s: &str, drop_size_words: bool) -> Vec<String> {
    // Inch and foot marks are no separators: 20''x20'' is 20x20.
    let lower = s.to_lowercase().replace(['\'', '"', '’', '″', '′'], "");
    let raw: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '/' | '(' | ')' | ':' | ';'))
        .map(|t| t.trim_matches(|c: char| matches!(c, '.' | '"' | '\'' | '-')))
        .filter(|t| !t.is_empty())
        .collect();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let t = raw[i];
        if drop_size_words && matches!(t, "size" | "größe" | "groesse" | "grösse" | "gr") {
            i += 1;
            continue;
        }
        if t == "extra" {
            match raw.get(i + 1) {
                Some(&"large") => {
                    out.push("XL".into());
                    i += 2;
                    continue;
                }
                Some(&"small") => {
                    out.push("XS".into());
                    i += 2;
                    continue;
                }
                _ => {}
            }
        }
        out.push(canonical_token(t));
        i += 1;
    }
    out
}

/// One canonical form of a size, for equality and facets.
pub fn canonical_size(s: &str) -> String {
    size_tokens(s).join(" ")
}

/// How many come in a pack a text names: "3 pack", "3-Pack", "pack of 3", "3er-Pack"
/// (a variant's size, or a shopper's "the deco x55 3 pack"). "3 packs" is a count of
/// packs, not one of three.
pub fn pack_count(text: &str) -> Option<u32> {
    static PACK: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = PACK.get_or_init(|| {
        regex::Regex::new(
            r"(?i)\b(\d{1,3})(?:er)?[\s-]?pack\b|\bpack\s+of\s+(\d{1,3})\b|\b(\d{1,3})er[\s-]?packung\b",
        )
        .expect("pack pattern")
    });
    let c = re.captures(text)?;
    let n: u32 = c.get(1).or(c.get(2)).or(c.get(3))?.as_str().parse().ok()?;
    (n > 0).then_some(n)
}

/// Whether a variant's size satisfies a wanted size (see the module documentation).
pub fn size_matches(wanted: &str, variant: &str) -> bool {
    let w = size_tokens(wanted);
    if w.is_empty() {
        return false;
    }
    let v = size_tokens(variant);
    w.iter().all(|t| v.contains(t))
}

/// The words a shopper used in a search, to choose among a product's option values
/// ("slate", "x-large", "relaxed fit", "pack of 12") when several would do.
#[derive(Debug, Clone, Default)]
pub struct Wishes {
    tokens: Vec<String>,
}

fn option_tokens(s: &str) -> Vec<String> {
    let lower = s
        .to_lowercase()
        .replace("'s", "")
        .replace("’s", "")
        .replace(['\'', '’', '"', '″'], "");
    // A point or comma separates words unless it sits between digits (8.5, 7,5):
    // "r.brown137" and "r brown137" are the same value.
    let chars: Vec<char> = lower.chars().collect();
    let cleaned: String = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let between_digits = i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if matches!(c, '.' | ',') && !between_digits {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut out = Vec::new();
    for t in cleaned.split(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | ',' | '-'))) {
        let t = t.trim_matches(|c: char| matches!(c, '.' | ',' | '-'));
        if t.is_empty() {
            continue;
        }
        // A hyphen joins sizes ("x-large", "3x-large") but separates other words:
        // "blue-coated" says "blue", "light-4" says "4".
        let whole = canonical_token(t);
        let is_size = whole != t.replace(',', ".").to_uppercase();
        if is_size {
            out.extend(tokens(t, false));
            continue;
        }
        // Other words split at hyphens and where letters meet digits: "grey3",
        // "rose2" and "616black" say grey, rose and black; "52x84in" is 52 x 84 in.
        for part in t.split('-').filter(|p| !p.is_empty()) {
            for piece in split_letters_digits(part) {
                out.extend(tokens(&piece, false));
            }
        }
    }
    // "12 by 16" is 12 x 16.
    for i in 1..out.len().saturating_sub(1) {
        let digit = |t: &String| t.starts_with(|c: char| c.is_ascii_digit());
        if out[i] == "BY" && digit(&out[i - 1]) && digit(&out[i + 1]) {
            out[i] = "X".into();
        }
    }
    // "extra large" spelled as two words in free text.
    let mut merged: Vec<String> = Vec::with_capacity(out.len());
    for t in out {
        if merged.last().is_some_and(|l| l == "EXTRA") && (t == "L" || t == "S") {
            merged.pop();
            merged.push(if t == "L" { "XL".into() } else { "XS".into() });
        } else {
            merged.push(t);
        }
    }
    merged
}

/// Splits where letters meet digits, keeping decimals ("8.5") and sizes ("3xl") whole.
fn split_letters_digits(word: &str) -> Vec<String> {
    if canonical_token(word) != word.replace(',', ".").to_uppercase() {
        return vec![word.to_string()];
    }
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut last_digit: Option<bool> = None;
    for c in word.chars() {
        let digit = c.is_ascii_digit() || (matches!(c, '.' | ',') && last_digit == Some(true));
        if last_digit.is_some_and(|d| d != digit) && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
        last_digit = Some(digit);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Words that name an option right before its value (tokens are upper case).
const OPTION_CUES: &[&str] = &[
    "SIZE", "COLOR", "COLOUR", "STYLE", "FLAVOR", "FLAVOUR", "SCENT", "TYPE", "NAME", "PATTERN",
    "SHAPE", "FARBE", "GRÖSSE", "GRÖßE", "GROESSE", "IN",
];

impl Wishes {
    pub fn new(text: &str) -> Wishes {
        Wishes {
            tokens: option_tokens(text),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// How well an option value matches what was said: 0 when none of its words was
    /// said; more when all were, more again when they came in order, and longer values
    /// beat shorter ones ("3x-large" over "large", "black" over "black/white").
    pub fn score(&self, value: &str) -> u32 {
        let v = option_tokens(value);
        if v.is_empty() || self.tokens.is_empty() {
            return 0;
        }
        // Plural-blind: "mens" (from "men's") says "men".
        let said_token = |t: &String| {
            self.tokens.iter().any(|w| {
                w == t
                    || w.strip_suffix('S') == Some(t.as_str())
                    || t.strip_suffix('S') == Some(w.as_str())
            })
        };
        let present: Vec<bool> = v.iter().map(said_token).collect();
        let said: u32 = v
            .iter()
            .zip(&present)
            .filter(|(_, p)| **p)
            .map(|(t, _)| t.len() as u32)
            .sum();
        if said == 0 {
            return 0;
        }
        let all = present.iter().all(|p| *p);
        let at = self
            .tokens
            .windows(v.len())
            .position(|w| w == v.as_slice())
            .filter(|_| all);
        let in_order = at.is_some();
        // Named right after the option's name ("size full", "color pink", "in 42").
        let cued = at.is_some_and(|i| i > 0 && OPTION_CUES.contains(&self.tokens[i - 1].as_str()));
        // Share of the value that was said, so "black" (all of it) beats "black/white".
        let share = (said * 100) / v.iter().map(|t| t.len() as u32).sum::<u32>().max(1);
        share * 10
            + said
            + if all { 1000 } else { 0 }
            + if in_order { 1000 } else { 0 }
            + if cued { 2000 } else { 0 }
    }

    /// Whether a distinctive word of the value was said (a number, or a word that is
    /// no filler like "of", "pack", "ounce", "x" or a single letter): what lets the
    /// choice tell the value from others.
    pub fn names_part_of(&self, value: &str) -> bool {
        const FILLER: &[&str] = &[
            "OF", "IN", "X", "AND", "WITH", "FOR", "THE", "BY", "PACK", "SET", "SIZE", "COLOR",
            "COUNT", "PCS", "INCH", "INCHES", "OUNCE", "OZ",
        ];
        option_tokens(value).iter().any(|t| {
            let number = t.chars().all(|c| c.is_ascii_digit() || c == '.');
            (number || t.chars().count() >= 2)
                && !FILLER.contains(&t.as_str())
                && self.tokens.contains(t)
        })
    }

    /// The share (0–100) of a value's characters in words the shopper said.
    pub fn said_share(&self, value: &str) -> u32 {
        let v = option_tokens(value);
        let total: u32 = v.iter().map(|t| t.len() as u32).sum();
        if total == 0 {
            return 0;
        }
        let said: u32 = v
            .iter()
            .filter(|t| self.tokens.contains(t))
            .map(|t| t.len() as u32)
            .sum();
        said * 100 / total
    }

    /// The best-matching value of each option, or its first value when nothing that
    /// was said matches: what the product page would show as selected.
    pub fn choose<'a>(
        &self,
        options: impl Iterator<Item = (&'a str, &'a [String])>,
    ) -> BTreeMap<String, String> {
        options
            .filter(|(_, values)| !values.is_empty())
            .map(|(name, values)| {
                let best = values
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, v)| (self.score(v), std::cmp::Reverse(*i)))
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                (name.to_string(), best)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_compare_on_canonical_tokens() {
        assert_eq!(canonical_size("x-large"), "XL");
        assert_eq!(canonical_size("Extra Large"), "XL");
        assert_eq!(canonical_size("3X-Large"), "3XL");
        assert_eq!(canonical_size("Größe 42"), "42");
        assert_eq!(canonical_size("8,5"), "8.5");
        assert!(size_matches("XL", "x-large"));
        assert!(size_matches("3XL", "3x-large"));
        assert!(size_matches("8.5", "8.5 Wide"));
        assert!(size_matches("queen size", "Queen"));
        assert!(size_matches("M", "M"));
        assert!(!size_matches("L", "X-Large"));
        assert!(!size_matches("L", "XL"));
        assert!(!size_matches("42", "43"));
        assert!(!size_matches("", "M"));
    }

    #[test]
    fn wishes_pick_the_value_that_was_said() {
        let w = Wishes::new("find me men's t-shirts with color: slate, and size: x-large");
        let sizes: Vec<String> = ["small", "large", "x-large", "xx-large"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let colors: Vec<String> = ["black", "slate", "heather grey"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let chosen = w.choose([("size", &sizes[..]), ("color", &colors[..])].into_iter());
        assert_eq!(chosen["size"], "x-large");
        assert_eq!(chosen["color"], "slate");
        // The value named after the option's name wins over one said elsewhere.
        let w = Wishes::new("queen bed frame with size: full");
        assert!(w.score("full") > w.score("queen"));
        // Points between letters separate, between digits they do not.
        assert!(Wishes::new("color r brown137").score("R.Brown137") > 0);
        assert!(Wishes::new("size 8.5").score("8.5") > Wishes::new("size 8.5").score("8"));
        assert!(size_matches("20x20", "20''x20''"));
        // Letters and digits part ("grey3"), "by" between numbers is "x".
        assert!(Wishes::new("a grey nightstand").score("grey3") > 0);
        assert!(Wishes::new("a 12 by 16 inch poster").score("12x16inch") >= 2000);
        assert!(Wishes::new("size 3xl please").score("3XL") > 0);
        // Hyphens separate words but not sizes.
        assert!(Wishes::new("a blue-coated steel frame").score("blue") >= 1000);
        assert!(
            Wishes::new("size x-large").score("x-large")
                > Wishes::new("size x-large").score("large")
        );
        let w = Wishes::new("a black one in 3x-large");
        assert!(w.score("black") > w.score("black/white"));
        assert!(w.score("3X-Large") > w.score("large"));
        assert_eq!(w.score("large"), 0);
        assert_eq!(w.score("red"), 0);
        // Nothing said: the first value, as a product page shows it.
        let chosen = Wishes::new("a shirt").choose([("size", &sizes[..])].into_iter());
        assert_eq!(chosen["size"], "small");
    }
}
