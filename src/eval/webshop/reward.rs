//! WebShop's published reward (Yao et al. 2022, `web_agent_site/engine/goal.py`),
//! ported so `eval webshop` scores exactly as the benchmark does, with one documented
//! approximation: the product-type factor's spaCy noun parse.
//!
//! reward = (attribute matches + option matches + [price ≤ limit])
//!          / (goal attributes + goal options + 1) × type factor
//!
//! - attribute: a goal attribute matches when `token_set_ratio` with one of the
//!   product's attributes is > 85, else when it is a substring of the lowercased title,
//!   bullet points or description;
//! - option: after WebShop's `normalize_color` (the first entry of its colour list
//!   contained in the string), a goal option matches when `token_set_ratio` with one
//!   of the bought options is > 85;
//! - type factor: 1 when the product's search query equals the goal's, or they share
//!   ≥ 2 category levels, or the title overlap is > 0.2; 0.5 otherwise; 0.1 when the
//!   overlap is < 0.1 and 0 when it is 0. The overlap is the share of the goal title's
//!   nouns found in the bought title's nouns. WebShop tags nouns with spaCy; we take
//!   every alphabetic token that is not an English function word (titles on Amazon are
//!   noun-heavy and capitalised, which spaCy mostly tags NOUN/PROPN). This
//!   approximation only matters when neither query nor category matches.
//!
//! `token_set_ratio` follows thefuzz/rapidfuzz: ASCII only, every non-alphanumeric
//! character (except `_`) a space, lowercase, token sets; 100 when one set contains the
//! other, else the best indel ratio of "common", "common + rest of a" and
//! "common + rest of b", rounded to an integer.

use std::collections::BTreeSet;

/// WebShop's colour list, in its order (the first one contained wins).
const COLOR_SET: &[&str] = &[
    "alabaster",
    "apricot",
    "aqua",
    "ash",
    "asphalt",
    "azure",
    "banana",
    "beige",
    "black",
    "blue",
    "blush",
    "bordeaux",
    "bronze",
    "brown",
    "burgundy",
    "camel",
    "camo",
    "caramel",
    "champagne",
    "charcoal",
    "cheetah",
    "chestnut",
    "chocolate",
    "christmas",
    "coffee",
    "cognac",
    "copper",
    "coral",
    "cranberry",
    "cream",
    "crystal",
    "dark",
    "denim",
    "eggplant",
    "elephant",
    "espresso",
    "fuchsia",
    "gold",
    "granite",
    "grape",
    "graphite",
    "grass",
    "gray",
    "green",
    "grey",
    "heather",
    "indigo",
    "ivory",
    "ivy",
    "khaki",
    "lavender",
    "lemon",
    "leopard",
    "light",
    "lilac",
    "lime",
    "magenta",
    "maroon",
    "mauve",
    "merlot",
    "midnight",
    "mint",
    "mocha",
    "multicolor",
    "mushroom",
    "mustard",
    "natural",
    "navy",
    "nude",
    "olive",
    "orange",
    "peach",
    "pewter",
    "pink",
    "plum",
    "purple",
    "rainbow",
    "red",
    "rose",
    "royal",
    "rust",
    "sand",
    "sapphire",
    "seashell",
    "silver",
    "skull",
    "slate",
    "steel",
    "stone",
    "stonewash",
    "sunflower",
    "tan",
    "taupe",
    "teal",
    "tiger",
    "turquoise",
    "violet",
    "walnut",
    "wheat",
    "white",
    "wine",
    "yellow",
];

/// WebShop's `normalize_color`: the first listed colour the string contains, else the
/// string itself.
pub fn normalize_color(s: &str) -> &str {
    COLOR_SET
        .iter()
        .find(|c| s.contains(*c))
        .copied()
        .unwrap_or(s)
}

fn full_process(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}

fn lcs(a: &[u8], b: &[u8]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for &x in a {
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Indel similarity in 0..=100 (Levenshtein's `ratio`).
fn ratio(a: &str, b: &str) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 100.0;
    }
    200.0 * lcs(a.as_bytes(), b.as_bytes()) as f64 / total as f64
}

/// thefuzz's `fuzz.token_set_ratio`, an integer 0..=100.
pub fn token_set_ratio(a: &str, b: &str) -> u32 {
    let (a, b) = (full_process(a), full_process(b));
    let ta: BTreeSet<&str> = a.split_whitespace().collect();
    let tb: BTreeSet<&str> = b.split_whitespace().collect();
    if ta.is_empty() || tb.is_empty() {
        return 0;
    }
    let sect: Vec<&str> = ta.intersection(&tb).copied().collect();
    let ab: Vec<&str> = ta.difference(&tb).copied().collect();
    let ba: Vec<&str> = tb.difference(&ta).copied().collect();
    if !sect.is_empty() && (ab.is_empty() || ba.is_empty()) {
        return 100;
    }
    let sect = sect.join(" ");
    let join = |rest: &[&str]| format!("{sect} {}", rest.join(" ")).trim().to_string();
    let (t1, t2) = (join(&ab), join(&ba));
    let best = if sect.is_empty() {
        ratio(&t1, &t2)
    } else {
        ratio(&sect, &t1)
            .max(ratio(&sect, &t2))
            .max(ratio(&t1, &t2))
    };
    best.round() as u32
}

const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "the", "of", "for", "with", "in", "on", "to", "by", "from", "at", "or", "as",
    "is", "it", "its", "this", "that", "these", "your", "you", "our", "my", "no", "not", "all",
    "any", "each", "per", "up", "out", "into", "over", "under", "off", "x", "s", "w",
];

/// The title's nouns, approximated (see the module documentation); a list, repeats kept,
/// as WebShop divides by the goal list's length.
pub fn title_nouns(title: &str) -> Vec<String> {
    title
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| {
            !w.is_empty()
                && w.chars().all(char::is_alphabetic)
                && !FUNCTION_WORDS.contains(&w.as_str())
        })
        .collect()
}

/// What the reward reads of a product.
#[derive(Debug, Clone, Default)]
pub struct ScoredProduct {
    pub asin: String,
    pub title: String,
    pub bullets: Vec<String>,
    pub description: String,
    pub attributes: Vec<String>,
    pub query: String,
    pub category: String,
    /// The price WebShop's environment charges (its seeded draw inside a range).
    pub price: f64,
}

/// What the reward reads of a goal.
#[derive(Debug, Clone, Default)]
pub struct GoalSpec {
    pub query: String,
    pub name: String,
    pub category: String,
    pub attributes: Vec<String>,
    pub options: Vec<String>,
    pub price_upper: f64,
}

/// One reward with its parts.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Reward {
    pub r_type: f64,
    pub attributes_matched: usize,
    pub options_matched: usize,
    pub price_ok: bool,
    pub total: f64,
}

pub fn type_factor(p: &ScoredProduct, g: &GoalSpec) -> f64 {
    let query_match = p.query == g.query;
    let cats =
        |c: &str| -> BTreeSet<String> { c.split('›').map(|x| x.trim().to_string()).collect() };
    let category_match = cats(&p.category).intersection(&cats(&g.category)).count() >= 2;
    let desired = title_nouns(&g.name);
    let bought: BTreeSet<String> = title_nouns(&p.title).into_iter().collect();
    let title_score = if desired.is_empty() {
        0.2
    } else {
        let unique: BTreeSet<&String> = desired.iter().collect();
        unique.iter().filter(|d| bought.contains(**d)).count() as f64 / desired.len() as f64
    };
    let mut r = 1.0;
    if !(query_match || category_match || title_score > 0.2) {
        r = 0.5;
    }
    if title_score < 0.1 {
        r = 0.1;
    }
    if title_score == 0.0 {
        r = 0.0;
    }
    r
}

pub fn attributes_matched(p: &ScoredProduct, g: &GoalSpec) -> usize {
    let title = p.title.to_lowercase();
    let bullets = p.bullets.join(" ").to_lowercase();
    let description = p.description.to_lowercase();
    g.attributes
        .iter()
        .filter(|ga| {
            p.attributes.iter().any(|pa| token_set_ratio(pa, ga) > 85)
                || title.contains(ga.as_str())
                || bullets.contains(ga.as_str())
                || description.contains(ga.as_str())
        })
        .count()
}

pub fn options_matched(bought: &[String], goal: &[String]) -> usize {
    let bought: Vec<&str> = bought.iter().map(|o| normalize_color(o)).collect();
    goal.iter()
        .map(|g| normalize_color(g))
        .filter(|g| bought.iter().any(|b| token_set_ratio(b, g) > 85))
        .count()
}

/// WebShop's `get_reward` for buying `p` with the option values `options`.
pub fn reward(p: &ScoredProduct, g: &GoalSpec, options: &[String]) -> Reward {
    let r_type = type_factor(p, g);
    let attributes_matched = attributes_matched(p, g);
    let options_matched = options_matched(options, &g.options);
    let price_ok = p.price <= g.price_upper;
    let total = (attributes_matched + options_matched + usize::from(price_ok)) as f64
        / (g.attributes.len() + g.options.len() + 1) as f64
        * r_type;
    Reward {
        r_type,
        attributes_matched,
        options_matched,
        price_ok,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// WebShop's own `test_normalize_color` cases.
    #[test]
    fn colours_normalise_as_in_webshop() {
        for (input, expected) in [
            ("", ""),
            ("black forest", "black"),
            ("violet lavender", "lavender"),
            ("steelivy fuchsia", "fuchsia"),
            ("123alabaster", "alabaster"),
            ("webshop", "webshop"),
        ] {
            assert_eq!(normalize_color(input), expected, "{input}");
        }
    }

    /// WebShop's own `test_get_option_reward` cases.
    #[test]
    fn option_matches_as_in_webshop() {
        let goal = strings(&["grey", "XL", "pack of 12"]);
        assert_eq!(
            options_matched(&strings(&["pack of 12", "grey", "XL"]), &goal),
            3
        );
        assert_eq!(
            options_matched(&strings(&["pack of 12", "blue", "XL"]), &goal),
            2
        );
        let goal = strings(&["cool powder snow", "XL", "pack of 12"]);
        assert_eq!(
            options_matched(&strings(&["pack of 12", "powder snow", "XL"]), &goal),
            3
        );
        assert_eq!(options_matched(&strings(&["goal 1"]), &[]), 0);
        assert_eq!(options_matched(&[], &strings(&["goal 1", "goal 2"])), 0);
    }

    /// Values computed with rapidfuzz 3 (`fuzz.token_set_ratio`, rounded).
    #[test]
    fn token_set_ratio_matches_rapidfuzz() {
        assert_eq!(
            token_set_ratio("fuzzy was a bear", "fuzzy fuzzy was a bear"),
            100
        );
        assert_eq!(token_set_ratio("x-large", "X-Large"), 100);
        assert_eq!(token_set_ratio("", "x"), 0);
        assert_eq!(token_set_ratio("large", "x-large"), 100);
        assert_eq!(token_set_ratio("small", "large"), 20);
        assert_eq!(token_set_ratio("pack of 12", "pack of 6"), 88);
        assert_eq!(token_set_ratio("machine wash", "hand wash"), 67);
        assert_eq!(token_set_ratio("3x-large", "x-large"), 93);
        assert_eq!(token_set_ratio("a1-black", "black"), 100);
    }

    #[test]
    fn type_factor_follows_query_category_and_title() {
        let p = ScoredProduct {
            title: "Men's Long Sleeve T-Shirt".into(),
            query: "men's t-shirts".into(),
            category: "Clothing › Men › Shirts".into(),
            ..Default::default()
        };
        let mut g = GoalSpec {
            name: "Soft Cotton T-Shirt for Men".into(),
            query: "men's t-shirts".into(),
            category: "Clothing › Men › Shirts".into(),
            ..Default::default()
        };
        assert_eq!(type_factor(&p, &g), 1.0);
        g.query = "other".into();
        g.category = "Home › Kitchen".into();
        // "shirt", "men" of ["soft", "cotton", "t", "shirt", "men"] → 0.4 > 0.2
        assert_eq!(type_factor(&p, &g), 1.0);
        g.name = "Garden Hose Reel".into();
        assert_eq!(type_factor(&p, &g), 0.0);
    }

    #[test]
    fn the_goal_product_with_its_options_scores_one() {
        let p = ScoredProduct {
            title: "Bar Stool Set of 2".into(),
            attributes: strings(&["dining room", "living room"]),
            query: "bar stools".into(),
            category: "Home & Kitchen › Furniture".into(),
            price: 80.0,
            ..Default::default()
        };
        let g = GoalSpec {
            query: "bar stools".into(),
            name: "Bar Stool Set of 2".into(),
            category: "Home & Kitchen › Furniture".into(),
            attributes: strings(&["dining room", "living room"]),
            options: strings(&["white"]),
            price_upper: 90.0,
        };
        let r = reward(&p, &g, &strings(&["white"]));
        assert_eq!(r.total, 1.0);
        let r = reward(&p, &g, &strings(&["black"]));
        assert!((r.total - 0.75).abs() < 1e-9, "{r:?}");
        let cheap = GoalSpec {
            price_upper: 50.0,
            ..g.clone()
        };
        assert!((reward(&p, &cheap, &strings(&["white"])).total - 0.75).abs() < 1e-9);
    }
}
