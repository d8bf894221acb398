//! Specs a shopper asks for: "longer than 20 feet", "mindestens 27 Zoll", "über 550 W",
//! "at least 16gb", "between 1 and 2 tb", "10000mah" — and superlatives over a spec:
//! "the largest", "die schnellste", "the longest". Units are read and normalised by
//! [`crate::catalog::specs`]; here we read the comparison around them.

use serde::{Deserialize, Serialize};

use crate::catalog::specs::{parse_number, quantities, Dim, Quantity};

/// How a spec must compare with the value asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpecOp {
    AtLeast,
    MoreThan,
    AtMost,
    LessThan,
    /// Between `value` and `high`, both included.
    Between,
    /// The value itself, within 3 % ("10000mah", "44mm").
    About,
}

/// One spec constraint, in the dimension's base unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SpecWish {
    pub dim: Dim,
    pub op: SpecOp,
    /// As the shopper said it (the lower end for `Between`).
    pub wanted: Quantity,
    /// The upper end for `Between`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<Quantity>,
    /// A size of working memory ("16gb ram", "32 gb ddr5", "16 gb arbeitsspeicher"):
    /// met by what a product states as its memory where it states one
    /// ([`crate::catalog::specs::Specs::memory`]), not by its SSD.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub memory: bool,
}

impl SpecWish {
    /// Whether a value (base unit) meets the wish.
    pub fn met_by(&self, value: f64) -> bool {
        let x = self.wanted.value;
        let eps = 1e-6 * x.abs().max(1.0);
        match self.op {
            SpecOp::AtLeast => value >= x - eps,
            SpecOp::MoreThan => value > x + eps,
            SpecOp::AtMost => value <= x + eps,
            SpecOp::LessThan => value < x - eps,
            SpecOp::Between => {
                value >= x - eps && self.high.as_ref().is_none_or(|h| value <= h.value + eps)
            }
            SpecOp::About => (value - x).abs() <= 0.03 * x.abs() + eps,
        }
    }

    /// Whether a product's quantity meets the wish: a value as [`Self::met_by`]; a
    /// range of what it fits ("for 40 to 86 inch TVs") when the wanted value is in
    /// it, or for a bound, when its end on that side meets it.
    pub fn met_by_quantity(&self, q: &Quantity) -> bool {
        let x = self.wanted.value;
        let eps = 1e-6 * x.abs().max(1.0);
        let Some(from) = q.from else {
            // The same unit said and written is the same number: a 41 mm band is no
            // 42 mm one. The 3 % of [`Self::met_by`] is for what a unit's change
            // rounds ("2 m" of a 6.6 ft cable).
            if self.op == SpecOp::About && self.wanted.unit.eq_ignore_ascii_case(&q.unit) {
                return (q.value - x).abs() <= 0.01 * x.abs() + eps;
            }
            return self.met_by(q.value);
        };
        match self.op {
            SpecOp::AtLeast | SpecOp::MoreThan => self.met_by(q.value),
            SpecOp::AtMost | SpecOp::LessThan => self.met_by(from),
            SpecOp::About => x >= from - eps && x <= q.value + eps,
            SpecOp::Between => {
                q.value >= x - eps && self.high.as_ref().is_none_or(|h| from <= h.value + eps)
            }
        }
    }

    /// The comparison as a sign, for evidence ("50 ft ≥ 20 ft").
    pub fn sign(&self) -> &'static str {
        match self.op {
            SpecOp::AtLeast => "≥",
            SpecOp::MoreThan => ">",
            SpecOp::AtMost => "≤",
            SpecOp::LessThan => "<",
            SpecOp::Between => "in",
            SpecOp::About => "=",
        }
    }
}

impl SpecWish {
    /// The wish as a sentence names it: "128 GB" for a bare value (not "= 128 GB"),
    /// else with its comparison ("≥ 20 ft", "1–2 TB").
    pub fn as_said(&self) -> String {
        match self.op {
            SpecOp::About => self.wanted.to_string(),
            _ => self.to_string(),
        }
    }
}

impl std::fmt::Display for SpecWish {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.op, &self.high) {
            (SpecOp::Between, Some(h)) => write!(f, "{}–{h}", self.wanted.in_own_unit()),
            _ => write!(f, "{} {}", self.sign(), self.wanted),
        }
    }
}

/// A superlative over a spec: which dimensions it may mean, in order of preference, and
/// the direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SpecSort {
    pub dims: Vec<Dim>,
    /// Largest first.
    pub desc: bool,
    /// The word that asked for it ("largest", "schnellste").
    pub word: String,
    /// A wish for much rather than for the most ("a high refresh rate", "a big
    /// battery"): a page in that order, not the first alone.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub page: bool,
}

const AT_LEAST: &[&str] = &[
    "at least",
    "minimum",
    "min",
    "mindestens",
    "wenigstens",
    "no less than",
    "not less than",
    "ab",
    // "a ladder that reaches 20 feet", "a tent that sleeps 6", "holds 40 quarts".
    "reaches",
    "reach",
    "reaching",
    "sleeps",
    "holds",
];
const MORE_THAN: &[&str] = &[
    "longer than",
    "longer",
    "bigger",
    "larger",
    "faster",
    "länger",
    "größer",
    "more than",
    "greater than",
    "bigger than",
    "larger than",
    "higher than",
    "faster than",
    "heavier than",
    "taller than",
    "higher",
    "taller",
    "wider than",
    "stronger than",
    "more powerful than",
    "brighter than",
    "höher als",
    "breiter als",
    "stärker als",
    "over",
    "above",
    "exceeding",
    "über",
    "uber",
    "ueber",
    "mehr als",
    "länger als",
    "größer als",
    "grösser als",
    "schneller als",
    "schwerer als",
];
const AT_MOST: &[&str] = &[
    "at most",
    "maximum",
    "max",
    "up to",
    "no more than",
    "not more than",
    "höchstens",
    "maximal",
    "bis zu",
    "bis",
];
const LESS_THAN: &[&str] = &[
    "less than",
    "shorter than",
    "smaller than",
    "lighter than",
    "lower than",
    "under",
    "below",
    "unter",
    "weniger als",
    "kürzer als",
    "kleiner als",
    "leichter als",
    "thinner than",
    "narrower than",
    "slower than",
    "quieter than",
    "leiser als",
    "dünner als",
    "schmaler als",
];

/// The comparison the words before a quantity ask for.
fn op_before(before: &str) -> Option<SpecOp> {
    let b = format!(" {}", before.trim_end());
    for (list, op) in [
        (MORE_THAN, SpecOp::MoreThan),
        (LESS_THAN, SpecOp::LessThan),
        (AT_LEAST, SpecOp::AtLeast),
        (AT_MOST, SpecOp::AtMost),
    ] {
        if list.iter().any(|w| b.ends_with(&format!(" {w}"))) {
            return Some(op);
        }
    }
    None
}

/// Every spec constraint in a normalised message.
pub fn spec_wishes(normalised: &str) -> Vec<SpecWish> {
    wishes_at(normalised).into_iter().map(|(w, _)| w).collect()
}

/// The spec constraints of a message with the byte range of each quantity.
fn wishes_at(normalised: &str) -> Vec<(SpecWish, std::ops::Range<usize>)> {
    // A request's range is read by its words ("between 1 and 2 tb"), into a wish
    // with two ends.
    let said = quantities(normalised);
    let mut out = Vec::new();
    let mut i = 0;
    while i < said.len() {
        let (q, range) = (&said[i].0, &said[i].1);
        // Both ends with their unit: "between 1tb and 2tb", "zwischen 1 tb und 2 tb",
        // "from 500gb to 1tb".
        if let Some((high, high_range)) = said.get(i + 1) {
            let link = normalised[range.end..high_range.start].trim();
            let opened = normalised[..range.start]
                .split_whitespace()
                .last()
                .is_some_and(|w| ["between", "zwischen", "from", "von"].contains(&w));
            let joins = match link {
                "and" | "und" => opened,
                "to" | "bis" | "-" => true,
                _ => false,
            };
            if joins && high.dim == q.dim {
                // The phrase starts at "between" when it opens it.
                let head = normalised[..range.start].trim_end();
                let start = if opened {
                    head.rfind(' ').map_or(0, |i| i + 1)
                } else {
                    range.start
                };
                out.push((
                    SpecWish {
                        dim: q.dim,
                        op: SpecOp::Between,
                        wanted: Quantity {
                            from: None,
                            ..q.clone()
                        },
                        high: Some(Quantity {
                            from: None,
                            ..high.clone()
                        }),
                        memory: says_memory(&normalised[high_range.end..]),
                    },
                    start..high_range.end,
                ));
                i += 2;
                continue;
            }
        }
        let q = Quantity {
            from: None,
            ..q.clone()
        };
        if let Some(w) = wish(normalised, q, range) {
            out.push((w, range.clone()));
        }
        i += 1;
    }
    out
}

/// The constraint a quantity at `range` of the message asks for, if it is one.
fn wish(normalised: &str, q: Quantity, range: &std::ops::Range<usize>) -> Option<SpecWish> {
    let before = &normalised[..range.start];
    let after = normalised[range.end..].trim_start();
    // "between 1 and 2 tb", "1-2 tb", "1 to 2 tb": a bare number before.
    let words: Vec<&str> = before.split_whitespace().collect();
    let bare = |w: &str| parse_number(w.trim_end_matches('-'));
    let low = match words.as_slice() {
        [.., lo, "and" | "und" | "to" | "bis" | "-"] => bare(lo),
        [.., lo] if lo.ends_with('-') => bare(lo),
        _ => None,
    };
    if let Some(lo) = low {
        let factor = q.value / q.in_own_unit();
        return Some(SpecWish {
            dim: q.dim,
            op: SpecOp::Between,
            wanted: Quantity {
                value: lo * factor,
                ..q.clone()
            },
            high: Some(q),
            memory: says_memory(after),
        });
    }
    let op = if OR_MORE.iter().any(|w| after.starts_with(w))
        || after.starts_with("plus")
        || after.starts_with('+')
    {
        SpecOp::AtLeast
    } else if OR_LESS.iter().any(|w| after.starts_with(w)) {
        SpecOp::AtMost
    } else {
        // "at least a 10 inch screen": an article between the comparison and its
        // number.
        let said = match words.as_slice() {
            [rest @ .., last] if ARTICLES.contains(last) => rest,
            all => all,
        };
        op_before(&said[said.len().saturating_sub(3)..].join(" ")).unwrap_or_else(|| {
            // "an action camera with 4k" asks what it can record: a 5.3K camera
            // records 4K too. "a 4k tv" names the one it is.
            // "an air purifier for 1500 sq ft": what it covers, at least.
            let capability = matches!(q.dim, Dim::Resolution | Dim::FrameRate)
                && words.last().is_some_and(|w| matches!(*w, "with" | "mit"))
                || q.dim == Dim::Area;
            if capability {
                SpecOp::AtLeast
            } else {
                SpecOp::About
            }
        })
    };
    // A bare value is a constraint only for technical dimensions (and for watts and
    // lengths in feet or metres, which clothes do not have: "hdmi cable thirty
    // feet", "usb wall charger 24 watts"): "6.76 fl oz", "24 inch" and "28w x 30l"
    // in clothing and beauty requests are option values the search matches as words.
    let technical = matches!(
        q.dim,
        Dim::Capacity
            | Dim::Storage
            | Dim::DataRate
            | Dim::Frequency
            | Dim::Resolution
            | Dim::Megapixels
            | Dim::Energy
            | Dim::Brightness
            | Dim::RunTime
            | Dim::Pressure
            | Dim::Current
            | Dim::People
            | Dim::Voltage
            | Dim::Cores
            | Dim::Dpi
            | Dim::PrintSpeed
            | Dim::Ports
            | Dim::Outlets
            | Dim::Sheets
            | Dim::Rpm
            | Dim::Noise
            | Dim::FrameRate
            | Dim::Cups
            | Dim::Area
            | Dim::Channels
            | Dim::Gauge
            | Dim::Pack
            | Dim::Torque
    ) || (q.dim == Dim::Length && matches!(q.unit.as_str(), "mm" | "ft" | "m"))
        || q.dim == Dim::Power
        // "pressure cooker 8 quart": an appliance's size; beauty sizes are in oz or ml.
        || matches!(q.unit.as_str(), "qt" | "gal")
        // "27 inch monitor", "55 zoll fernseher": a screen's size; "26 inch wiper
        // blade", "21 inch lawn mower": a thing's size. Not a garment's: "jeans 32
        // inch" is a waist, matched as words.
        || (q.unit == "in" && (names_a_screen(normalised) || !names_a_garment(normalised)));
    let sized = after.starts_with("x ") || before.trim_end().ends_with(" x");
    if op == SpecOp::About && (!technical || sized) {
        return None;
    }
    Some(SpecWish {
        memory: q.dim == Dim::Storage && says_memory(after),
        dim: q.dim,
        op,
        wanted: q,
        high: None,
    })
}

/// Whether the words after a size name working memory: "ram", "of ram", "ddr5",
/// "memory" (not "memory card"), "arbeitsspeicher".
fn says_memory(after: &str) -> bool {
    let mut words = after.split_whitespace().skip_while(|w| *w == "of");
    match words.next() {
        Some("ram" | "arbeitsspeicher" | "unified") => true,
        Some("memory") => !words
            .next()
            .is_some_and(|w| w.starts_with("card") || w.starts_with("stick")),
        Some(w) => w.starts_with("ddr") || w.starts_with("lpddr"),
        None => false,
    }
}

/// Things whose size in inches is their screen's: a bare "27 inch" with one of them
/// asks for that size.
const SCREENS: &[&str] = &[
    "monitor",
    "monitors",
    "tv",
    "tvs",
    "television",
    "display",
    "screen",
    "laptop",
    "laptops",
    "notebook",
    "tablet",
    "tablets",
    "bildschirm",
    "fernseher",
    "smartphone",
    "phone",
    "imac",
];

/// Garments whose inches are a body's measure, read as size words, not a spec.
const GARMENTS: &[&str] = &[
    "jeans", "pants", "trousers", "shorts", "waist", "inseam", "leg", "skirt", "dress", "shirt",
    "jacket", "coat", "bra", "hosen", "bundhose", "bund",
];

fn names_a_garment(normalised: &str) -> bool {
    normalised.split_whitespace().any(|w| GARMENTS.contains(&w))
}

fn names_a_screen(normalised: &str) -> bool {
    normalised
        .split_whitespace()
        .any(|w| SCREENS.contains(&w) || w.ends_with("monitor") || w.ends_with("bildschirm"))
}

/// The message without its spec constraints ("hdmi cable longer than 20 feet" →
/// "hdmi cable"), so that the words left are about the product; a value that is no
/// constraint ("size 42\"w x 54\"l") stays, to be matched as words.
pub fn without_specs(normalised: &str) -> String {
    let mut out = normalised.to_string();
    for (wish, range) in wishes_at(normalised).iter().rev() {
        let start = phrase_start(&normalised[..range.start]);
        // The dimension a length names goes with it ("25 feet long", "2 m breit"),
        // and what runs with a run time ("35 hours of battery life").
        let rest = &normalised[range.end..];
        let next = rest.split_whitespace().next().unwrap_or("");
        // "a laptop with 16gb ram": the memory a thing has, not a thing of its own
        // (as "32gb ddr5 ram" or "ram 32gb" is).
        let memory = wish.memory
            && ["ram", "memory", "arbeitsspeicher"].contains(&next)
            && normalised[..start]
                .split_whitespace()
                .last()
                .is_some_and(|w| ["with", "mit", "has", "hat", "having"].contains(&w));
        let end = if DIMENSION_WORDS.contains(&next) || memory {
            range.end + rest.find(next).unwrap_or(0) + next.len()
        } else if wish.dim == Dim::RunTime {
            let mut end = range.end;
            for w in rest.split_whitespace() {
                if !RUN_TIME_WORDS.contains(&w) {
                    break;
                }
                end += normalised[end..].find(w).unwrap_or(0) + w.len();
            }
            end
        } else {
            range.end
        };
        out.replace_range(start..end, " ");
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let mut kept = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let pair = words.get(i + 1).map(|n| format!("{} {n}", words[i]));
        if pair
            .as_ref()
            .is_some_and(|p| OR_MORE.contains(&p.as_str()) || OR_LESS.contains(&p.as_str()))
        {
            i += 2;
            continue;
        }
        kept.push(words[i]);
        i += 1;
    }
    kept.join(" ")
}

/// Words after a quantity that say which of its dimensions it measures.
const DIMENSION_WORDS: &[&str] = &[
    "long", "wide", "tall", "high", "thick", "deep", "lang", "breit", "hoch", "dick", "tief",
];

/// Articles: they may stand between a comparison and its number ("at least a 10
/// inch screen"), and one before a later target counts another product ("a usb c
/// cable and a charger", `assist::turn::targets`).
pub(crate) const ARTICLES: &[&str] = &["a", "an", "ein", "eine", "einen"];

/// Words after a quantity that make it a lower end ("27 inch or bigger").
const OR_MORE: &[&str] = &[
    "or more",
    "or bigger",
    "or larger",
    "or longer",
    "or higher",
    "or faster",
    "or greater",
    "or above",
    "or over",
    "and more",
    "and up",
    "and above",
    "oder mehr",
    "oder größer",
    "oder grösser",
    "oder länger",
    "oder höher",
    "oder schneller",
    "und mehr",
    "und größer",
];

/// Words after a quantity that make it an upper end ("10 feet or shorter").
const OR_LESS: &[&str] = &[
    "or less",
    "or smaller",
    "or shorter",
    "or lower",
    "or fewer",
    "or below",
    "or under",
    "oder weniger",
    "oder kleiner",
    "oder kürzer",
];

/// Words after a run time that say what runs ("of battery life"): part of the
/// constraint, not of the product's name.
const RUN_TIME_WORDS: &[&str] = &[
    "of",
    "battery",
    "life",
    "playtime",
    "play",
    "time",
    "runtime",
    "flight",
    "max",
    "akku",
    "akkulaufzeit",
    "laufzeit",
    "spielzeit",
    "flugzeit",
];

/// Where the words that go with a quantity start: a comparison ("longer than",
/// "mindestens") or a range's lower end ("between 1 and", "1 -").
fn phrase_start(before: &str) -> usize {
    let trimmed = before.trim_end();
    let trimmed = ARTICLES
        .iter()
        .find_map(|a| trimmed.strip_suffix(&format!(" {a}")))
        .filter(|t| op_before(t).is_some())
        .unwrap_or(trimmed);
    let ends = |w: &str| trimmed == w || trimmed.ends_with(&format!(" {w}"));
    for list in [MORE_THAN, LESS_THAN, AT_LEAST, AT_MOST] {
        if let Some(w) = list.iter().filter(|w| ends(w)).max_by_key(|w| w.len()) {
            return trimmed.len() - w.len();
        }
    }
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    if let [.., lo, "and" | "und" | "to" | "bis" | "-"] = words.as_slice() {
        if parse_number(lo).is_some() {
            let mut start = trimmed.len() - words[words.len() - 1].len() - 1 - lo.len();
            if words.len() >= 3 && ["between", "zwischen"].contains(&words[words.len() - 3]) {
                start -= words[words.len() - 3].len() + 1;
            }
            return start;
        }
    }
    before.len()
}

/// Superlatives over a spec, each with the dimensions it may mean.
const SUPERLATIVES: &[(&[&str], &[Dim], bool)] = &[
    (
        &[
            "largest",
            "biggest",
            "größte",
            "größten",
            "größter",
            "größtes",
            "grösste",
            "grössten",
        ],
        &[
            Dim::Length,
            Dim::Storage,
            Dim::Capacity,
            Dim::Volume,
            Dim::Power,
            // "the biggest tent": the one for the most people.
            Dim::People,
        ],
        true,
    ),
    (
        &[
            "smallest",
            "kleinste",
            "kleinsten",
            "kleinster",
            "kleinstes",
        ],
        &[
            Dim::Length,
            Dim::Storage,
            Dim::Capacity,
            Dim::Volume,
            Dim::Weight,
            Dim::People,
        ],
        false,
    ),
    (
        &["longest", "längste", "längsten", "längstes", "längster"],
        &[Dim::Length],
        true,
    ),
    // Longer phrases win: "which vacuum runs the longest" is by its run time, not
    // its "25 ft power cord".
    (
        &[
            "runs the longest",
            "run the longest",
            "lasts the longest",
            "last the longest",
            "flies the longest",
            "fly the longest",
            "plays the longest",
            "play the longest",
            "longest flight time",
            "longest playtime",
            "longest play time",
            "fliegt am längsten",
            "längste flugzeit",
            "längsten flugzeit",
            "longest run time",
            "longest runtime",
            "longest battery life",
            "longest battery",
            "längste laufzeit",
            "längste akkulaufzeit",
            "längsten laufzeit",
            "längsten akkulaufzeit",
            "hält am längsten",
            "läuft am längsten",
        ],
        &[Dim::RunTime],
        true,
    ),
    (&["tallest", "highest reach"], &[Dim::Length], true),
    (
        &["shortest", "kürzeste", "kürzesten", "kürzestes"],
        &[Dim::Length],
        false,
    ),
    (
        &[
            "fastest",
            "quickest",
            "schnellste",
            "schnellsten",
            "schnellstes",
            "schnellster",
        ],
        &[Dim::DataRate, Dim::Frequency, Dim::Power, Dim::PrintSpeed],
        true,
    ),
    (
        &["lightest", "leichteste", "leichtesten", "leichtestes"],
        &[Dim::Weight],
        false,
    ),
    (
        &["quietest", "leiseste", "leisesten", "leisestes"],
        &[Dim::Noise],
        false,
    ),
    (
        // A speaker's loudness is its output power, where titles state it.
        &["loudest", "lauteste", "lautesten", "lautester"],
        &[Dim::Power, Dim::Noise],
        true,
    ),
    (
        &["heaviest", "schwerste", "schwersten"],
        &[Dim::Weight],
        true,
    ),
    (
        &[
            "most powerful",
            "strongest",
            "stärkste",
            "stärksten",
            "stärkstes",
            "stärkster",
            "leistungsstärkste",
            "leistungsstärksten",
            "leistungsstärkstes",
            "leistungsstärkster",
        ],
        &[
            Dim::Power,
            Dim::Pressure,
            Dim::Current,
            Dim::Torque,
            Dim::Capacity,
            Dim::Frequency,
        ],
        true,
    ),
    (
        &[
            "highest resolution",
            "sharpest",
            "höchste auflösung",
            "höchsten auflösung",
        ],
        &[Dim::Resolution, Dim::Megapixels],
        true,
    ),
    (
        &[
            "most storage",
            "most memory",
            "meisten speicher",
            "most capacity",
        ],
        &[Dim::Storage, Dim::Capacity],
        true,
    ),
    (
        &[
            "biggest battery",
            "largest battery",
            "größte akku",
            "größten akku",
            "größter akku",
        ],
        &[Dim::Capacity, Dim::Energy],
        true,
    ),
    (
        &["brightest", "hellste", "hellsten", "most lumens"],
        &[Dim::Brightness],
        true,
    ),
    (
        &[
            "longest battery",
            "longest battery life",
            "longest playtime",
            "longest runtime",
            "longest run time",
            "längste akkulaufzeit",
            "längsten akkulaufzeit",
        ],
        &[Dim::RunTime, Dim::Capacity],
        true,
    ),
];

/// The spec superlative of a message, if any.
pub fn spec_sort(normalised: &str) -> Option<SpecSort> {
    let padded = format!(" {normalised} ");
    // Longer phrases first: "largest battery" before "largest".
    let mut best: Option<(usize, SpecSort)> = None;
    let phrases = SUPERLATIVES
        .iter()
        .map(|p| (p, false))
        .chain(MUCH_PHRASES.iter().map(|p| (p, true)));
    for ((words, dims, desc), page) in phrases {
        for w in *words {
            if padded.contains(&format!(" {w} ")) && best.as_ref().is_none_or(|(l, _)| w.len() > *l)
            {
                best = Some((
                    w.len(),
                    SpecSort {
                        dims: dims.to_vec(),
                        desc: *desc,
                        word: w.to_string(),
                        page,
                    },
                ));
            }
        }
    }
    if let Some((len, by)) = measure_superlative(&padded).or_else(|| long_line(&padded)) {
        if best.as_ref().is_none_or(|(l, _)| len > *l) {
            best = Some((len, by));
        }
    }
    best.map(|(_, s)| s)
}

/// "a long hdmi cable", "ein langes netzwerkkabel": much length of a thing whose
/// length is what it is bought by (a cable, a cord, a hose), a page longest first.
/// Not a "long dress" or a "long sleeve shirt".
fn long_line(padded: &str) -> Option<(usize, SpecSort)> {
    const LONG: &[&str] = &[
        "long", "lang", "lange", "langes", "langer", "langen", "langem",
    ];
    const LINES: &[&str] = &["cable", "cord", "kabel", "hose", "schlauch", "leitung"];
    let words: Vec<&str> = padded.split_whitespace().collect();
    let at = words.iter().position(|w| LONG.contains(w))?;
    let line = words[at + 1..]
        .iter()
        .take(3)
        .any(|w| LINES.iter().any(|l| w.trim_end_matches('s').ends_with(l)));
    line.then(|| {
        (
            words[at].len(),
            SpecSort {
                dims: vec![Dim::Length],
                desc: true,
                word: words[at].to_string(),
                page: true,
            },
        )
    })
}

/// Words that ask for the most of what follows them, and whether most (else least).
const MOST: &[(&str, bool)] = &[
    ("most", true),
    ("highest", true),
    ("greatest", true),
    ("maximum", true),
    ("max", true),
    ("biggest", true),
    ("largest", true),
    ("meisten", true),
    ("meiste", true),
    ("höchste", true),
    ("höchsten", true),
    ("größte", true),
    ("größten", true),
    ("least", false),
    ("lowest", false),
    ("fewest", false),
    ("minimum", false),
    ("wenigsten", false),
    ("wenigste", false),
    ("niedrigste", false),
    ("niedrigsten", false),
    ("geringste", false),
    ("geringsten", false),
];

/// Phrases that ask for much of a spec, not the most ("earbuds with a long battery
/// life"): a page in that order, as [`MUCH`] before a measure.
const MUCH_PHRASES: &[(&[&str], &[Dim], bool)] = &[(
    &[
        "long battery life",
        "long battery",
        "long run time",
        "long runtime",
        "long playtime",
        "long play time",
        "lange akkulaufzeit",
        "langer akkulaufzeit",
        "langen akkulaufzeit",
        "lange laufzeit",
        "langer laufzeit",
        "langen laufzeit",
    ],
    &[Dim::RunTime],
    true,
)];

/// Words that ask for much (or little) of the measure that follows them, not for the
/// most: "a monitor with a high refresh rate", "ein akku mit hoher kapazität".
const MUCH: &[(&str, bool)] = &[
    ("high", true),
    ("big", true),
    ("large", true),
    ("hohe", true),
    ("hoher", true),
    ("hohem", true),
    ("hohen", true),
    ("großer", true),
    ("große", true),
    ("großem", true),
    ("low", false),
    ("niedrige", false),
    ("niedriger", false),
    ("niedrigem", false),
    ("niedrigen", false),
];

/// Whether a word names a measure ("battery", "speicher", "screen"): what a
/// superlative sorts by, no thing asked for ("which phone has the biggest battery").
pub fn is_measure_word(word: &str) -> bool {
    MEASURES.iter().any(|(w, _)| *w == word)
}

/// What a measure is called, beside its units, with the dimensions it may mean.
const MEASURES: &[(&str, &[Dim])] = &[
    ("wattage", &[Dim::Power]),
    ("wattzahl", &[Dim::Power]),
    ("power", &[Dim::Power]),
    ("leistung", &[Dim::Power]),
    (
        "capacity",
        &[Dim::Capacity, Dim::Energy, Dim::Storage, Dim::Volume],
    ),
    (
        "kapazität",
        &[Dim::Capacity, Dim::Energy, Dim::Storage, Dim::Volume],
    ),
    ("storage", &[Dim::Storage]),
    ("speicher", &[Dim::Storage]),
    ("speicherplatz", &[Dim::Storage]),
    ("memory", &[Dim::Storage]),
    ("ram", &[Dim::Storage]),
    ("vram", &[Dim::Storage]),
    ("refresh", &[Dim::Frequency]),
    ("hz", &[Dim::Frequency]),
    ("bildwiederholrate", &[Dim::Frequency]),
    ("bildwiederholfrequenz", &[Dim::Frequency]),
    ("resolution", &[Dim::Resolution, Dim::Megapixels]),
    ("auflösung", &[Dim::Resolution, Dim::Megapixels]),
    ("brightness", &[Dim::Brightness]),
    ("helligkeit", &[Dim::Brightness]),
    ("cores", &[Dim::Cores]),
    ("kerne", &[Dim::Cores]),
    ("speed", &[Dim::DataRate, Dim::Frequency]),
    ("bandwidth", &[Dim::DataRate]),
    ("geschwindigkeit", &[Dim::DataRate, Dim::Frequency]),
    ("pressure", &[Dim::Pressure]),
    ("druck", &[Dim::Pressure]),
    ("torque", &[Dim::Torque]),
    ("drehmoment", &[Dim::Torque]),
    ("voltage", &[Dim::Voltage]),
    ("spannung", &[Dim::Voltage]),
    ("battery", &[Dim::Capacity, Dim::Energy, Dim::RunTime]),
    ("akku", &[Dim::Capacity, Dim::Energy, Dim::RunTime]),
    ("screen", &[Dim::Length]),
    ("display", &[Dim::Length]),
    ("bildschirm", &[Dim::Length]),
];

/// "the most megapixels", "highest wattage", "die meisten kerne", "lowest mah": a
/// word asking for the most or least, then a unit or a measure's name. With the
/// length of the phrase, to weigh it against the fixed superlatives.
fn measure_superlative(padded: &str) -> Option<(usize, SpecSort)> {
    let words: Vec<&str> = padded.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let most = MOST.iter().find(|(m, _)| m == w);
        let Some(&(_, desc)) = most.or_else(|| MUCH.iter().find(|(m, _)| m == w)) else {
            continue;
        };
        // "2000 max psi", "20v max": a rating, not a wish for the most.
        let after_a_number = i
            .checked_sub(1)
            .is_some_and(|b| words[b].starts_with(|c: char| c.is_ascii_digit()));
        let Some(next) = words.get(i + 1).filter(|_| !after_a_number) else {
            continue;
        };
        // "high speed hdmi cable": a class of product, not a wish for speed.
        if most.is_none() && matches!(*next, "speed" | "geschwindigkeit") {
            continue;
        }
        let dims: Vec<Dim> = match crate::catalog::specs::canonical_unit(next)
            .and_then(crate::catalog::specs::dim_of_unit)
        {
            Some(d) => vec![d],
            None => match MEASURES.iter().find(|(m, _)| m == next) {
                Some((_, dims)) => dims.to_vec(),
                None => continue,
            },
        };
        let phrase = format!("{w} {next}");
        return Some((
            phrase.len(),
            SpecSort {
                dims,
                desc,
                word: phrase,
                page: most.is_none(),
            },
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> SpecWish {
        let mut w = spec_wishes(text);
        assert_eq!(w.len(), 1, "{text}: {w:?}");
        w.remove(0)
    }

    #[test]
    fn a_size_of_ram_asks_for_memory_not_storage() {
        for text in [
            "laptop with at least 16gb ram",
            "a laptop with 16 gb of ram",
            "notebook mit 16 gb arbeitsspeicher",
            "32gb ddr5 ram",
        ] {
            let w = one(text);
            assert!(w.memory && w.dim == Dim::Storage, "{text}: {w:?}");
        }
        assert!(!one("memory card with 64gb").memory);
        assert!(!one("128gb memory card").memory);
        assert!(!one("laptop with a 1tb ssd").memory);
        // The memory a thing has is no thing of its own; RAM asked for is.
        let plain = without_specs("laptop with at least 16gb ram");
        assert!(
            plain.contains("laptop") && !plain.contains("ram"),
            "{plain}"
        );
        assert!(without_specs("32gb ddr5 ram").contains("ram"));
    }

    #[test]
    fn milliamp_hours_and_watt_hours_said_in_words() {
        let w = one("ein handy mit mindestens 5000 milliamperestunden akku");
        assert_eq!(
            (w.dim, w.op, w.wanted.value),
            (Dim::Capacity, SpecOp::AtLeast, 5000.0)
        );
        let w = one("a power station with 500 watt hours");
        assert_eq!((w.dim, w.wanted.value), (Dim::Energy, 500.0));
    }

    #[test]
    fn comparisons_with_units_in_both_languages() {
        let w = one("hdmi cable longer than 20 feet");
        assert_eq!((w.dim, w.op), (Dim::Length, SpecOp::MoreThan));
        assert!(w.met_by(15.24) && !w.met_by(6.096) && !w.met_by(0.3048));
        let w = one("switch with at least 16 ports");
        assert_eq!((w.dim, w.op), (Dim::Ports, SpecOp::AtLeast));
        assert!(w.met_by(24.0) && !w.met_by(8.0));
        let w = one("steckdosenleiste mit mindestens 8 steckdosen");
        assert_eq!((w.dim, w.op), (Dim::Outlets, SpecOp::AtLeast));
        // Joules are compared as energy: 2880 J meet 2000 J, 790 J do not.
        let w = one("surge protector with at least 2000 joules");
        assert_eq!((w.dim, w.op), (Dim::Energy, SpecOp::AtLeast));
        assert!(w.met_by(2880.0 / 3600.0) && !w.met_by(790.0 / 3600.0));
        let w = one("a fan quieter than 30 db");
        assert_eq!((w.dim, w.op), (Dim::Noise, SpecOp::LessThan));
        let w = one("nas drive with at least 7200 rpm");
        assert_eq!((w.dim, w.op), (Dim::Rpm, SpecOp::AtLeast));
        let w = one("mesh wifi that covers at least 3000 sq ft");
        assert_eq!((w.dim, w.op), (Dim::Area, SpecOp::AtLeast));
        assert!(w.met_by(300.0) && !w.met_by(200.0));
        let w = one("monitor mindestens 27 zoll");
        assert_eq!((w.dim, w.op), (Dim::Length, SpecOp::AtLeast));
        assert!(w.met_by(0.6858) && !w.met_by(0.6));
        let w = one("netzteil über 550 w");
        assert_eq!((w.dim, w.op), (Dim::Power, SpecOp::MoreThan));
        let w = one("ram at least 16gb");
        assert_eq!(
            (w.dim, w.op, w.wanted.value),
            (Dim::Storage, SpecOp::AtLeast, 16.0)
        );
        let w = one("ssd between 1 and 2 tb");
        assert_eq!(w.op, SpecOp::Between);
        assert!(w.met_by(1000.0) && w.met_by(2000.0) && !w.met_by(512.0));
        // Both ends with their unit are one range, not two sizes.
        for text in [
            "an ssd between 1tb and 2tb",
            "ssd zwischen 1 tb und 2 tb",
            "ssd from 1tb to 2tb",
        ] {
            let w = one(text);
            assert_eq!(w.op, SpecOp::Between, "{text}");
            assert!(w.met_by(1000.0) && w.met_by(2000.0), "{text}");
            assert!(!w.met_by(512.0) && !w.met_by(4000.0), "{text}");
        }
        assert_eq!(without_specs("an ssd between 1tb and 2tb"), "an ssd");
        // Without "between", "and" joins two things.
        assert_eq!(spec_wishes("a 1tb ssd and a 2tb ssd").len(), 2);
        let w = one("power bank 10,000mah");
        assert_eq!(w.op, SpecOp::About);
        assert!(w.met_by(10000.0) && !w.met_by(10400.0));
        let w = one("16gb or more");
        assert_eq!(w.op, SpecOp::AtLeast);
        // What a camera records "with" is met by more; a "4k tv" is one.
        assert_eq!(one("action camera with 4k").op, SpecOp::AtLeast);
        assert_eq!(one("4k tv").op, SpecOp::About);
        assert_eq!(one("air purifier for 1500 sq ft").op, SpecOp::AtLeast);
        let w = one("kabel unter 2 m");
        assert_eq!(w.op, SpecOp::LessThan);
        // Bare watts and feet are constraints; bare ounces and inches are options.
        let w = one("hdmi cable 30 feet");
        assert_eq!((w.dim, w.op), (Dim::Length, SpecOp::About));
        let w = one("usb wall charger 24 watts");
        assert_eq!((w.dim, w.op), (Dim::Power, SpecOp::About));
        assert!(spec_wishes("shampoo 6.76 fl oz").is_empty());
        assert!(spec_wishes("jeans 32 inch").is_empty());
        // A screen's inches are its size.
        let w = one("cheapest 27 inch monitor");
        assert_eq!((w.dim, w.op), (Dim::Length, SpecOp::About));
        assert!(w.met_by(0.6858) && !w.met_by(0.5461));
        assert_eq!(one("55 zoll fernseher").op, SpecOp::About);
        // Heights and quarts; a rate typed in lower case keeps its slash.
        let w = one("tripod taller than 55 inches");
        assert_eq!((w.dim, w.op), (Dim::Length, SpecOp::MoreThan));
        assert_eq!(one("pressure cooker 8 quart").op, SpecOp::About);
        let w = one(&crate::nlu::rules::normalise(
            "memory card faster than 200MB/s",
        ));
        assert_eq!((w.dim, w.wanted.value), (Dim::DataRate, 1600.0));
    }

    #[test]
    fn reaching_sleeping_and_holding_are_lower_ends() {
        let w = one("i need a ladder that reaches 20 feet");
        assert_eq!((w.dim, w.op), (Dim::Length, SpecOp::AtLeast));
        let w = one("a tent that sleeps 6 people");
        assert_eq!((w.dim, w.op), (Dim::People, SpecOp::AtLeast));
        assert_eq!(one("6 person tent").op, SpecOp::About);
        let w = one("pressure washer over 2000 psi");
        assert_eq!((w.dim, w.op), (Dim::Pressure, SpecOp::MoreThan));
        let w = one("jump starter with at least 1500 amps");
        assert_eq!(
            (w.dim, w.op, w.wanted.value),
            (Dim::Current, SpecOp::AtLeast, 1500.0)
        );
        // A thing's inches are its size; a garment's are matched as words.
        assert_eq!(one("26 inch wiper blade").op, SpecOp::About);
        assert_eq!(one("lawn mower with a 21 inch deck").op, SpecOp::About);
        assert!(spec_wishes("jeans 32 inch").is_empty());
        assert!(spec_wishes("pants 30 inch inseam").is_empty());
        assert_eq!(
            spec_sort("the tallest ladder").map(|s| (s.dims, s.desc)),
            Some((vec![Dim::Length], true))
        );
        assert!(spec_sort("most powerful pressure washer")
            .is_some_and(|s| s.dims.contains(&Dim::Pressure)));
        // Every ending a German superlative takes before a noun.
        for text in [
            "stärkstes netzteil",
            "der stärkste akku",
            "leistungsstärkster staubsauger",
        ] {
            assert!(
                spec_sort(text).is_some_and(|s| s.desc && s.dims.contains(&Dim::Power)),
                "{text}"
            );
        }
    }

    #[test]
    fn a_bare_value_is_said_without_a_sign() {
        assert_eq!(one("memory card with 128gb").as_said(), "128 GB");
        assert_eq!(one("memory card with 128gb").to_string(), "= 128 GB");
        assert_eq!(one("hdmi cable at least 20 feet").as_said(), "≥ 20 ft");
        assert_eq!(
            one("tablet with at least a 10 inch screen").as_said(),
            "≥ 10 in"
        );
        assert_eq!(
            one("projector with at least 1000 lumens").as_said(),
            "≥ 1000 lm"
        );
        assert_eq!(
            one("headphones with at least 35 hours of battery").as_said(),
            "≥ 35 h"
        );
        assert!(spec_wishes("screen protector 9h hardness").is_empty());
        assert_eq!(one("monitor 27 inch or bigger").as_said(), "≥ 27 in");
        assert_eq!(without_specs("monitor 27 inch or bigger"), "monitor");
        assert_eq!(one("hdmi cable 10 feet or shorter").as_said(), "≤ 10 ft");
        assert_eq!(
            without_specs("headphones with at least 35 hours of battery life"),
            "headphones with"
        );
        assert_eq!(
            without_specs("drone with more than 30 minutes of flight time"),
            "drone with"
        );
        assert_eq!(
            spec_sort("the brightest projector").map(|s| s.dims),
            Some(vec![Dim::Brightness])
        );
        // Loudness is output power where titles state it.
        assert_eq!(
            spec_sort("which bluetooth speaker is the loudest").map(|s| (s.dims, s.desc)),
            Some((vec![Dim::Power, Dim::Noise], true))
        );
        assert_eq!(
            without_specs("tablet with at least a 10 inch screen"),
            "tablet with screen"
        );
    }

    #[test]
    fn prices_and_counts_are_no_specs() {
        assert!(spec_wishes("2 hdmi cables under 40 usd").is_empty());
        assert!(spec_wishes("jacke unter 100 eur in größe m").is_empty());
    }

    #[test]
    fn the_spec_phrase_leaves_the_product_words() {
        assert_eq!(
            without_specs("hdmi cable longer than 20 feet"),
            "hdmi cable"
        );
        assert_eq!(
            without_specs("2 hdmi cables of at least 25 feet under 40 usd"),
            "2 hdmi cables of under 40 usd"
        );
        assert_eq!(without_specs("16gb or more ram"), "ram");
        assert_eq!(
            without_specs("curtains size 42 w x 54 l"),
            "curtains size 42 w x 54 l"
        );
        assert_eq!(without_specs("ssd between 1 and 2 tb"), "ssd");
        assert_eq!(
            without_specs("i need 2 hdmi cables at least 25 feet long"),
            "i need 2 hdmi cables"
        );
        assert_eq!(
            without_specs("a case for my apple watch 44mm"),
            "a case for my apple watch"
        );
    }

    #[test]
    fn a_run_time_is_the_longest_by_its_phrase() {
        let by = spec_sort("which vacuum runs the longest").unwrap();
        assert_eq!(by.dims, vec![Dim::RunTime]);
        assert_eq!(
            spec_sort("die längste akkulaufzeit").unwrap().dims,
            vec![Dim::RunTime]
        );
        // A drone's flight time is how long it runs.
        assert_eq!(
            spec_sort("which drone flies the longest").unwrap().dims,
            vec![Dim::RunTime]
        );
        assert_eq!(
            spec_sort("the longest hdmi cable").unwrap().dims,
            vec![Dim::Length]
        );
    }

    #[test]
    fn superlatives_over_specs() {
        let s = spec_sort("which is the largest tv you have").unwrap();
        assert!(s.desc && s.dims[0] == Dim::Length);
        let s = spec_sort("der schnellste router").unwrap();
        assert_eq!(s.dims[0], Dim::DataRate);
        assert!(spec_sort("the cheapest cable").is_none());
    }

    #[test]
    fn the_most_or_least_of_a_unit_or_a_measure_sorts_by_it() {
        let s = spec_sort("which digital camera has the most megapixels").unwrap();
        assert_eq!((s.dims, s.desc), (vec![Dim::Megapixels], true));
        assert_eq!(s.word, "most megapixels");
        let s = spec_sort("power bank with the highest mah").unwrap();
        assert_eq!((s.dims, s.desc), (vec![Dim::Capacity], true));
        let s = spec_sort("welche cpu hat die meisten kerne").unwrap();
        assert_eq!((s.dims, s.desc), (vec![Dim::Cores], true));
        let s = spec_sort("the quietest fan").unwrap();
        assert_eq!((s.dims, s.desc), (vec![Dim::Noise], false));
        let s = spec_sort("switch with the most ports").unwrap();
        assert_eq!((s.dims, s.desc), (vec![Dim::Ports], true));
        let s = spec_sort("the heater with the lowest wattage").unwrap();
        assert_eq!((s.dims, s.desc), (vec![Dim::Power], false));
        let s = spec_sort("the phone with the biggest screen").unwrap();
        assert_eq!(s.dims, vec![Dim::Length]);
        let s = spec_sort("monitor with the highest refresh rate").unwrap();
        assert_eq!((s.dims, s.desc), (vec![Dim::Frequency], true));
        let s = spec_sort("graphics card with the most vram").unwrap();
        assert_eq!(s.dims, vec![Dim::Storage]);
        // A battery's size is its charge, never the phone's storage.
        let s = spec_sort("a phone with the biggest battery").unwrap();
        assert_eq!(s.dims, vec![Dim::Capacity, Dim::Energy]);
        // Much length of a cable or a hose, not of a dress.
        for text in ["a long hdmi cable", "ich brauche ein langes netzwerkkabel"] {
            let by = spec_sort(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(
                (by.dims.as_slice(), by.desc, by.page),
                (&[Dim::Length][..], true, true)
            );
        }
        assert!(spec_sort("a long dress").is_none());
        assert!(spec_sort("long sleeve shirt").is_none());
        // Not a wish: a rating, or the most of something no spec measures.
        assert!(spec_sort("pressure washer 2000 max psi").is_none());
        assert!(spec_sort("the most popular headphones").is_none());
    }
}
