//! The voice channel: replies a speech front-end reads out. At most two sentences and
//! three products, no markdown, no URLs or ids, prices and sizes as people say them.

use crate::nlu::Language;

/// A price as spoken: 1999 EUR → "19 Euro 99" / "19 euros 99", 4000 USD → "40 Dollar" /
/// "40 dollars", 100 EUR → "1 Euro" / "1 euro".
pub fn speak_price(minor: i64, currency: &str, language: Language) -> String {
    let major = minor / 100;
    let cents = (minor % 100).abs();
    let (one, many) = match (currency, language) {
        ("EUR", Language::De) => ("Euro", "Euro"),
        ("EUR", Language::En) => ("euro", "euros"),
        ("USD", Language::De) => ("Dollar", "Dollar"),
        ("USD", Language::En) => ("dollar", "dollars"),
        ("GBP", Language::De) => ("Pfund", "Pfund"),
        ("GBP", Language::En) => ("pound", "pounds"),
        (other, _) => (other, other),
    };
    let unit = if major == 1 { one } else { many };
    if cents == 0 {
        format!("{major} {unit}")
    } else {
        format!("{major} {unit} {cents}")
    }
}

/// A size as spoken: "XL" → "XL" spelled out, "8.5" → "8 einhalb" / "8 and a half".
pub fn speak_size(size: &str, language: Language) -> String {
    let upper = size.to_uppercase();
    let spelled = match (upper.as_str(), language) {
        ("XS", Language::De) => Some("extra small"),
        ("XS", Language::En) => Some("extra small"),
        ("S", _) => Some("small"),
        ("M", _) => Some("medium"),
        ("L", _) => Some("large"),
        ("XL", _) => Some("extra large"),
        ("XXL", _) => Some("double extra large"),
        _ => None,
    };
    if let Some(s) = spelled {
        return s.to_string();
    }
    match size.replace(',', ".").split_once('.') {
        Some((whole, "5")) => match language {
            Language::De => format!("{whole} einhalb"),
            Language::En => format!("{whole} and a half"),
        },
        _ => size.to_string(),
    }
}

/// Makes text fit for speech: markdown, URLs and bracketed ids removed, at most two
/// sentences.
pub fn for_speech(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if word.starts_with("http://") || word.starts_with("https://") || word.starts_with("www.") {
            continue;
        }
        let w: String = word
            .chars()
            .filter(|c| !matches!(c, '*' | '_' | '#' | '`' | '[' | ']'))
            .collect();
        if w.is_empty()
            || w.starts_with('(') && w.ends_with(')') && w.chars().any(|c| c.is_ascii_digit())
        {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w);
    }
    // Two sentences at most.
    let mut sentences = 0;
    let mut end = out.len();
    for (i, c) in out.char_indices() {
        if matches!(c, '.' | '!' | '?') && out[i + 1..].starts_with(' ') {
            sentences += 1;
            if sentences == 2 {
                end = i + 1;
                break;
            }
        }
    }
    out.truncate(end);
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_and_sizes_as_people_say_them() {
        assert_eq!(speak_price(1999, "EUR", Language::De), "19 Euro 99");
        assert_eq!(speak_price(4000, "USD", Language::En), "40 dollars");
        assert_eq!(speak_price(100, "EUR", Language::En), "1 euro");
        assert_eq!(speak_price(20005, "EUR", Language::De), "200 Euro 5");
        assert_eq!(speak_size("XL", Language::De), "extra large");
        assert_eq!(speak_size("8.5", Language::En), "8 and a half");
        assert_eq!(speak_size("42", Language::De), "42");
    }

    #[test]
    fn speech_has_no_markdown_urls_or_ids_and_two_sentences_at_most() {
        let t = "**Regenjacke Nordkap** (P00001) für 89 Euro. Mehr unter https://shop.example/p/1 hier. Dritter Satz. Vierter.";
        assert_eq!(
            for_speech(t),
            "Regenjacke Nordkap für 89 Euro. Mehr unter hier."
        );
    }
}
