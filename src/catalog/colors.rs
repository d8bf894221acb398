//! Colour names in German and English mapped to one canonical (English) name, so a
//! filter for "schwarz" finds a variant listed as "Black" and vice versa.

/// Canonical colour and the words (German with inflections handled by
/// [`canonical_color`], English) that mean it.
const COLORS: &[(&str, &[&str])] = &[
    ("black", &["black", "schwarz"]),
    (
        "white",
        &["white", "weiß", "weiss", "cremeweiß", "offwhite"],
    ),
    (
        "grey",
        &[
            "grey",
            "gray",
            "grau",
            "anthrazit",
            "anthracite",
            "charcoal",
        ],
    ),
    ("silver", &["silver", "silber"]),
    ("gold", &["gold", "golden"]),
    ("red", &["red", "rot", "bordeaux", "burgundy", "weinrot"]),
    ("blue", &["blue", "blau", "hellblau", "royalblau"]),
    ("navy", &["navy", "marine", "marineblau", "dunkelblau"]),
    (
        "green",
        &["green", "grün", "gruen", "oliv", "olive", "khaki"],
    ),
    ("yellow", &["yellow", "gelb", "senfgelb"]),
    ("orange", &["orange"]),
    ("pink", &["pink", "rosa", "rose", "rosé", "magenta"]),
    ("purple", &["purple", "violet", "lila", "violett", "lilac"]),
    ("brown", &["brown", "braun", "cognac", "camel", "mocca"]),
    (
        "beige",
        &[
            "beige", "sand", "creme", "cream", "natur", "natural", "ecru",
        ],
    ),
    (
        "turquoise",
        &["turquoise", "türkis", "tuerkis", "petrol", "teal", "mint"],
    ),
    (
        "multicolor",
        &["multicolor", "multicolour", "bunt", "mehrfarbig"],
    ),
    ("transparent", &["transparent", "clear", "durchsichtig"]),
];

/// German adjective endings, longest first: "schwarzen" → "schwarz".
const DE_ENDINGS: &[&str] = &["en", "em", "er", "es", "e"];

/// Prefixes that shade a colour without changing it: "dunkelgrau" → grey.
const SHADES: &[&str] = &["dunkel", "hell", "light", "dark", "pastell", "neon", "matt"];

/// The canonical colour a word names, if any: `schwarzen` → `black`,
/// `Dunkelgrau` → `grey`, `navy` → `navy`.
pub fn canonical_color(word: &str) -> Option<&'static str> {
    let w = word.trim().to_lowercase();
    if w.is_empty() {
        return None;
    }
    lookup(&w)
        .or_else(|| {
            DE_ENDINGS
                .iter()
                .filter_map(|e| w.strip_suffix(e))
                // German endings go on German words: "reden" (to talk) is no "red".
                .filter(|stem| *stem != "red")
                .find_map(lookup)
        })
        .or_else(|| {
            SHADES
                .iter()
                .filter_map(|s| w.strip_prefix(s))
                .map(|r| r.trim_start_matches('-'))
                .find_map(|r| canonical_color(r))
        })
        .or_else(|| compound_color(&w))
}

/// German colour compounds end in their base colour: "olivgrün" → green,
/// "feuerrote" → red. The modifier must be at least three letters, so "brot" is no "rot".
/// English writes its colours apart, so an English colour word at the end of a word
/// names none: "Paperwhite" is a Kindle, "hundred" no red.
fn compound_color(w: &str) -> Option<&'static str> {
    let stem = DE_ENDINGS
        .iter()
        .filter_map(|e| w.strip_suffix(e))
        .chain(std::iter::once(w));
    for s in stem {
        for (canonical, words) in COLORS {
            // "natur" ends words that name no colour: "Signatur", "Signature".
            let compounds = |w: &&&str| !ENGLISH_ONLY.contains(w) && **w != "natur";
            for word in words.iter().filter(compounds) {
                if let Some(prefix) = s.strip_suffix(word) {
                    if prefix.chars().count() >= 3 && prefix.chars().all(char::is_alphabetic) {
                        return Some(canonical);
                    }
                }
            }
        }
    }
    None
}

/// Colour words of [`COLORS`] that are English only: no German compound ends in them.
const ENGLISH_ONLY: &[&str] = &[
    "black",
    "white",
    "grey",
    "gray",
    "charcoal",
    "silver",
    "red",
    "burgundy",
    "blue",
    "navy",
    "green",
    "olive",
    "yellow",
    "pink",
    "rose",
    "purple",
    "violet",
    "lilac",
    "brown",
    "camel",
    "sand",
    "cream",
    "natural",
    "turquoise",
    "teal",
    "mint",
    "clear",
    "multicolor",
    "multicolour",
    "offwhite",
    "golden",
    "anthracite",
];

fn lookup(w: &str) -> Option<&'static str> {
    COLORS
        .iter()
        .find(|(_, words)| words.contains(&w))
        .map(|(c, _)| *c)
}

/// The canonical colour of a catalogue colour value such as "Schwarz/Weiß" or
/// "Dark Grey": the first word that names a colour.
pub fn canonical_of_value(value: &str) -> Option<&'static str> {
    canonical_color(value).or_else(|| {
        value
            .split(|c: char| !c.is_alphanumeric() && c != 'ß' && c != '-')
            .find_map(canonical_color)
    })
}

/// The German name of a canonical colour, for replies.
pub fn german_name(canonical: &str) -> &str {
    match canonical {
        "black" => "schwarz",
        "white" => "weiß",
        "grey" => "grau",
        "silver" => "silber",
        "red" => "rot",
        "blue" => "blau",
        "navy" => "marineblau",
        "green" => "grün",
        "yellow" => "gelb",
        "pink" => "rosa",
        "purple" => "lila",
        "brown" => "braun",
        "turquoise" => "türkis",
        "multicolor" => "bunt",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_inflections_map_to_one_colour() {
        for w in [
            "schwarz",
            "schwarze",
            "schwarzen",
            "schwarzer",
            "Schwarzes",
            "black",
        ] {
            assert_eq!(canonical_color(w), Some("black"), "{w}");
        }
        assert_eq!(canonical_color("dunkelgrau"), Some("grey"));
        assert_eq!(canonical_color("hellblaue"), Some("blue"));
        assert_eq!(canonical_color("grünen"), Some("green"));
        assert_eq!(canonical_color("weißen"), Some("white"));
        assert_eq!(canonical_color("olivgrün"), Some("green"));
        assert_eq!(canonical_color("feuerrote"), Some("red"));
    }

    #[test]
    fn non_colours_are_not_colours() {
        for w in [
            "jacke",
            "rote-",
            "",
            "er",
            "schwarzwald",
            "hello",
            "brot",
            "karotte",
            "paperwhite",
            "hundred",
            "signature",
            "signatur",
        ] {
            assert_eq!(canonical_color(w), None, "{w}");
        }
    }

    #[test]
    fn catalogue_values_take_their_first_colour() {
        assert_eq!(canonical_of_value("Schwarz/Weiß"), Some("black"));
        assert_eq!(canonical_of_value("Dark Grey"), Some("grey"));
        assert_eq!(canonical_of_value("Navy Blue"), Some("navy"));
    }
}
