//! Spelled-out numbers in voice transcripts, German and English:
//! "zweihundert" → 200, "neunundvierzig neunundneunzig" → 49.99 (as "49 99"),
//! "two hundred and fifty" → 250, "forty nine ninety nine" → "49 99".

/// Replaces spelled-out numbers in lowercase `text` with digits. Consecutive number
/// words form one number ("two hundred and fifty"); two numbers in a row stay two
/// ("forty nine ninety nine" → "49 99"), which the price rules read as 49.99.
pub fn digits_for_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        match parse_number_at(&words, i) {
            Some((value, used)) => {
                out.push(value.to_string());
                i += used;
            }
            None => {
                out.push(words[i].to_string());
                i += 1;
            }
        }
    }
    out.join(" ")
}

/// Parses the longest English number phrase, or one German number word, at `i`.
fn parse_number_at(words: &[&str], i: usize) -> Option<(u64, usize)> {
    // "mindestens einem terabyte", "at least a terabyte": an article between a
    // comparison and a unit is one of it.
    let compared = i > 0
        && matches!(
            words[i - 1],
            "mindestens"
                | "über"
                | "ueber"
                | "unter"
                | "bis"
                | "zu"
                | "als"
                | "least"
                | "than"
                | "over"
                | "under"
                | "to"
        );
    let article = matches!(
        words[i],
        "a" | "an" | "ein" | "eine" | "einen" | "einem" | "einer"
    );
    if compared
        && article
        && words
            .get(i + 1)
            .is_some_and(|u| crate::catalog::specs::canonical_unit(u).is_some())
    {
        return Some((1, 1));
    }
    if let Some(v) = german(words[i]) {
        return Some((v, 1));
    }
    english_phrase(words, i)
}

const EN_UNITS: &[(&str, u64)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
];
const EN_TENS: &[(&str, u64)] = &[
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

fn en_word(w: &str) -> Option<u64> {
    EN_UNITS
        .iter()
        .chain(EN_TENS)
        .find(|(n, _)| *n == w)
        .map(|(_, v)| *v)
}

/// "two hundred and fifty", "forty nine", "one thousand two hundred". A new number
/// starts where a tens word follows a complete tens+unit ("forty nine | ninety nine").
fn english_phrase(words: &[&str], start: usize) -> Option<(u64, usize)> {
    let mut total = 0u64;
    let mut current = 0u64;
    let mut i = start;
    let mut last_small: Option<u64> = None;
    while i < words.len() {
        let w = words[i].trim_end_matches(['-', ',']);
        // "forty-nine"
        if let Some((a, b)) = w.split_once('-') {
            if let (Some(x), Some(y)) = (en_word(a), en_word(b)) {
                if last_small.is_some() {
                    break;
                }
                current += x + y;
                last_small = Some(x + y);
                i += 1;
                continue;
            }
        }
        // "two hundred and fifty", but not "one hundred and two hundred".
        if w == "and"
            && i > start
            && current >= 100
            && current.is_multiple_of(100)
            && words.get(i + 1).is_some_and(|n| en_word(n).is_some())
            && !words
                .get(i + 2)
                .is_some_and(|n| matches!(*n, "hundred" | "thousand"))
        {
            i += 1;
            continue;
        }
        // "a hundred", "a thousand".
        if w == "a"
            && i == start
            && words
                .get(i + 1)
                .is_some_and(|n| matches!(*n, "hundred" | "thousand"))
        {
            current = 1;
            i += 1;
            continue;
        }
        if w == "hundred" && i > start {
            current = current.max(1) * 100;
            last_small = None;
            i += 1;
            continue;
        }
        if w == "thousand" && i > start {
            total += current.max(1) * 1000;
            current = 0;
            last_small = None;
            i += 1;
            continue;
        }
        let Some(v) = en_word(w) else { break };
        match last_small {
            // A unit after a tens word completes it: "forty" + "nine".
            Some(prev) if prev >= 20 && prev % 10 == 0 && v < 10 => {
                current += v;
                last_small = Some(prev + v);
            }
            // Anything else after a number ends the phrase: "forty nine | ninety nine".
            Some(_) => break,
            None => {
                current += v;
                last_small = Some(v);
            }
        }
        i += 1;
    }
    // A lone "one" is mostly a pronoun ("the second one", "that one"); before a
    // unit it is a number ("one terabyte", "one meter").
    let before_unit = words
        .get(i)
        .is_some_and(|u| *u != "in" && crate::catalog::specs::canonical_unit(u).is_some());
    if i == start || (i - start == 1 && words[start] == "one" && !before_unit) {
        None
    } else {
        Some((total + current, i - start))
    }
}

const DE_UNITS: &[(&str, u64)] = &[
    ("null", 0),
    ("ein", 1),
    ("eins", 1),
    ("eine", 1),
    ("einen", 1),
    ("zwei", 2),
    ("drei", 3),
    ("vier", 4),
    ("fünf", 5),
    ("sechs", 6),
    ("sieben", 7),
    ("acht", 8),
    ("neun", 9),
    ("zehn", 10),
    ("elf", 11),
    ("zwölf", 12),
    ("dreizehn", 13),
    ("vierzehn", 14),
    ("fünfzehn", 15),
    ("sechzehn", 16),
    ("siebzehn", 17),
    ("achtzehn", 18),
    ("neunzehn", 19),
];
const DE_TENS: &[(&str, u64)] = &[
    ("zwanzig", 20),
    ("dreißig", 30),
    ("dreissig", 30),
    ("vierzig", 40),
    ("fünfzig", 50),
    ("sechzig", 60),
    ("siebzig", 70),
    ("achtzig", 80),
    ("neunzig", 90),
];

/// One German number word, which may be long: "zweihundertneunundvierzig" → 249.
pub fn german(w: &str) -> Option<u64> {
    // "ein", "eine", "einen" alone are articles, not numbers.
    if matches!(w, "ein" | "eine" | "einen") {
        return None;
    }
    parse_de(w).filter(|_| !w.is_empty())
}

fn parse_de(w: &str) -> Option<u64> {
    if w.is_empty() {
        return Some(0);
    }
    if let Some(pos) = w.find("tausend") {
        let head = &w[..pos];
        let thousands = if head.is_empty() {
            1
        } else {
            parse_de_below_1000(head)?
        };
        let rest = parse_de_below_1000_or_empty(&w[pos + "tausend".len()..])?;
        return Some(thousands * 1000 + rest);
    }
    parse_de_below_1000(w)
}

fn parse_de_below_1000_or_empty(w: &str) -> Option<u64> {
    if w.is_empty() {
        Some(0)
    } else {
        parse_de_below_1000(w)
    }
}

fn parse_de_below_1000(w: &str) -> Option<u64> {
    if let Some(pos) = w.find("hundert") {
        let head = &w[..pos];
        let hundreds = if head.is_empty() {
            1
        } else {
            parse_de_below_100(head)?
        };
        let rest = w[pos + "hundert".len()..].trim_start_matches("und");
        let rest = if rest.is_empty() {
            0
        } else {
            parse_de_below_100(rest)?
        };
        return Some(hundreds * 100 + rest);
    }
    parse_de_below_100(w)
}

fn parse_de_below_100(w: &str) -> Option<u64> {
    let lookup = |t: &[(&str, u64)], s: &str| t.iter().find(|(n, _)| *n == s).map(|(_, v)| *v);
    if let Some(v) = lookup(DE_UNITS, w).or_else(|| lookup(DE_TENS, w)) {
        return Some(v);
    }
    // "neunundvierzig" = neun + und + vierzig
    let (unit, tens) = w.split_once("und")?;
    let u = lookup(DE_UNITS, unit).filter(|v| (1..10).contains(v))?;
    let t = lookup(DE_TENS, tens)?;
    Some(t + u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_number_words() {
        assert_eq!(german("zweihundert"), Some(200));
        assert_eq!(german("neunundvierzig"), Some(49));
        assert_eq!(german("neunundneunzig"), Some(99));
        assert_eq!(german("hundertfünfzig"), Some(150));
        assert_eq!(german("zweitausenddreihundertzwölf"), Some(2312));
        assert_eq!(german("dreißig"), Some(30));
        assert_eq!(german("zwölf"), Some(12));
        assert_eq!(german("ein"), None, "an article, not a number");
        assert_eq!(
            digits_for_words("ssds mit mindestens einem terabyte"),
            "ssds mit mindestens 1 terabyte"
        );
        assert_eq!(
            digits_for_words("at least a terabyte but a foot massager"),
            "at least 1 terabyte but a foot massager"
        );
        assert_eq!(german("jacke"), None);
        assert_eq!(german("und"), None);
    }

    #[test]
    fn voice_transcripts_get_digits() {
        assert_eq!(digits_for_words("unter zweihundert euro"), "unter 200 euro");
        assert_eq!(digits_for_words("neunundvierzig neunundneunzig"), "49 99");
        assert_eq!(
            digits_for_words("under two hundred and fifty dollars"),
            "under 250 dollars"
        );
        assert_eq!(digits_for_words("forty nine ninety nine"), "49 99");
        assert_eq!(digits_for_words("size forty-two please"), "size 42 please");
        assert_eq!(digits_for_words("one thousand two hundred"), "1200");
        assert_eq!(
            digits_for_words("a blender under a hundred dollars"),
            "a blender under 100 dollars"
        );
        assert_eq!(digits_for_words("a thousand and one"), "1000 and one");
        assert_eq!(digits_for_words("i need a jacket"), "i need a jacket");
        assert_eq!(digits_for_words("eine jacke"), "eine jacke");
        assert_eq!(digits_for_words("the second one"), "the second one");
        assert_eq!(
            digits_for_words("samsung t7 one terabyte"),
            "samsung t7 1 terabyte"
        );
        assert_eq!(digits_for_words("the one in black"), "the one in black");
    }
}
