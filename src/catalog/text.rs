//! Word folding shared by the index, the rules and the answers: one spelling of a
//! word whatever its case and umlauts.

/// Whether a word is two or more letters and nothing else: what may be written
/// together with its neighbour as one word ("Sound Bar", "soundbar").
pub fn is_word_of_letters(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().all(char::is_alphabetic)
}

/// The words of a text, hyphenated ones whole ("Akku-Bohrschrauber", "WH-1000XM5"):
/// split on anything but letters, digits and hyphens, hyphens at their ends cut.
pub fn hyphened_words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// A text's hyphenated words written as one, lower case ("wifi" of "Wi-Fi 6",
/// "cat6" of "Cat-6", "ultrathin" of "Ultra-Thin"): what a shopper who leaves the
/// hyphen out writes.
pub fn hyphened_words_joined(text: &str) -> std::collections::HashSet<String> {
    hyphened_words(text)
        .into_iter()
        .filter(|w| w.contains('-'))
        .map(|w| w.replace('-', "").to_lowercase())
        .collect()
}

/// Whether a word is one letter alone, as a line's letter ("Series X", "G Pro").
pub fn is_single_letter(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
}

/// The most letters a word may have to be split into the parts of a compound or
/// translated: the longest German compounds in use have about 35. A longer "word" is a
/// code or noise, and reading every split of it takes time that grows with its square
/// (a message of one 2,000-letter word took 180 ms of a release build's turn).
pub const LONGEST_WORD: usize = 40;

/// Whether `word` is longer than any word to split or translate ([`LONGEST_WORD`]).
pub fn too_long_for_a_word(word: &str) -> bool {
    word.chars().nth(LONGEST_WORD).is_some()
}

/// The last parts a German compound may end in, longest first, of four letters or
/// more after a first part of three or more ("haartrockner" → "trockner", …); none
/// for a word [too long](too_long_for_a_word) to be one.
pub fn last_parts(word: &str) -> impl Iterator<Item = &str> {
    let word = if too_long_for_a_word(word) { "" } else { word };
    word.char_indices()
        .map(|(i, _)| i)
        .skip(3)
        .map(move |cut| &word[cut..])
        .take_while(|part| part.chars().count() >= 4)
}

/// `word` with its first letter a capital ("hülle" → "Hülle"), as German writes a
/// noun.
pub fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|f| f.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Lowercases and folds a word the way the index does (ä → a, ö → o, ü → u, ß → ss).
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'ß' => out.push_str("ss"),
            'é' | 'è' | 'ê' => out.push('e'),
            _ => out.push(c),
        }
    }
    out
}
