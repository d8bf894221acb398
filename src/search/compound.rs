//! German compound splitting from the catalogue's own vocabulary.
//!
//! "Wintermantel" is split into modifier "winter" and head "mantel" when "mantel"
//! is a word the catalogue (or our short list of product nouns) knows. The head is
//! indexed so a search for "Mantel" finds every kind of coat; on the query side the
//! head of a compound must match and the modifier only adds to the score, so
//! "Sommerkleid" never degrades into "Sommer OR Kleid" (apache/lucene#14624).

use std::collections::HashSet;

/// Product nouns that are heads of many compounds, so splitting works even when the
/// catalogue never uses the bare word. Folded spelling (ä → a, ß → ss).
const KNOWN_HEADS: &[&str] = &[
    "jacke",
    "jacken",
    "mantel",
    "kleid",
    "kleider",
    "hose",
    "hosen",
    "hemd",
    "bluse",
    "shirt",
    "pullover",
    "schuh",
    "schuhe",
    "stiefel",
    "socken",
    "tasche",
    "taschen",
    "rucksack",
    "muetze",
    "mutze",
    "handschuhe",
    "schal",
    "guertel",
    "gurtel",
    "uhr",
    "lampe",
    "leuchte",
    "tisch",
    "stuhl",
    "sessel",
    "sofa",
    "regal",
    "schrank",
    "bett",
    "matratze",
    "kissen",
    "decke",
    "topf",
    "pfanne",
    "messer",
    "becher",
    "tasse",
    "glas",
    "flasche",
    "kanne",
    "maschine",
    "geraet",
    "gerat",
    "kabel",
    "ladegeraet",
    "ladegerat",
    "akku",
    "lautsprecher",
    "kopfhoerer",
    "kopfhorer",
    "zelt",
    "schlafsack",
    "ball",
    "spiel",
    "puppe",
    "creme",
    "shampoo",
    "seife",
    "zahnpasta",
    "tee",
    "kaffee",
    "saft",
    "brot",
    "schokolade",
    "nudeln",
    "papier",
    "tuecher",
    "tucher",
    "reiniger",
    "waschmittel",
    "fahrrad",
    "helm",
    "brille",
];

/// Linking elements between modifier and head ("Arbeit-s-hose").
const LINKS: &[&str] = &["s", "es", "n", "en", "er", "e"];

/// The minimum length of a head and of a modifier.
const MIN_HEAD: usize = 4;
const MIN_MODIFIER: usize = 3;

/// Splits compounds using a vocabulary of known words.
#[derive(Debug, Clone, Default)]
pub struct Decompounder {
    vocab: HashSet<String>,
    /// Modifiers of the compounds learned so far ("kaffee" of "Kaffeemaschine"), so
    /// that a compound with a head nobody knows ("Kaffeebohnen") still gives its own.
    modifiers: HashSet<String>,
}

pub use crate::catalog::text::fold;

/// The words of a text, folded: split on anything that is not a letter or digit.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
}

/// Two neighbouring words of a text written as one, folded: "Sound Bar" gives
/// "soundbar", "Tooth Brush" "toothbrush", "Wi-Fi" "wifi". English writes many
/// product names both ways ("night stand", "nightstand"; "smart watch",
/// "smartwatch"), and so does a German shopper typing "winter jacke". Only words of
/// letters, and no pair across punctuation other than a hyphen or a bang ("Bar, TV"
/// is none).
pub fn joined_pairs(text: &str) -> Vec<String> {
    use crate::catalog::text::is_word_of_letters;
    let mut out: Vec<String> = Vec::new();
    let mut push = |a: &str, b: &str| {
        if is_word_of_letters(a) && is_word_of_letters(b) {
            let j = fold(&format!("{a}{b}"));
            if !out.contains(&j) {
                out.push(j);
            }
        }
    };
    // The last word of the text so far, when nothing but a space follows it.
    let mut open: Option<&str> = None;
    for token in text.split_whitespace() {
        let pieces: Vec<&str> = token.split(|c: char| !c.is_alphanumeric()).collect();
        // Pieces a hyphen or a brand's bang joins ("Wi-Fi", "Ear-Buds", "FRITZ!Box").
        let mut hyphened = token
            .match_indices(|c: char| !c.is_alphanumeric())
            .map(|(_, c)| c == "-" || c == "!");
        for pair in pieces.windows(2) {
            if hyphened.next() == Some(true) {
                push(pair[0], pair[1]);
            }
        }
        if let (Some(a), Some(b)) = (open, pieces.first()) {
            push(a, b);
        }
        open = pieces.last().copied().filter(|p| !p.is_empty());
    }
    out
}

impl Decompounder {
    /// A decompounder knowing the built-in heads and every word of `texts`.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut d = Decompounder {
            vocab: KNOWN_HEADS.iter().map(|s| s.to_string()).collect(),
            modifiers: HashSet::new(),
        };
        for t in texts {
            d.learn(t);
        }
        d
    }

    /// Adds the words of `text` to the vocabulary.
    pub fn learn(&mut self, text: &str) {
        for w in words(text) {
            if w.chars().count() >= MIN_HEAD && w.chars().all(char::is_alphabetic) {
                if let Some((m, _)) = self.split(&w) {
                    self.modifiers.insert(m);
                }
                self.vocab.insert(w);
            }
        }
    }

    /// Splits a folded word into (modifier, head), preferring the longest head.
    /// `None` when the word is no compound of known words.
    pub fn split(&self, word: &str) -> Option<(String, String)> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < MIN_HEAD + MIN_MODIFIER || !chars.iter().all(|c| c.is_alphabetic()) {
            return None;
        }
        // A known product noun stays whole: "Handschuhe" are no "Schuhe".
        if KNOWN_HEADS.contains(&word) {
            return None;
        }
        for i in MIN_MODIFIER..=chars.len() - MIN_HEAD {
            let head: String = chars[i..].iter().collect();
            if !self.vocab.contains(&head) {
                continue;
            }
            let modifier: String = chars[..i].iter().collect();
            let modifier = LINKS
                .iter()
                .filter_map(|l| modifier.strip_suffix(l))
                .find(|m| m.chars().count() >= MIN_MODIFIER && self.vocab.contains(*m))
                .map(String::from)
                .unwrap_or(modifier);
            return Some((modifier, head));
        }
        None
    }

    /// Splits a query word, more cautiously than [`Self::split`]: the modifier must be a
    /// known word too, so a misspelt word ("davvert") is not read as "dav" + "vert".
    pub fn split_query_word(&self, word: &str) -> Option<(String, String)> {
        self.split(word).filter(|(m, _)| self.vocab.contains(m))
    }

    /// The modifiers of every compound in `text`, space-separated, for the
    /// `modifiers` field: "kaffee" of "Kaffeebohnen", "winter" of "Wintermantel".
    pub fn modifiers_of(&self, text: &str) -> String {
        words(text)
            .filter_map(|w| {
                self.split(&w)
                    .map(|(m, _)| m)
                    .or_else(|| self.known_modifier_of(&w))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The longest known modifier a word starts with, leaving a head-sized rest.
    fn known_modifier_of(&self, word: &str) -> Option<String> {
        let chars: Vec<char> = word.chars().collect();
        (MIN_MODIFIER..=chars.len().saturating_sub(MIN_HEAD))
            .rev()
            .map(|i| chars[..i].iter().collect::<String>())
            .find(|m| self.modifiers.contains(m))
    }

    /// The heads of every compound in `text`, space-separated, for the `heads` field.
    pub fn heads_of(&self, text: &str) -> String {
        words(text)
            .filter_map(|w| self.split(&w).map(|(_, h)| h))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbouring_words_of_letters_are_joined_unless_punctuation_parts_them() {
        assert_eq!(
            joined_pairs("Sound Bar, TV Bluetooth Speaker 2.1 Night Stand. Wi-Fi"),
            vec![
                "soundbar",
                "tvbluetooth",
                "bluetoothspeaker",
                "nightstand",
                "wifi"
            ]
        );
        assert!(joined_pairs("a 10-Speaker, cd 2.1 bar").is_empty());
        // A maker's bang inside a name: "fritzbox" finds the "FRITZ!Box".
        assert_eq!(
            joined_pairs("AVM FRITZ!Box 7590"),
            vec!["fritzbox", "avmfritz"]
        );
    }

    #[test]
    fn compounds_split_on_known_heads() {
        let d = Decompounder::from_texts(["Regenjacke Sturm", "Wintermantel", "Damenschuhe"]);
        assert_eq!(
            d.split("wintermantel"),
            Some(("winter".into(), "mantel".into()))
        );
        assert_eq!(
            d.split("regenjacke"),
            Some(("regen".into(), "jacke".into()))
        );
        assert_eq!(
            d.split("sommerkleid"),
            Some(("sommer".into(), "kleid".into()))
        );
        assert_eq!(d.split("damenschuhe").map(|x| x.1), Some("schuhe".into()));
    }

    #[test]
    fn query_words_split_only_into_known_words() {
        let d = Decompounder::from_texts(["Winter", "Vert", "Wintermantel"]);
        assert!(d.split_query_word("wintermantel").is_some());
        assert_eq!(d.split_query_word("davvert"), None);
        assert!(d.split("davvert").is_some(), "titles split leniently");
    }

    #[test]
    fn modifiers_are_what_a_compound_starts_with() {
        let d = Decompounder::from_texts(["Kaffeemaschine Isar", "Wintermantel"]);
        // "bohnen" is no known head, but "kaffee" is a known modifier.
        assert_eq!(d.modifiers_of("Kaffeebohnen Gipfel"), "kaffee");
        assert_eq!(d.modifiers_of("Wintermantel Brise"), "winter");
        assert_eq!(d.modifiers_of("Mantel"), "");
    }

    #[test]
    fn heads_learned_from_the_catalogue() {
        let d = Decompounder::from_texts(["Laterne", "Solarlaterne"]);
        assert_eq!(
            d.split("solarlaterne"),
            Some(("solar".into(), "laterne".into()))
        );
    }

    #[test]
    fn plain_words_and_short_ones_do_not_split() {
        let d = Decompounder::from_texts(["Mantel", "Jacke"]);
        assert_eq!(d.split("mantel"), None);
        assert_eq!(d.split("jacke"), None);
        assert_eq!(d.split("xyzabc"), None);
        assert_eq!(d.split("100x45cm"), None);
    }

    #[test]
    fn linking_s_is_dropped_when_the_stem_is_known() {
        let d = Decompounder::from_texts(["Arbeit", "Hose"]);
        assert_eq!(
            d.split("arbeitshose"),
            Some(("arbeit".into(), "hose".into()))
        );
    }

    #[test]
    fn folding_matches_the_index() {
        assert_eq!(fold("Größe Mütze"), "grosse mutze");
        assert_eq!(d_heads("Handschuhe für Kinder"), "", "gloves are no shoes");
        assert_eq!(d_heads("Lederhandschuhe"), "handschuhe");
    }

    fn d_heads(t: &str) -> String {
        Decompounder::from_texts([t]).heads_of(t)
    }
}
