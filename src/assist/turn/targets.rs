//! Several products in one message: "a case for my apple watch 44mm and a charger for
//! it", "galaxy a25 and a35", "eine Regenjacke und eine Mütze". Each target is searched
//! on its own and shown as its own group (`group` in `products`, a heading in the
//! reply); the message's price limit holds for every target that names none.
//!
//! A message is split only where each side names a product this catalogue has (a kind
//! or model it knows, or words a product has all of) and no title joins the two sides
//! ("shampoo and conditioner", "salt and pepper grinder" are one product each).

use std::sync::OnceLock;

use regex::Regex;

use super::*;

/// The most products a group shows when the target is neither a model nor a
/// superlative: a few of each, not a page of each.
const GROUP: usize = 3;

/// The most targets a message is split into.
const MAX_TARGETS: usize = 4;

/// The most words a target has: a list of products names each briefly; a longer
/// part is a description of one product with "and" in it.
const TARGET_WORDS: usize = 8;

/// The most words of a message split into targets, its constraints not counted.
const MESSAGE_WORDS: usize = 16;

/// Words that begin a constraint of the product before, not a product of its own.
const CONSTRAINT_WORDS: &[&str] = &[
    "size", "color", "colour", "price", "fit", "flavor", "flavour", "style", "pattern", "material",
    "with", "without", "in", "for", "that", "which", "is", "are", "made", "größe", "grösse",
    "farbe", "preis", "mit", "ohne", "für", "aus",
];

fn separators() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"\s*[,;]\s*(?:(?:and|und|sowie)\s+)?(?:(?:also|auch)\s+)?",
            r"|\s+(?:and|und|&|sowie|as well as)\s+(?:(?:also|auch)\s+)?",
            // "plus a wifi extender", not "iphone 7 plus case".
            r"|\s+plus\s+(?:a|an|the|some|ein|eine|einen)\s",
        ))
        .expect("separator regex compiles")
    })
}

/// "for it", "dafür": the target of the part before.
fn pointing_back() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(?:(?:for|to|with) (?:it|them|that|this one|that one)|dafür|dazu|passend dazu|für (?:es|ihn|sie))\b")
            .expect("pointer regex compiles")
    })
}

/// Where a part's compatibility target begins ("… for my apple watch 44mm").
fn target_tail(part: &str) -> Option<&str> {
    [
        " for ",
        " für ",
        " compatible with ",
        " passend für ",
        " fits ",
    ]
    .iter()
    .filter_map(|t| part.find(t))
    .min()
    .map(|i| part[i..].trim())
}

/// The candidate parts of a message, before the catalogue has had its say: split at
/// "and", "und", commas …, with "for it" replaced by what the part before was for.
#[cfg(test)]
fn parts(normalised: &str) -> Vec<String> {
    let lexicon = crate::nlu::lexicon::Lexicon::get();
    parts_with(normalised, &|w| lexicon.names_a_thing(w))
}

/// [`parts`], with `is_thing` telling which words name things (a list's articles
/// follow them).
pub(super) fn parts_with(normalised: &str, is_thing: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in split_parts(normalised)
        .into_iter()
        .flat_map(|p| at_listed_articles(p, is_thing))
    {
        let raw = raw
            .trim()
            .trim_matches(|c: char| c == '.' || c == '!' || c == '?');
        if raw.is_empty() {
            continue;
        }
        // "for it" is what the part before was for, or the part before itself when
        // that names a model ("galaxy a25 and a case for it").
        let pointer = pointing_back().find(raw);
        let german = pointer.is_some_and(|m| {
            !["for ", "to ", "with "]
                .iter()
                .any(|e| m.as_str().starts_with(e))
        });
        let before = out.last().filter(|_| pointer.is_some()).and_then(|p| {
            target_tail(p).map(str::to_string).or_else(|| {
                let named = label(p);
                // A model token, or a name ending in its number ("jbl charge 5",
                // "iphone 12") or letter.
                let numbered = named.split_whitespace().count() >= 2
                    && named
                        .split_whitespace()
                        .last()
                        .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
                // A line closed by its letter ("xbox series x").
                let lettered = named.split_whitespace().count() >= 2
                    && named
                        .split_whitespace()
                        .last()
                        .is_some_and(crate::catalog::text::is_single_letter);
                let model = numbered
                    || lettered
                    || !crate::search::profile::model_tokens(&named).is_empty();
                let word = if german { "für" } else { "for" };
                // "a tablet and a case for it": a case for a tablet.
                // "sony headphones and a case for them": a case for them.
                let thing = named.split_whitespace().count() <= 3
                    && named
                        .split_whitespace()
                        .all(crate::catalog::text::is_word_of_letters);
                (model || thing).then(|| format!("{word} {named}"))
            })
        });
        let part = match before {
            Some(tail) => pointing_back().replace(raw, tail.as_str()).into_owned(),
            _ => pointing_back().replace(raw, "").trim().to_string(),
        };
        out.push(part.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out
}

/// The definite articles that open a product named as one ("… and the bq-cc55
/// charger").
pub(super) const DEFINITE: &[&str] = &["the", "der", "den", "die", "das", "dem"];

/// Words that start another thing after the "and" of a list of what a product has:
/// an article, a count or a pointer ("… with hdmi and a webcam").
const FEATURE_LIST_ENDS: &[&str] = &[
    "a", "an", "some", "another", "the", "also", "one", "two", "three", "ein", "eine", "einen",
    "einem", "noch", "auch", "zwei", "drei", "dazu", "then", "dann",
];

/// `normalised` cut at its [`separators`], but not at the "and" of a range ("ssd
/// between 1 and 2 tb", "zwischen 100 und 200 euro") nor at one that goes on with
/// what a product has ("a hub with hdmi and sd card reader"): those are one request.
fn split_parts(normalised: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for m in separators().find_iter(normalised) {
        let before: Vec<&str> = normalised[..m.start()].split_whitespace().collect();
        // "between 1 and", "zwischen 1 tb und".
        let range = matches!(m.as_str().trim(), "and" | "und")
            && (2..=3).any(|back| {
                before.len() >= back
                    && ["between", "zwischen"].contains(&before[before.len() - back])
                    && before[before.len() - back + 1].starts_with(|c: char| c.is_ascii_digit())
            });
        // "a hub with hdmi and sd card reader", "laptop mit 16 gb ram und ssd": what
        // follows "with" goes on with the things it has, unless the next words
        // start another thing ("… with hdmi and a webcam").
        let mut next = normalised[m.end()..].split_whitespace();
        let after = next.next().unwrap_or("");
        // "… with 8gb and 7 inch screen": a number with its unit is a spec, no count.
        let measure = next
            .next()
            .is_some_and(|u| crate::catalog::specs::canonical_unit(u).is_some());
        let features = matches!(m.as_str().trim(), "and" | "und")
            && before[before.len().saturating_sub(4)..]
                .iter()
                .any(|w| matches!(*w, "with" | "mit"))
            && !FEATURE_LIST_ENDS.contains(&after)
            && (!is_count(after) || measure);
        // "1,7 liter", "10,000mah": a comma between digits is in a number.
        let in_number = m.as_str() == ","
            && normalised[..m.start()].ends_with(|c: char| c.is_ascii_digit())
            && normalised[m.end()..].starts_with(|c: char| c.is_ascii_digit());
        if range || features || in_number {
            continue;
        }
        parts.push(&normalised[start..m.start()]);
        start = m.end();
    }
    parts.push(&normalised[start..]);
    parts
}

/// A part cut where an article follows a thing: "a webcam a microphone", as a list
/// "a webcam, a microphone" reads once its commas are gone. Not "a case for a
/// phone", whose article follows "for".
fn at_listed_articles<'a>(part: &'a str, is_thing: &dyn Fn(&str) -> bool) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut previous: Option<&str> = None;
    let words: Vec<(usize, &str)> = part
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - part.as_ptr() as usize, w))
        .collect();
    for (i, &(at, word)) in words.iter().enumerate() {
        // "the galaxy a 35": a line's letter before its number, no article.
        let letter_of_a_model = word == "a"
            && words
                .get(i + 1)
                .is_some_and(|(_, n)| n.starts_with(|c: char| c.is_ascii_digit()));
        let listed = ["a", "an", "ein", "eine", "einen"].contains(&word)
            && !letter_of_a_model
            && previous.is_some_and(is_thing);
        if listed && at > start {
            out.push(part[start..at].trim_end());
            start = at;
        }
        previous = Some(word);
    }
    out.push(&part[start..]);
    out
}

/// Whether a word is a count of things ("2 hdmi cables"), digits alone.
fn is_count(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_digit())
}

/// The specs of a part that says nothing else ("one 256gb", "a 2tb one", "zwei mit
/// 64 gb"): its words but the count, the articles and "one".
fn specs_alone(part: &str) -> Option<String> {
    const FILLER: &[&str] = &[
        "one", "ones", "a", "an", "another", "also", "with", "in", "ein", "eine", "einen", "noch",
        "mit",
    ];
    if crate::catalog::specs::quantities(part).is_empty() {
        return None;
    }
    let said = crate::nlu::rules::specs::without_specs(part);
    let filler =
        |w: &str| FILLER.contains(&w) || is_count(&crate::nlu::numbers::digits_for_words(w));
    if !said.split_whitespace().all(filler) {
        return None;
    }
    let words: Vec<&str> = part.split_whitespace().collect();
    let specs: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(i, w)| !(filler(w) && (*i == 0 || FILLER.contains(w))))
        .map(|(_, w)| *w)
        .collect();
    Some(specs.join(" "))
}

/// A target as the reply names it: its words without the request around them ("find
/// all offers for the anker 313" → "anker 313").
fn label(target: &str) -> String {
    const LEAD: &[&str] = &[
        "i", "am", "im", "need", "want", "looking", "for", "find", "show", "me", "get", "all",
        "every", "offers", "offer", "listings", "listing", "of", "the", "a", "an", "some",
        "please", "ich", "suche", "brauche", "möchte", "zeig", "zeige", "mir", "alle", "angebote",
        "für", "ein", "eine", "einen", "den", "die", "das", "bitte",
    ];
    // The price limit is said with the count ("up to $50.00").
    const PRICE: &[&str] = &[
        "price",
        "preis",
        "lower",
        "under",
        "below",
        "less",
        "up",
        "max",
        "maximum",
        "unter",
        "bis",
        "höchstens",
        "max.",
    ];
    let words: Vec<&str> = target.split_whitespace().collect();
    // "2 hdmi cables": the count is said with the cart, not the name.
    let counted = |i: usize| {
        is_count(words[i])
            && words
                .get(i + 1)
                .is_none_or(|u| crate::catalog::specs::canonical_unit(u).is_none())
    };
    let start = (0..words.len())
        .position(|i| !LEAD.contains(&words[i]) && !counted(i))
        .unwrap_or(0);
    let end = words[start..]
        .iter()
        .position(|w| PRICE.contains(w))
        .map_or(words.len(), |e| (start + e).max(start + 1));
    words[start..end].join(" ")
}

/// The word a target asks for: the last of its words before what it is for and
/// before its price ("a case for my iphone 12" → "case"), singular.
fn head(target: &str) -> String {
    // "hdmi cable 6 feet" is a cable.
    let named = label(&crate::nlu::rules::specs::without_specs(target));
    let padded = format!(" {named} ");
    let named = match target_tail(&padded) {
        Some(tail) => padded.split(tail).next().unwrap_or_default().to_string(),
        None => named,
    };
    named
        .split_whitespace()
        .last()
        .map(crate::catalog::kind::singular)
        .unwrap_or_default()
}

impl Assistant {
    /// The targets of a search message, when it asks for more than one product this
    /// catalogue has; `None` for one.
    pub(super) fn targets(&self, lang: Language, u: &Understanding) -> Option<Vec<String>> {
        if u.intent != Intent::Search || u.slots.reference.is_some() {
            return None;
        }
        let lexicon = crate::nlu::lexicon::Lexicon::get();
        let is_thing = |w: &str| lexicon.names_a_thing(w) || self.heads_titles(w);
        let parts: Vec<String> = parts_with(&u.normalised, &is_thing)
            .iter()
            .flat_map(|p| self.split_at_models(p))
            .collect();
        if parts.len() < 2 {
            return None;
        }
        // A list of products names each briefly; a long message with "and" in it
        // describes one ("a table and chair set that is white and easy to assemble").
        let words: usize = parts
            .iter()
            .filter(|p| {
                !p.split_whitespace()
                    .next()
                    .is_some_and(|w| CONSTRAINT_WORDS.contains(&w))
            })
            .map(|p| p.split_whitespace().count())
            .sum();
        if words > MESSAGE_WORDS {
            return None;
        }
        // Each part that names a product starts a target; the others ("in black",
        // "under 40 dollars") belong to the target before them (or the first one).
        // An English catalogue knows its kinds: a part's last word must head some title
        // ("high quality and easy to clean …" is no "quality").
        let english = self.shop.language() == Language::En;
        let mut targets: Vec<String> = Vec::new();
        let mut leading: Vec<String> = Vec::new();
        for part in parts {
            let mut part = part;
            // "2 memory cards 128gb and one 256gb", "a 1tb ssd and a 2tb one": specs
            // alone are another of the target before, in those specs.
            if let (Some(prev), Some(specs)) = (targets.last(), specs_alone(&part)) {
                let prev = crate::nlu::rules::specs::without_specs(&label(prev));
                let count = part
                    .split_whitespace()
                    .next()
                    .map(crate::nlu::numbers::digits_for_words)
                    .filter(|w| is_count(w) && w != "1");
                part = [count.as_deref().unwrap_or("a"), &prev, &specs].join(" ");
            }
            let (kind, models) = self.shop.request_target(&part);
            // "galaxy a25 and a35": a bare model takes the words the one before had.
            if kind.is_none() && !models.is_empty() && part.split_whitespace().count() == 1 {
                if let Some(prev) = targets.last() {
                    let (_, prev_models) = self.shop.request_target(prev);
                    let lead: Vec<&str> = prev
                        .split_whitespace()
                        .take_while(|w| !prev_models.iter().any(|m| m.eq_ignore_ascii_case(w)))
                        .collect();
                    if !lead.is_empty() && lead.len() < prev.split_whitespace().count() {
                        part = format!("{} {part}", lead.join(" "));
                    }
                }
            }
            // A constraint of the target before ("size xx-large", "price lower than 50
            // usd", "color black") or a long description names no target of its own.
            let constraint = part
                .split_whitespace()
                .next()
                .is_some_and(|w| CONSTRAINT_WORDS.contains(&w));
            let short = part.split_whitespace().count() <= TARGET_WORDS;
            // A part names products by a kind or model the catalogue knows, or by
            // words one of its products has all of (a catalogue of German titles,
            // whose kinds are not known; a kind too rare to count as one).
            // "kopfhörer und eine hülle dafür" where the shop has no cases: another
            // product counted by its article, to be said missing, not a word of the
            // headphones.
            let counted_thing = !targets.is_empty()
                && part
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| crate::nlu::rules::specs::ARTICLES.contains(&w))
                && {
                    let head = head(&part);
                    crate::nlu::lexicon::Lexicon::get().names_a_thing(&head)
                        // "a laptop and a sleeve for it": a word titles have
                        // ("Laptop Sleeve … Case"), though it heads none.
                        || (self.shop.word_uses(&crate::catalog::text::fold(&head)) > 0
                            && self.has_all_words(lang, &part))
                };
            // "… and the hue lightstrip plus 2m": a product named by its title's
            // words after "the", though its last word heads no title.
            let the_named = !targets.is_empty()
                && part
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| DEFINITE.contains(&w))
                && self.has_all_words(lang, &part);
            let names = !constraint
                && short
                && (!models.is_empty()
                    || the_named
                    || ((!english
                        || self.heads_titles(&head(&part))
                        // "eine grafikkarte" in a shop of English titles: its kind
                        // heads them.
                        || kind.as_deref().is_some_and(|k| self.heads_titles(k)))
                        && (kind.is_some() || self.has_all_words(lang, &part)))
                    || (english && self.names_a_line(&part))
                    || counted_thing);
            let joined = targets
                .last()
                .is_some_and(|prev| self.one_product(prev, &part));
            match targets.last_mut() {
                Some(prev) if !names || joined => {
                    let sep = if joined { " and " } else { " " };
                    *prev = format!("{prev}{sep}{part}");
                }
                None if !names => leading.push(part),
                _ => {
                    let mut t = std::mem::take(&mut leading);
                    t.push(part);
                    targets.push(t.join(" "));
                }
            }
        }
        if targets.len() < 2 || targets.len() > MAX_TARGETS {
            return None;
        }
        // A product that has the words of every target is what was asked for: "hdmi
        // cable and ethernet" is a cable with ethernet.
        let heads: Vec<String> = targets.iter().map(|t| head(t)).collect();
        // "… and a case for it" asks for two products, whatever titles join.
        let pointed_back = pointing_back().is_match(&u.normalised);
        // "a usb c cable and a charger": an article before a later target counts
        // another product, though a "Charger to USB-C Cable" has both words.
        // So does a later target named as one model ("eneloop aa batteries and the
        // bq-cc55 charger", though the charger's title has "eneloop" and "battery").
        // So does a later target named by its maker ("the jbl charge 5 and the sony
        // speaker", though the JBL's title has "speaker").
        let counted = targets[1..].iter().any(|t| {
            let first = t.split_whitespace().next();
            first.is_some_and(|w| crate::nlu::rules::specs::ARTICLES.contains(&w) || is_count(w))
                || first.is_some_and(|w| DEFINITE.contains(&w))
                    && (!self.shop.request_target(t).1.is_empty()
                        || self.shop.requested_brand(t).is_some()
                        || super::discover::maker_named(t).is_some())
        });
        // "an hdmi cable and a usb cable": one head twice is two of its kind, which
        // any title of the kind would seem to name together.
        let one_head = heads.iter().all(|h| *h == heads[0]);
        // "galaxy a12 case and screen protector": accessories each for the model
        // named first, though a title bundles them ("Case with Screen Protector").
        let accessories_of_a_model = self.model_before_accessory(&targets[0]).is_some()
            && targets[1..].iter().all(|t| self.bare_accessory(t));
        if !pointed_back
            && !counted
            && !one_head
            && !accessories_of_a_model
            && self.a_title_names_all(&heads)
        {
            return None;
        }
        self.share_what_it_is_for(lang, &mut targets);
        self.accessories_for_the_one_before(lang, &mut targets);
        Some(targets)
    }

    /// "a case and a charger for my galaxy a35", "a cpu and a motherboard for am5":
    /// what one target is said to be for, the bare targets beside it are for too,
    /// where this catalogue has such products (one of them names it, or it names a
    /// model whose connectors they share). A bare target is a kind alone, no model of
    /// its own and no "for" of its own.
    fn share_what_it_is_for(&self, lang: Language, targets: &mut [String]) {
        let tails: Vec<String> = targets
            .iter()
            .filter_map(|t| target_tail(&format!(" {t} ")).map(str::to_string))
            .collect();
        let [tail] = tails.as_slice() else {
            return;
        };
        for t in targets.iter_mut() {
            let (kind, models) = self.shop.request_target(t);
            if kind.is_none() || !models.is_empty() || target_tail(&format!(" {t} ")).is_some() {
                continue;
            }
            let with = format!("{t} {tail}");
            let mut u = RulesReading::new(&with, lang).understanding();
            u.intent = Intent::Search;
            if self.named_to_fit(&u).is_some() || self.has_all_words(lang, &with) {
                *t = with;
            }
        }
    }

    /// "galaxy s24 and a case": a bare accessory (a case, a cover, a screen
    /// protector: made to go with another product) after a product named by its model
    /// or its line is for that product, where this catalogue has one that says so.
    /// The model an accessory named first is for goes with the bare accessories
    /// after it too ("galaxy a12 case and screen protector": a screen protector for
    /// the galaxy a12).
    fn accessories_for_the_one_before(&self, lang: Language, targets: &mut [String]) {
        let lead = self.model_before_accessory(&targets[0]);
        for i in 1..targets.len() {
            if !self.bare_accessory(&targets[i]) {
                continue;
            }
            let before = match &lead {
                Some(model) => model.clone(),
                None => {
                    let before = &targets[i - 1];
                    let named =
                        !self.shop.request_target(before).1.is_empty() || self.names_a_line(before);
                    if !named || target_tail(&format!(" {before} ")).is_some() {
                        continue;
                    }
                    before
                        .split_whitespace()
                        .skip_while(|w| crate::nlu::rules::specs::ARTICLES.contains(w))
                        .collect::<Vec<_>>()
                        .join(" ")
                }
            };
            let with = format!("{} for {before}", targets[i]);
            if self.has_all_words(lang, &with) {
                targets[i] = with;
            }
        }
    }

    /// Whether a target is an accessory's kind alone (a case, a screen protector),
    /// no model and nothing it is said to be for.
    fn bare_accessory(&self, target: &str) -> bool {
        let (kind, models) = self.shop.request_target(target);
        kind.as_deref()
            .is_some_and(crate::search::profile::is_accessory_kind)
            && models.is_empty()
            && target_tail(&format!(" {target} ")).is_none()
    }

    /// The model an accessory is named after, before its kind: "galaxy a12" of
    /// "a galaxy a12 case".
    fn model_before_accessory(&self, target: &str) -> Option<String> {
        let (kind, models) = self.shop.request_target(target);
        if !kind
            .as_deref()
            .is_some_and(crate::search::profile::is_accessory_kind)
            || models.is_empty()
            || target_tail(&format!(" {target} ")).is_some()
        {
            return None;
        }
        let words: Vec<&str> = target
            .split_whitespace()
            .skip_while(|w| crate::nlu::rules::specs::ARTICLES.contains(w))
            .collect();
        let last = words
            .iter()
            .rposition(|w| models.iter().any(|m| m.eq_ignore_ascii_case(w)))?;
        (last + 1 < words.len()).then(|| words[..=last].join(" "))
    }

    /// Whether a part is a product's name as titles write it, two words or more of
    /// letters after its article, the first no common word: "airpods pro" of "Apple
    /// AirPods Pro (2nd Generation) Wireless Earbuds", "sonos one", "xbox series s",
    /// which name no kind, also with a spec ("instant pot duo 6 quart").
    fn names_a_line(&self, part: &str) -> bool {
        // Its specs are no part of the name ("instant pot duo 6 quart").
        let plain = crate::nlu::rules::specs::without_specs(part);
        let words: Vec<&str> = plain
            .split_whitespace()
            .skip_while(|w| ["a", "an", "the", "some", "my"].contains(w))
            .collect();
        // A line's letter may close it ("xbox series s"), or open a longer one ("g pro
        // x superlight").
        let opens = |w: &str| {
            crate::catalog::text::is_word_of_letters(w)
                || (words.len() >= 3 && crate::catalog::text::is_single_letter(w))
        };
        words.len() >= 2
            && opens(words[0])
            && words.iter().all(|w| w.chars().all(char::is_alphabetic))
            && !crate::nlu::language::is_common_word(words[0])
            && self.shop.titles_have(&words.join(" "))
    }

    /// Whether a word heads some title, or is a model-like token (it ends "jbl charge
    /// 5", whose kind is not said).
    fn heads_titles(&self, word: &str) -> bool {
        word.chars().any(|c| c.is_ascii_digit()) || self.shop.heads(word) > 0
    }

    /// Whether a part names products by their words alone (a catalogue whose kinds are
    /// not known, such as one of German titles): one of its best matches has every
    /// product word of it.
    fn has_all_words(&self, lang: Language, part: &str) -> bool {
        let mut u = RulesReading::new(part, lang).understanding();
        u.intent = Intent::Search;
        if u.product_type.is_none() {
            u.product_type = crate::nlu::understand::rule_product_words(&u.normalised, &u.slots);
        }
        let mut search = ActiveSearch::default();
        search.apply(&u, &[], None);
        let n = super::discover::product_word_count(&search.text);
        if n == 0 {
            return false;
        }
        let q = SearchQuery {
            limit: 3,
            sort: crate::search::Sort::Relevance,
            ..search.query()
        };
        self.shop.search_words(&q).is_ok_and(|r| {
            r.hits
                .iter()
                .any(|h| super::discover::matched_words(h) >= n)
        })
    }

    /// Whether one of the best matches of the targets' heads names them all in its
    /// title before what it is for ("AAA Batteries with Charger", "Table and Chair
    /// Set", "HDMI Cable with Ethernet", but not "HDMI Cable for Apple TV"): then the
    /// message asked for that one product.
    fn a_title_names_all(&self, heads: &[String]) -> bool {
        if heads.iter().any(|h| h.is_empty()) {
            return false;
        }
        let q = SearchQuery {
            text: heads.join(" "),
            limit: 5,
            ..Default::default()
        };
        let Ok(r) = self.shop.search_words(&q) else {
            return false;
        };
        r.hits.iter().any(|h| {
            let title = format!(" {} ", h.title.to_lowercase());
            let naming = [" for ", " compatible ", " fits ", " für ", " passend "]
                .iter()
                .filter_map(|m| title.find(m))
                .min()
                .map_or(title.as_str(), |i| &title[..i]);
            let words: Vec<String> = naming
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .filter(|t| !t.is_empty())
                .map(crate::catalog::kind::singular)
                .collect();
            heads.iter().all(|h| {
                words
                    .iter()
                    .any(|t| t == h || (h.chars().count() >= 4 && t.contains(h.as_str())))
            })
        })
    }

    /// A part that names models of two products, one after the other, is two
    /// targets: a list written with commas, which normalising drops ("epson home
    /// cinema 2250, acer p6500"), or said without them ("nikon d7500 canon eos
    /// 80d"). It is split after the first model's words, where both sides name a
    /// model and no listing of the first names one of the second ("ryzen 7 5825u"
    /// in a laptop's title stays whole). Words of a kind between the two models
    /// go with the first ("anker 313 wireless charger sony srs-xb33").
    fn split_at_models(&self, part: &str) -> Vec<String> {
        let words: Vec<&str> = part.split_whitespace().collect();
        if self.shop.request_target(part).1.len() < 2 {
            return vec![part.to_string()];
        }
        let models_from = |k: usize| self.shop.request_target(&words[k..].join(" ")).1;
        for i in 1..words.len() {
            let (_, first_models) = self.shop.request_target(&words[..i].join(" "));
            let own =
                |m: &Vec<String>| !m.is_empty() && !m.iter().any(|x| first_models.contains(x));
            if first_models.is_empty() || !own(&models_from(i)) {
                continue;
            }
            // Where the second model's words begin at the latest; the split is the
            // first place where each side's words are all in a listing of its model.
            let last = (i..words.len())
                .rev()
                .find(|&k| own(&models_from(k)))
                .unwrap_or(i);
            let at = (i..=last)
                .find(|&p| {
                    self.a_listing_has_all(&words[..p], &first_models)
                        && self.a_listing_has_all(&words[p..], &models_from(p))
                })
                .unwrap_or(i);
            let (first, rest) = (words[..at].join(" "), words[at..].join(" "));
            let rest_models = models_from(at);
            let q = SearchQuery {
                text: first.clone(),
                models: first_models,
                limit: 50,
                ..Default::default()
            };
            let together = self.shop.search(&q).is_ok_and(|r| {
                r.hits.iter().any(|h| {
                    let named = crate::search::profile::title_models(&h.title);
                    rest_models.iter().any(|m| named.contains(m))
                })
            });
            if together {
                return vec![part.to_string()];
            }
            let mut out = vec![first];
            out.extend(self.split_at_models(&rest));
            return out;
        }
        vec![part.to_string()]
    }

    /// Whether a listing of one of `models` has every one of `words` in its title.
    fn a_listing_has_all(&self, words: &[&str], models: &[String]) -> bool {
        use crate::catalog::text::fold;
        let q = SearchQuery {
            text: words.join(" "),
            models: models.to_vec(),
            limit: 20,
            ..Default::default()
        };
        self.shop.search(&q).is_ok_and(|r| {
            r.hits.iter().any(|h| {
                let title: Vec<String> = h
                    .title
                    .split(|c: char| !c.is_alphanumeric() && c != '-')
                    .map(fold)
                    .collect();
                words.iter().all(|w| {
                    let w = fold(w);
                    title
                        .iter()
                        .any(|t| *t == w || t.split('-').any(|x| x == w))
                })
            })
        })
    }

    /// Whether two parts are one product's name: a title joins the last word of the
    /// first to the first word of the second ("shampoo and conditioner").
    fn one_product(&self, first: &str, second: &str) -> bool {
        let (Some(a), Some(b)) = (
            first.split_whitespace().last(),
            second
                .split_whitespace()
                .find(|w| !["a", "an", "the", "some", "ein", "eine", "einen"].contains(w)),
        ) else {
            return false;
        };
        ["and", "&", "und", "+"]
            .iter()
            .any(|j| self.shop.titles_have(&format!("{a} {j} {b}")))
    }

    /// Searches each target on its own and shows each as a group.
    pub(super) fn search_targets(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        targets: Vec<String>,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        let mut shown: Vec<Shown> = Vec::new();
        let mut first_search: Option<ActiveSearch> = None;
        let mut labels: Vec<String> = Vec::new();
        // The products the target before found.
        let mut found_before: Vec<Arc<Product>> = Vec::new();
        for (group, target) in targets.iter().enumerate() {
            let part = self.search_part(ctx, u, target);
            let fresh = || SessionState {
                language: state.language,
                ..Default::default()
            };
            let mut sub = fresh();
            let mut o = Outcome::default();
            // "a phone under 300 and a case for it": a case for one of the phones
            // found, the first that has one, not for any phone.
            let words_for_found = labels.last().and_then(|prev| {
                [" for ", " für "]
                    .iter()
                    .find_map(|w| part.normalised.strip_suffix(&format!("{w}{prev}")))
                    .filter(|_| prev.split_whitespace().count() == 1)
            });
            // Only a kind this shop has: the maker's other products are no bag. What
            // the shop has none of for that kind ("a tripod and a bag for it" among
            // make-up bags) is said so by the search below, not shown as fitting.
            let asked_kind = words_for_found
                .filter(|_| self.not_carried(&part).is_none())
                .and_then(|w| self.shop.request_target(w).0);
            if let (Some(words), Some(kind)) = (words_for_found, &asked_kind) {
                for product in &found_before {
                    let mut s = fresh();
                    let mut found = Outcome::default();
                    let fit = super::discover::Fit {
                        words,
                        named: None,
                        product,
                    };
                    let of_kind = |p: &crate::assist::turn::ProductOut| {
                        p.relaxed.is_empty() && self.shop.kind_of(&p.id).as_ref() == Some(kind)
                    };
                    if self.search_fitting(ctx, &mut s, &part, fit, &mut found)?
                        && found.products.iter().any(of_kind)
                    {
                        (sub, o) = (s, found);
                        break;
                    }
                }
            }
            // "an apple watch series 9 and a case for it": where the target before
            // found one device of one size, a case of that size first.
            let sized = labels
                .last()
                .filter(|prev| {
                    [" for ", " für "]
                        .iter()
                        .any(|w| part.normalised.ends_with(&format!("{w}{prev}")))
                })
                .and(found_before.first().filter(|_| found_before.len() == 1))
                .filter(|_| {
                    self.shop
                        .request_target(&part.normalised)
                        .0
                        .as_deref()
                        .is_some_and(crate::search::profile::is_accessory_kind)
                })
                .and_then(|device| super::discover::device_size(device));
            if let Some(size) = sized.filter(|_| o.products.is_empty()) {
                // "… 45mm and a case for it" has said the size already.
                let said = crate::catalog::specs::quantities(target)
                    .iter()
                    .any(|(q, _)| q.dim == crate::catalog::specs::Dim::Length);
                let text = if said {
                    target.clone()
                } else {
                    format!("{target} {size}")
                };
                let sized_part = self.search_part(ctx, u, &text);
                let mut s = fresh();
                let mut found = Outcome::default();
                // The device itself is no case of it ("Apple Watch … Aluminium
                // Case with Sport Band").
                let other = |found: &Outcome| {
                    found
                        .products
                        .iter()
                        .any(|p| !found_before.iter().any(|d| d.id == p.id))
                };
                if self.search_found(ctx, &mut s, &sized_part, &mut found)? && other(&found) {
                    (sub, o) = (s, found);
                }
            }
            // "a charger for my galaxy a35": what fits that phone, as alone.
            let fitted = !o.products.is_empty()
                || match self.named_to_fit(&part) {
                    Some((words, named, product)) => {
                        let fit = super::discover::Fit {
                            words,
                            named,
                            product: &product,
                        };
                        self.search_fitting(ctx, &mut sub, &part, fit, &mut o)?
                    }
                    None => false,
                };
            if !fitted {
                o = Outcome::default();
                sub = fresh();
                self.search_one(ctx, &mut sub, &part, &mut o)?;
            }
            let all = !sub.search.models.is_empty()
                || sub.search.sort != crate::search::Sort::Relevance
                || sub.search.spec_sort.is_some();
            let keep = if all { o.products.len() } else { GROUP };
            let found = o.facts.iter().find_map(|f| match f {
                Fact::Discover(Discover::Found {
                    total,
                    changes,
                    currency,
                    best,
                }) => Some((*total, changes.clone(), currency.clone(), *best)),
                _ => None,
            });
            let (total, changes, currency, best) = match found {
                Some((t, c, cur, best)) => (Some(t), c, cur, best),
                None => (None, Vec::new(), String::new(), None),
            };
            let label = label(target);
            out.say(Fact::Discover(Discover::Group {
                target: label.clone(),
                total,
                changes,
                currency,
                best,
            }));
            for f in o.facts {
                match f {
                    Fact::Discover(Discover::Found { .. }) => {}
                    Fact::Discover(Discover::Shown { n, .. }) if n > keep => {}
                    Fact::Discover(Discover::Shown {
                        n,
                        product,
                        price,
                        size,
                        color,
                        in_stock,
                    }) => out.say(Fact::Discover(Discover::Shown {
                        n: n + shown.len(),
                        product,
                        price,
                        size,
                        color,
                        in_stock,
                    })),
                    Fact::Discover(Discover::CheapestOffer { numbers, price }) if all => {
                        out.say(Fact::Discover(Discover::CheapestOffer {
                            numbers: numbers.into_iter().map(|n| n + shown.len()).collect(),
                            price,
                        }))
                    }
                    other => out.say(other),
                }
            }
            found_before = o
                .products
                .iter()
                .take(keep)
                .filter(|p| p.relaxed.is_empty())
                .filter_map(|p| self.shop.product(&p.id))
                .collect();
            for mut p in o.products.into_iter().take(keep) {
                p.group = Some(group);
                out.products.push(p);
            }
            shown.extend(sub.shown.into_iter().take(keep));
            out.plan
                .get_or_insert_with(Default::default)
                .targets
                .push(sub.search.plan_target(part.slots.quantity));
            first_search.get_or_insert(sub.search);
            out.progress |= o.progress;
            labels.push(label);
        }
        state.search = first_search.unwrap_or_default();
        state.focused = shown.first().cloned();
        state.shown = shown;
        out.targets = labels;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_splits_at_and_and_for_it_takes_the_target_before() {
        assert_eq!(
            parts("a case for my apple watch 44mm and a charger for it"),
            [
                "a case for my apple watch 44mm",
                "a charger for my apple watch 44mm"
            ]
        );
        assert_eq!(parts("galaxy a25 and a35"), ["galaxy a25", "a35"]);
        assert_eq!(
            parts("eine regenjacke, eine mütze und handschuhe"),
            ["eine regenjacke", "eine mütze", "handschuhe"]
        );
        assert_eq!(parts("a charger for it"), ["a charger"]);
        assert_eq!(
            parts("the galaxy a25 and a case for it"),
            ["the galaxy a25", "a case for galaxy a25"]
        );
        assert_eq!(
            parts("ein galaxy a35 und eine hülle dafür"),
            ["ein galaxy a35", "eine hülle für galaxy a35"]
        );
        assert_eq!(
            parts("a laptop and a bag for it"),
            ["a laptop", "a bag for laptop"]
        );
        assert_eq!(
            parts("a jbl charge 5 and a case for it"),
            ["a jbl charge 5", "a case for jbl charge 5"]
        );
        assert_eq!(parts("usb cable"), ["usb cable"]);
        // A decimal comma is in its number; a comma and a space list things.
        assert_eq!(
            parts("ein wasserkocher mit 1,7 liter"),
            ["ein wasserkocher mit 1,7 liter"]
        );
        assert_eq!(parts("kettle, 2 mugs"), ["kettle", "2 mugs"]);
        // A list whose commas are gone, cut at its articles.
        assert_eq!(
            parts("a laptop a mouse and a bag"),
            ["a laptop", "a mouse", "a bag"]
        );
        assert_eq!(parts("a case for a phone"), ["a case for a phone"]);
        assert_eq!(parts("a phone a 35"), ["a phone a 35"]);
        // What a product has, listed after "with", is one request; another thing
        // after it is another.
        assert_eq!(
            parts("hub with hdmi and sd card reader"),
            ["hub with hdmi and sd card reader"]
        );
        assert_eq!(
            parts("ein laptop mit 16 gb ram und ssd"),
            ["ein laptop mit 16 gb ram und ssd"]
        );
        // A number with its unit goes on with what it has; a count starts another.
        assert_eq!(
            parts("tablet with 8gb and 7 inch screen"),
            ["tablet with 8gb and 7 inch screen"]
        );
        assert_eq!(
            parts("a tablet with 8gb and 2 cases"),
            ["a tablet with 8gb", "2 cases"]
        );
        assert_eq!(
            parts("a laptop with 16gb ram and a bag for it"),
            ["a laptop with 16gb ram", "a bag for laptop with 16gb ram"]
        );
        assert_eq!(label("find all offers for the anker 313"), "anker 313");
        assert_eq!(label("eine regenjacke"), "regenjacke");
        assert_eq!(label("eine mütze unter 50 eur"), "mütze");
        assert_eq!(label("2 hdmi cables"), "hdmi cables");
        assert_eq!(label("a 6 ft hdmi cable"), "6 ft hdmi cable");
        assert_eq!(head("a case for my iphone 12"), "case");
        assert_eq!(head("long lasting aaa batteries"), "battery");
        assert_eq!(head("a charger price lower than 50 usd"), "charger");
    }
}
