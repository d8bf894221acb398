//! German or English? Function words decide short utterances ("ja", "zeig mehr",
//! "cheaper please"), where trigram statistics are unreliable; whatlang decides longer
//! ones; when neither is sure, the session's language stands.

use serde::{Deserialize, Serialize};
use whatlang::{Detector, Lang};

/// The languages the assistant speaks.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    De,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }

    /// "de"/"en" (also "deu", "german", "deutsch", ...).
    pub fn parse(s: &str) -> Option<Language> {
        match s.trim().to_ascii_lowercase().as_str() {
            "de" | "deu" | "ger" | "german" | "deutsch" | "de-de" | "de-at" | "de-ch" => {
                Some(Language::De)
            }
            "en" | "eng" | "english" | "englisch" | "en-us" | "en-gb" => Some(Language::En),
            _ => None,
        }
    }
}

const GERMAN: &[&str] = &[
    "ich",
    "du",
    "sie",
    "wir",
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "ein",
    "eine",
    "einen",
    "einem",
    "und",
    "oder",
    "nicht",
    "kein",
    "keine",
    "mit",
    "ohne",
    "für",
    "unter",
    "bis",
    "über",
    "zwischen",
    "zeig",
    "zeige",
    "mehr",
    "ja",
    "nein",
    "bitte",
    "danke",
    "hallo",
    "günstiger",
    "billiger",
    "größe",
    "grösse",
    "größer",
    "kleiner",
    "wo",
    "wie",
    "was",
    "welche",
    "welcher",
    "meine",
    "meinen",
    "mein",
    "bestellung",
    "ist",
    "es",
    "gibt",
    "haben",
    "hat",
    "warenkorb",
    "kasse",
    "brauche",
    "suche",
    "möchte",
    "will",
    "gern",
    "gerne",
    "genau",
    "passt",
    "auch",
    "noch",
    "andere",
    "anderen",
    "nummer",
    "zweite",
    "erste",
    "letzte",
    "stück",
    "euro",
    "schwarz",
    "weiß",
    "rot",
    "blau",
    "grün",
    "grau",
    "wasserdicht",
    "bleibt",
    "zurück",
    "umtauschen",
    "stornieren",
    "mitarbeiter",
    "mensch",
    "moin",
    "servus",
    "tschüss",
    "doch",
    "aber",
    "sind",
    "im",
    "in",
    "auf",
    "zu",
    "von",
    "vom",
    "zum",
    "zur",
    "ähm",
    "äh",
    "öhm",
    "jawohl",
    "guten",
    "morgen",
    "abend",
    "maximal",
    "höchstens",
    "retoure",
    "anmelden",
    "bestellen",
    "bezahlen",
    "stornieren",
    "nee",
    "stück",
    "lieber",
    "nur",
    "mal",
    "gleiche",
    "dunkel",
    "hell",
    "zeigen",
    "kaufen",
    "nochmal",
    "schon",
];

const ENGLISH: &[&str] = &[
    "i",
    "you",
    "we",
    "the",
    "a",
    "an",
    "and",
    "or",
    "not",
    "no",
    "with",
    "without",
    "for",
    "under",
    "below",
    "less",
    "than",
    "between",
    "show",
    "more",
    "yes",
    "please",
    "pls",
    "plz",
    "gimme",
    "lemme",
    "wanna",
    "gonna",
    "gotta",
    "thanks",
    "hello",
    "cheaper",
    "size",
    "bigger",
    "smaller",
    "where",
    "how",
    "what",
    "which",
    "my",
    "order",
    "is",
    "it",
    "there",
    "have",
    "has",
    "cart",
    "basket",
    "checkout",
    "need",
    "looking",
    "want",
    "like",
    "would",
    "sure",
    "other",
    "another",
    "number",
    "second",
    "first",
    "last",
    "one",
    "pack",
    "dollars",
    "bucks",
    "black",
    "white",
    "red",
    "blue",
    "green",
    "grey",
    "gray",
    "waterproof",
    "return",
    "exchange",
    "cancel",
    "human",
    "agent",
    "person",
    "me",
    "do",
    "does",
    "can",
    "this",
    "that",
    "these",
    "of",
    "to",
    "on",
    "at",
    "but",
    "are",
    "in",
    "uh",
    "um",
    "uhm",
    "nope",
    "yep",
    "yeah",
    "correct",
    "good",
    "evening",
    "morning",
    "lets",
    "let",
    "when",
    "will",
    "package",
    "stock",
    "only",
    "rather",
    "instead",
    "any",
    "customer",
    "service",
    "representative",
    "arrive",
    "cancel",
    "refund",
    "track",
    "buy",
    "cheap",
    "price",
    "thank",
];

/// Whether `word` (lowercase) is one of the everyday German or English words the
/// language is told by ("ich", "mein", "the", "my"): evidence that a message is
/// language at all, not a string of unknown letters.
pub fn is_common_word(word: &str) -> bool {
    GERMAN.contains(&word) || ENGLISH.contains(&word)
}

/// The language of a product's text where it says so itself: more everyday words of
/// one language than of the other ("with", "for" against "mit", "für"), or a long text
/// the trigram statistics are sure of. `None` for a bare name ("deleyCON
/// Netzwerkkabel Cat 6", "Apple 20W USB-C Power Adapter"), whose language the feed's
/// other texts tell better than its few letters.
pub fn detect_text(text: &str) -> Option<Language> {
    let lower = text.to_lowercase();
    // A colour and "one" are names in either language's titles ("RTX 4060 … BLACK
    // … Grafikkarte", "All-in-One-Wasserkühlung"), not English.
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != 'ß')
        .filter(|w| {
            !w.is_empty() && *w != "one" && crate::catalog::colors::canonical_of_value(w).is_none()
        })
        .collect();
    let (de, en) = everyday_words(&words);
    match de.cmp(&en) {
        std::cmp::Ordering::Greater => return Some(Language::De),
        std::cmp::Ordering::Less => return Some(Language::En),
        std::cmp::Ordering::Equal => {}
    }
    if words.len() < 12 {
        return None;
    }
    let info = Detector::with_allowlist(vec![Lang::Deu, Lang::Eng]).detect(&lower)?;
    info.is_reliable().then(|| match info.lang() {
        Lang::Deu => Language::De,
        _ => Language::En,
    })
}

/// How many of `words` are everyday German words and how many English ones; words
/// both lists share ("in") count for neither.
fn everyday_words(words: &[&str]) -> (usize, usize) {
    let count = |list: &[&str], other: &[&str]| {
        words
            .iter()
            .filter(|w| list.contains(w) && !other.contains(w))
            .count()
    };
    (count(GERMAN, ENGLISH), count(ENGLISH, GERMAN))
}

/// Detects the language of `text`, falling back to `session` when unsure.
pub fn detect(text: &str, session: Language) -> Language {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != 'ß')
        .filter(|w| !w.is_empty())
        .collect();
    let (de, en) = everyday_words(&words);
    let umlaut = lower.contains(['ä', 'ö', 'ü', 'ß']);
    if de > en || (umlaut && de == en) {
        return Language::De;
    }
    if en > de {
        return Language::En;
    }
    // A keyword message ("wireless earbuds", "kabellose kopfhörer") is told by
    // product words of one language only.
    let lexicon = super::lexicon::Lexicon::get();
    let told = |lang| {
        words
            .iter()
            .filter(|w| lexicon.language_of(w) == Some(lang))
            .count()
    };
    let by_words = match told(Language::De).cmp(&told(Language::En)) {
        std::cmp::Ordering::Greater => Some(Language::De),
        std::cmp::Ordering::Less => Some(Language::En),
        std::cmp::Ordering::Equal => None,
    };
    // Trigrams of a few words mislead ("wifi extender" reads as German): there the
    // product words decide first.
    if words.len() <= SHORT {
        if let Some(lang) = by_words {
            return lang;
        }
    }
    let detector = Detector::with_allowlist(vec![Lang::Deu, Lang::Eng]);
    match detector.detect(&lower) {
        Some(info) if info.is_reliable() || info.confidence() >= 0.5 => match info.lang() {
            Lang::Deu => Language::De,
            _ => Language::En,
        },
        _ => by_words.unwrap_or(session),
    }
}

/// The most words of a message whose product words tell its language before the
/// trigram statistics do.
const SHORT: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_text_says_its_language_by_its_everyday_words() {
        assert_eq!(
            detect_text("Anker Nano II 65W. A compact charger that powers a laptop."),
            Some(Language::En)
        );
        assert_eq!(
            detect_text("Philips Hue E27 Lampe. Smarte LED-Lampe mit 16 Millionen Farben."),
            Some(Language::De)
        );
        // A bare name says nothing; colours and "one" are names in either language.
        assert_eq!(detect_text("deleyCON Netzwerkkabel Cat 6"), None);
        assert_eq!(
            detect_text("MSI GeForce RTX 4060 VENTUS 2X BLACK 8G OC Grafikkarte"),
            None
        );
        assert_eq!(
            detect_text("ARCTIC Liquid Freezer III 360. All-in-One-CPU-Wasserkühlung."),
            None
        );
    }

    #[test]
    fn short_and_long_utterances() {
        let de = Language::De;
        let en = Language::En;
        for (t, want) in [
            ("wo bleibt meine bestellung", de),
            ("the second one in size 42", en),
            (
                "Ich brauche einen wasserdichten Wintermantel unter 200 €",
                de,
            ),
            ("show me red shoes", en),
            ("das zweite in 42", de),
            ("unter 50 euro", de),
            ("cheaper please", en),
            ("günstiger", de),
            ("in schwarz", de),
            ("zeig mehr", de),
            ("is it waterproof", en),
            (
                "Do you have a waterproof winter coat under 200 dollars?",
                en,
            ),
            ("Hast du Laufschuhe für Damen?", de),
        ] {
            assert_eq!(detect(t, Language::De), want, "{t} (session de)");
            assert_eq!(detect(t, Language::En), want, "{t} (session en)");
        }
    }

    #[test]
    fn words_of_both_languages_keep_the_session_language() {
        assert_eq!(detect("ok", Language::De), Language::De);
        assert_eq!(detect("ok", Language::En), Language::En);
        assert_eq!(detect("42", Language::En), Language::En);
        assert_eq!(detect("Adidas", Language::De), Language::De);
        assert_eq!(
            detect("laptop", Language::De),
            Language::De,
            "a word both use"
        );
    }

    #[test]
    fn keyword_messages_are_told_by_their_product_words() {
        for session in [Language::De, Language::En] {
            assert_eq!(detect("wireless earbuds", session), Language::En);
            assert_eq!(detect("rain jacket", session), Language::En);
            assert_eq!(detect("kabellose kopfhörer", session), Language::De);
            assert_eq!(detect("fernglas", session), Language::De);
            assert_eq!(detect("wifi extender", session), Language::En);
            assert_eq!(detect("wifi 6 extender", session), Language::En);
        }
    }
}
