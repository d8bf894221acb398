//! Colours and sizes a shopper names.

use super::*;

/// Colours wanted and colours excluded ("nicht rot", "not red", "kein schwarz").
pub fn colors(text: &str) -> (Vec<String>, Vec<String>) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (mut want, mut not) = (Vec::new(), Vec::new());
    for (i, w) in words.iter().enumerate() {
        let Some(c) = canonical_color(w) else {
            continue;
        };
        if names_the_thing(&words, i) {
            continue;
        }
        let negated = i > 0
            && matches!(
                words[i - 1],
                "nicht" | "not" | "kein" | "keine" | "no" | "ohne" | "without" | "isnt" | "arent"
            );
        let list = if negated { &mut not } else { &mut want };
        if !list.iter().any(|x: &String| x == c) {
            list.push(c.to_string());
        }
    }
    (want, not)
}

/// Colour words that name things too ("face cream", "hand cream", "beach sand").
const THING_COLORS: &[&str] = &[
    "cream", "creme", "sand", "olive", "mint", "rose", "orange", "camel", "cognac", "petrol",
    "charcoal", "marine",
];

/// Whether the colour word at `i` closes a product's name rather than naming its
/// colour: one of [`THING_COLORS`] after a word of the name, with nothing after it
/// but the words that start what the product is for or has ("face cream for dry
/// skin"), where "a sweater in cream" and "cream sweater" want the colour.
fn names_the_thing(words: &[&str], i: usize) -> bool {
    const BEFORE_A_COLOR: &[&str] = &[
        "in", "and", "or", "und", "oder", "color", "colour", "farbe", "not", "nicht", "no", "kein",
        "keine", "ohne", "without", "isnt", "arent",
    ];
    const AFTER_THE_NAME: &[&str] = &[
        "for", "with", "under", "below", "that", "which", "please", "für", "fur", "mit", "unter",
        "bitte", "from", "by", "to",
    ];
    let Some(prev) = i.checked_sub(1).map(|j| words[j]) else {
        return false;
    };
    THING_COLORS.contains(&words[i])
        && !BEFORE_A_COLOR.contains(&prev)
        && canonical_color(prev).is_none()
        && words.get(i + 1).is_none_or(|n| AFTER_THE_NAME.contains(n))
}

/// Whether `word` opens a size said with "size" after it ("twin size", "queen
/// size"): a size's word, no product's.
pub fn opens_a_size(word: &str, next: Option<&str>) -> bool {
    let said = format!("{word} size");
    next == Some("size") && sizes(&said).contains(&said)
}

/// Sizes: clothing letters, EU shoe sizes after a size word, "größe m", "size 8.5",
/// bed sizes, and dimensions like "100x45x45cm" (also said: "6 by 9", "6 mal 9").
pub fn sizes(text: &str) -> Vec<String> {
    static DIM: OnceLock<Regex> = OnceLock::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for (i, w) in words.iter().enumerate() {
        // "extra large", "extra-large", "extra small"
        if *w == "extra" || *w == "extra-large" || *w == "extra-small" {
            let next = if *w == "extra" {
                words.get(i + 1).copied()
            } else {
                Some(&w[6..])
            };
            match next {
                Some("large") => push("XL".into()),
                Some("small") => push("XS".into()),
                _ => {}
            }
            continue;
        }
        if *w == "large" && i > 0 && words[i - 1] == "extra" {
            continue;
        }
        // "8 size flats": a number right before "size"/"größe".
        if matches!(words.get(i + 1), Some(&"size") | Some(&"größe"))
            && w.replace(',', ".")
                .parse::<f64>()
                .is_ok_and(|n| (1.0..=60.0).contains(&n))
        {
            push(w.replace(',', "."));
            continue;
        }
        let after_size_word = i > 0
            && matches!(
                words[i - 1],
                "größe" | "groesse" | "grösse" | "gr" | "size" | "nummer" | "in"
            );
        let letter = matches!(
            *w,
            "xxs"
                | "xs"
                | "s"
                | "m"
                | "l"
                | "xl"
                | "xxl"
                | "xxxl"
                | "2xl"
                | "3xl"
                | "4xl"
                | "5xl"
                | "x-large"
                | "xx-large"
                | "3x-large"
                | "small"
                | "medium"
                | "large"
        );
        // "small", "medium", "large" are sizes only next to a size word ("size
        // large", "large size"): "a small end table" wants a small table, not size S.
        let spelled = matches!(*w, "small" | "medium" | "large");
        let size_next = matches!(words.get(i + 1), Some(&"size") | Some(&"größe"));
        if letter && (after_size_word || size_next || !spelled && w.len() >= 2 && *w != "in") {
            push(match *w {
                "small" => "S".into(),
                "medium" => "M".into(),
                "large" => "L".into(),
                "x-large" => "XL".into(),
                "xx-large" => "XXL".into(),
                "3x-large" => "3XL".into(),
                other => other.to_uppercase(),
            });
            continue;
        }
        // "das zweite in 42": after a bare "in", a number in the range of shoe and
        // clothing sizes counts, unless a unit follows ("in 20 minuten", "in 30 euro").
        let in_size = i > 0
            && words[i - 1] == "in"
            && w.parse::<u32>().is_ok_and(|n| (16..=60).contains(&n))
            && !words.get(i + 1).is_some_and(|n| {
                matches!(
                    *n,
                    "euro"
                        | "eur"
                        | "€"
                        | "dollar"
                        | "dollars"
                        | "$"
                        | "tage"
                        | "tagen"
                        | "minuten"
                        | "stunden"
                        | "jahren"
                        | "days"
                        | "minutes"
                        | "hours"
                        | "years"
                        | "stück"
                        | "sekunden"
                        | "cm"
                        | "mm"
                        | "kg"
                        | "g"
                        | "ml"
                        | "l"
                )
            });
        if in_size {
            push(w.to_string());
            continue;
        }
        if after_size_word && words[i - 1] != "in" {
            if let Ok(n) = w.replace(',', ".").parse::<f64>() {
                if (0.0..=60.0).contains(&n) {
                    push(w.replace(',', "."));
                    // "size 8.5 wide"
                    if words.get(i + 1) == Some(&"wide") {
                        push("wide".into());
                    }
                }
            }
        }
        if matches!(*w, "queen" | "king" | "twin" | "full") && words.get(i + 1) == Some(&"size") {
            push(format!("{w} size"));
        }
        // "size: full", "size queen"
        if matches!(*w, "queen" | "king" | "twin" | "full")
            && i > 0
            && matches!(words[i - 1], "size" | "größe")
        {
            push(w.to_string());
        }
    }
    for m in re(
        &DIM,
        r"\b(\d+(?:[.,]\d+)?)\s*(?:x|×|\sby\s|\smal\s)\s*(\d+(?:[.,]\d+)?)(?:\s*(?:x|×|\sby\s|\smal\s)\s*(\d+(?:[.,]\d+)?))?\s*(cm|mm|m)?\b",
    )
    .captures_iter(text)
    {
        // Part of a model written with a hyphen ("r2-500x1") is no size.
        let whole = m.get(0).map_or(0, |g| g.start());
        if text[..whole]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '-')
        {
            continue;
        }
        let dims: Vec<&str> = [m.get(1), m.get(2), m.get(3)]
            .into_iter()
            .flatten()
            .map(|g| g.as_str())
            .collect();
        let unit = m.get(4).map(|u| u.as_str()).unwrap_or("");
        push(format!("{}{unit}", dims.join("x")));
    }
    out
}
