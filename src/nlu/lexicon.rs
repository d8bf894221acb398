//! Product words across German and English (`prompts/lexicon.toml`): a shopper who
//! writes "fernglas" to a shop whose catalogue is English is searching for binoculars.
//!
//! A word is translated only when the catalogue does not know it and knows the
//! translation (the caller says which words it knows), so a shop's own vocabulary
//! always wins and a word both languages share stays as it is. German plural and
//! adjective endings and compounds whose last part is listed are read here, so the
//! file lists base forms only. Built in, and a shop adds or replaces lines with its
//! own `prompts_dir/lexicon.toml`, installed once per process like the phrase lists.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use super::Language;
use crate::catalog::text::{fold, last_parts};

const BUILT_IN: &str = include_str!("../../prompts/lexicon.toml");

/// The two directions of the word list, keyed by folded word, and the words that tell
/// a language.
#[derive(Debug, Default)]
pub struct Lexicon {
    de_en: HashMap<String, Vec<String>>,
    en_de: HashMap<String, Vec<String>>,
    /// Every English name of a German word ("body wash" as well as "shower gel" for
    /// "duschgel"): for the model's ideas, which name products in English.
    names_en_de: HashMap<String, Vec<String>>,
    /// Other words of the same language for a product ("ram" → "memory", "psu" →
    /// "power supply"), for a catalogue that uses those instead.
    synonyms: HashMap<String, Vec<String>>,
    /// Folded single words of one language only (not in the other, not shared).
    german: HashSet<String>,
    english: HashSet<String>,
    /// Words both languages use ("laptop", "tv").
    shared: HashSet<String>,
    /// Folded words of both sides of the `properties` table ("kabellos",
    /// "wireless"): never a kind of product.
    properties: HashSet<String>,
    /// Folded German words and the last words of their English translations
    /// outside `properties`: names of things a shop can lack ("tv", "dryer",
    /// "laptop", "fernseher").
    things: HashSet<String>,
    /// Brands a shopper may name that a shop may lack, as the plain words a request
    /// has them in ("western digital"), with their names ("Western Digital").
    brands: Vec<(String, String)>,
    /// Lines of products named by their maker's name alone, folded ("ipad", "echo
    /// dot"), with the kind they are ("tablet", "smart speaker").
    lines: HashMap<String, String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    shared: Vec<String>,
    #[serde(default)]
    de_en: HashMap<String, Vec<String>>,
    #[serde(default)]
    properties: HashMap<String, Vec<String>>,
    #[serde(default)]
    synonyms: HashMap<String, Vec<String>>,
    #[serde(default)]
    brands: Vec<String>,
    #[serde(default)]
    lines: HashMap<String, String>,
}

/// One product word put into the catalogue's language, as `understanding` shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Translation {
    pub from: String,
    pub to: String,
}

static INSTALLED: OnceLock<Lexicon> = OnceLock::new();

/// How many times more products must use a translation than the shopper's own word,
/// which the catalogue knows, for the translation to replace it.
const RARER_BY: u32 = 5;

/// German endings a base form may carry: plural, case and adjective endings.
const ENDINGS: &[&str] = &["en", "er", "es", "em", "e", "n", "s"];

impl Lexicon {
    /// The built-in list with a shop's lines from `dir/lexicon.toml` (if any) added;
    /// a shop's line for a word replaces the built-in one.
    pub fn load(dir: Option<&Path>) -> Result<Lexicon, String> {
        let File {
            mut shared,
            de_en: mut words,
            mut properties,
            mut synonyms,
            mut brands,
            mut lines,
        } = parse(BUILT_IN, "built-in lexicon.toml")?;
        if let Some(dir) = dir {
            let path = dir.join("lexicon.toml");
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let shop = parse(&text, &path.display().to_string())?;
                    shared.extend(shop.shared);
                    words.extend(shop.de_en);
                    properties.extend(shop.properties);
                    synonyms.extend(shop.synonyms);
                    brands.extend(shop.brands);
                    lines.extend(shop.lines);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(format!("{}: {e}", path.display())),
            }
        }
        // As written and as a request has it without its apostrophe ("delonghi").
        let mut brands: Vec<(String, String)> = brands
            .iter()
            .flat_map(|b| {
                let plain = crate::search::profile::plain_words;
                let name = b.trim().to_string();
                let spoken = plain(&b.replace(['\'', '’'], ""));
                [(plain(b), name.clone()), (spoken, name)]
            })
            .filter(|(words, _)| !words.is_empty())
            .collect();
        brands.dedup();
        let mut lexicon = Lexicon {
            brands,
            lines: lines
                .into_iter()
                .map(|(line, kind)| (fold(line.trim()), kind.trim().to_lowercase()))
                .filter(|(line, kind)| !line.is_empty() && !kind.is_empty())
                .collect(),
            ..Lexicon::default()
        };
        for (word, others) in synonyms {
            let others: Vec<String> = others
                .iter()
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect();
            if !others.is_empty() {
                lexicon.synonyms.insert(fold(word.trim()), others);
            }
        }
        for (de, en) in &properties {
            lexicon.properties.insert(fold(de.trim()));
            lexicon
                .properties
                .extend(en.iter().flat_map(|t| t.split_whitespace()).map(fold));
        }
        // A thing's English name ends in its head: "hair dryer" is a dryer, "usb
        // stick" a stick ("usb" alone is none).
        for (de, en) in &words {
            lexicon.things.insert(fold(de.trim()));
            lexicon.things.extend(
                en.iter()
                    .filter_map(|t| t.split_whitespace().last())
                    .map(fold),
            );
        }
        words.extend(properties);
        let mut german: Vec<(String, Vec<String>)> = words.into_iter().collect();
        // The English-to-German side takes, for an English word, the German words
        // that list it first, alphabetically: the same answers in the same order,
        // whatever the order of a hash map.
        german.sort();
        for (de, en) in german {
            let de = fold(de.trim());
            let en: Vec<String> = en
                .iter()
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect();
            if de.is_empty() || en.is_empty() {
                continue;
            }
            lexicon
                .en_de
                .entry(fold(&en[0]))
                .or_default()
                .push(de.clone());
            for name in &en {
                lexicon
                    .names_en_de
                    .entry(fold(name))
                    .or_default()
                    .push(de.clone());
            }
            lexicon.german.insert(de.clone());
            lexicon
                .english
                .extend(en.iter().flat_map(|t| t.split_whitespace()).map(fold));
            lexicon.de_en.insert(de, en);
        }
        let both: HashSet<String> = lexicon
            .german
            .intersection(&lexicon.english)
            .cloned()
            .chain(shared.iter().map(|w| fold(w.trim())))
            .collect();
        lexicon.german.retain(|w| !both.contains(w));
        lexicon.english.retain(|w| !both.contains(w));
        lexicon.shared = both;
        Ok(lexicon)
    }

    /// The lexicon in use: the installed one, or the built-in one until [`install`].
    pub fn get() -> &'static Lexicon {
        INSTALLED.get_or_init(|| Lexicon::load(None).expect("the built-in lexicon parses"))
    }

    /// `word` in the catalogue's language. `uses` says how many products use a
    /// (folded) word. A word no product uses is replaced by the first translation the
    /// catalogue knows: "fernglas" → "binoculars", "kabellose" → "wireless",
    /// "handyhülle" → "phone case". A word of the shopper's language (`from`) that a
    /// few products use is replaced too when many more use its translation: "beamer",
    /// in one English title, → "projector", in eleven (that one among them). `None`
    /// leaves the word as it is.
    pub fn translate(
        &self,
        word: &str,
        from: Language,
        uses: &dyn Fn(&str) -> u32,
    ) -> Option<String> {
        let folded = fold(word);
        if folded.chars().count() < 3
            || crate::catalog::text::too_long_for_a_word(&folded)
            || folded.chars().any(|c| !c.is_alphabetic() && c != '-')
        {
            return None;
        }
        let known = |w: &str| uses(w) > 0;
        // A word listed as it is said, which the catalogue does not use, is
        // translated whatever its base names there: "beamer" is a projector, not a
        // "beam" (of a "Sonos Beam").
        if uses(&folded) == 0 {
            let listed = |side: &HashMap<String, Vec<String>>| {
                side.get(&folded)
                    .and_then(|alternatives| Self::first_known(alternatives, &known))
            };
            // The German words an English one is the first translation of
            // ("motherboard": "hauptplatine", "mainboard"): the first the catalogue
            // knows.
            if let Some(t) = listed(&self.de_en).or_else(|| listed(&self.en_de)) {
                return Some(t);
            }
        }
        // A form of a word the catalogue has ("laufschuhe" for "Laufschuh") is its
        // own: the index's stemming finds it.
        let used = bases(&folded).map(uses).max().unwrap_or(0);
        if used > 0 {
            let side = match from {
                Language::De => &self.de_en,
                Language::En => &self.en_de,
            };
            let t = Self::known_in(side, &folded, &known)?;
            let more = t
                .split_whitespace()
                .map(|w| uses(&fold(w)))
                .min()
                .unwrap_or(0);
            return (more >= RARER_BY * used).then_some(t);
        }
        if let Some(t) = self.known_translation(&folded, &known) {
            return Some(t);
        }
        // A German compound whose last part is listed, longest last part first; its
        // first part is kept when the catalogue knows it ("bluetoothlautsprecher"),
        // translated when listed ("handyhülle"), else left out ("sportkopfhörer").
        let cuts: Vec<usize> = folded.char_indices().map(|(i, _)| i).collect();
        for &cut in cuts.iter().skip(3) {
            let (modifier, head) = folded.split_at(cut);
            if head.chars().count() < 4 {
                break;
            }
            // A compound of the catalogue's own language is the decompounder's.
            if bases(head).any(known) {
                return None;
            }
            let Some(head) = self.known_translation(head, &known) else {
                continue;
            };
            // A compound listed whole is the thing its own translations name: a
            // "kühlschrank" (fridge) is no sort of "schrank" (cabinet), where a
            // listed "laufschuh" (running shoes) is a sort of "schuh" (shoes). A
            // shop without fridges does not carry one, whatever cabinets it has.
            let last_word = |t: &str| t.split_whitespace().last().map(fold);
            let whole: Vec<&String> = bases(&folded)
                .filter_map(|b| self.de_en.get(b).or_else(|| self.en_de.get(b)))
                .flatten()
                .collect();
            if !whole.is_empty() && whole.iter().all(|t| last_word(t) != last_word(&head)) {
                return None;
            }
            let modifier = modifier.trim_end_matches('-');
            let modifier = [modifier, modifier.strip_suffix('s').unwrap_or(modifier)]
                .into_iter()
                .find_map(|m| {
                    if known(m) {
                        Some(m.to_string())
                    } else {
                        self.known_translation(m, &known)
                    }
                });
            return Some(match modifier {
                Some(m) => format!("{m} {head}"),
                None => head,
            });
        }
        None
    }

    /// The first translation of `folded` (or of its base form) whose words the
    /// catalogue all knows, from either side, else the first such synonym.
    fn known_translation(&self, folded: &str, known: &dyn Fn(&str) -> bool) -> Option<String> {
        Self::known_in(&self.de_en, folded, known)
            .or_else(|| Self::known_in(&self.en_de, folded, known))
            .or_else(|| Self::known_in(&self.synonyms, folded, known))
    }

    fn known_in(
        side: &HashMap<String, Vec<String>>,
        folded: &str,
        known: &dyn Fn(&str) -> bool,
    ) -> Option<String> {
        bases(folded)
            .filter_map(|base| side.get(base))
            .find_map(|alternatives| Self::first_known(alternatives, known))
    }

    /// The first of a word's alternatives whose words the catalogue all knows.
    fn first_known(alternatives: &[String], known: &dyn Fn(&str) -> bool) -> Option<String> {
        alternatives
            .iter()
            .find(|t| t.split_whitespace().all(|w| known(&fold(w))))
            .cloned()
    }

    /// Whether the list has `word` on either side, as a base form, one word of a
    /// translation ("dryer" of "hair dryer") or the last part of a German compound
    /// ("haartrockner" for "trockner"): a word of the language that names products,
    /// not a typo.
    pub fn knows(&self, word: &str) -> bool {
        let folded = fold(word);
        if folded.chars().count() < 3 || self.lists(&folded) {
            return folded.chars().count() >= 3;
        }
        let known = last_parts(&folded).any(|p| self.lists(p));
        known
    }

    /// Whether the list has `word` itself on either side, in a base form ("toasters"),
    /// not only its last part: a word spelt as the language spells it.
    pub fn lists(&self, word: &str) -> bool {
        bases(&fold(word)).any(|b| {
            self.de_en.contains_key(b)
                || self.en_de.contains_key(b)
                || self.synonyms.contains_key(b)
                || self.german.contains(b)
                || self.english.contains(b)
                || self.shared.contains(b)
        })
    }

    /// A synonym of `word` whose last word `is_kind` says this catalogue's titles are
    /// ("ram" → "memory" where memory is sold as "… Desktop Memory" and "RAM" is only
    /// a laptop's spec), for a word the titles use but never as their kind.
    pub fn synonym_of_kind(&self, word: &str, is_kind: &dyn Fn(&str) -> bool) -> Option<String> {
        let folded = fold(word);
        self.synonyms.get(&folded)?.iter().find_map(|s| {
            s.split_whitespace()
                .last()
                .is_some_and(|last| is_kind(&fold(last)))
                .then(|| s.clone())
        })
    }

    /// Whether `phrase` ("light bulb") is listed with its last word alone ("bulb")
    /// as another name: the word before the head says nothing a title must say.
    pub fn head_alone_names(&self, phrase: &str) -> bool {
        let folded = fold(phrase);
        let Some((_, head)) = folded.rsplit_once(' ') else {
            return false;
        };
        self.synonyms
            .get(&folded)
            .is_some_and(|others| others.iter().any(|o| fold(o) == head))
    }

    /// The names of the same kind of product as `kind` (singular, folded): synonyms
    /// listed both ways ("extender" ↔ "repeater", "couch" ↔ "sofa"), and the longer
    /// name a short one is cut from ("remote" → "remote control"). A "WiFi Booster
    /// … Repeater" is a wifi extender, a "Replacement Remote Control" a remote; a
    /// one-way synonym ("charger" → "power adapter") only stands in where the
    /// catalogue lacks the word, and a "remote control" is no "Remote … Controller".
    pub fn same_kinds(&self, kind: &str) -> Vec<String> {
        let folded = fold(kind);
        self.synonyms(kind)
            .into_iter()
            .filter(|o| {
                o.strip_prefix(&folded)
                    .is_some_and(|rest| rest.starts_with(' '))
                    || self
                        .synonyms
                        .get(o)
                        .is_some_and(|back| back.iter().any(|b| fold(b) == folded))
            })
            .collect()
    }

    /// Every name the lexicon lists for `kind`, also those that name more than it
    /// ("charger" → "power adapter": a travel plug is a power adapter too). Folded.
    pub fn synonyms(&self, kind: &str) -> Vec<String> {
        self.synonyms
            .get(&fold(kind))
            .map(|others| others.iter().map(|o| fold(o)).collect())
            .unwrap_or_default()
    }

    /// The kind a line of products is ("tablet" of "ipad"), for a title that names
    /// its product by the line alone ("Apple iPad (10th Generation): with A14 …").
    /// `line` is folded, its words apart by single spaces.
    pub fn line_kind(&self, line: &str) -> Option<&str> {
        self.lines.get(line).map(String::as_str)
    }

    /// The plain words a brand of the list is written in ("de longhi", "delonghi"
    /// for "De'Longhi").
    pub fn brand_words<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.brands
            .iter()
            .filter(move |(_, n)| n == name)
            .map(|(words, _)| words.as_str())
    }

    /// The brand of the list a request names (its plain words, see
    /// [`crate::search::profile::plain_words`]), the longest where several are:
    /// "a western digital ssd" → "Western Digital".
    pub fn brand_named(&self, plain: &str) -> Option<&str> {
        let padded = format!(" {plain} ");
        self.brands
            .iter()
            .filter(|(words, _)| padded.contains(&format!(" {words} ")))
            .max_by_key(|(words, _)| words.len())
            .map(|(_, name)| name.as_str())
    }

    /// Whether `word` names a thing a shop may or may not carry: a German word or
    /// the head of a translation ("dryer" of "hair dryer"), or a German compound
    /// ending in one ("haartrockner"), but no property ("wireless") and no word of
    /// technology alone ("usb", "hdmi").
    pub fn names_a_thing(&self, word: &str) -> bool {
        let folded = fold(word);
        let thing = |w: &str| {
            let singular = crate::catalog::kind::singular(w);
            let forms = || bases(w).chain(std::iter::once(singular.as_str()));
            forms().any(|b| self.things.contains(b))
                && !forms().any(|b| self.properties.contains(b))
        };
        if folded.chars().count() < 2 || !folded.chars().all(char::is_alphabetic) {
            return false;
        }
        // An English adjective is no compound: "comfortable" is no kind of table,
        // "washable" none of "able".
        let adjective = ADJECTIVE_ENDINGS.iter().any(|e| folded.ends_with(e));
        let known = thing(&folded) || !adjective && last_parts(&folded).any(thing);
        known
    }

    /// The one-word names the other language gives `word` (folded, any German
    /// ending): "shoes" → "schuh", "mantel" → "coat". Translations of several words
    /// ("hair dryer") are left out: they name a narrower thing.
    pub fn other_names(&self, word: &str) -> Vec<String> {
        let folded = fold(word);
        let singular = crate::catalog::kind::singular(&folded);
        let mut out: Vec<String> = bases(&folded)
            .chain(std::iter::once(singular.as_str()))
            .filter_map(|b| self.de_en.get(b).or_else(|| self.en_de.get(b)))
            .flatten()
            .filter(|t| !t.contains(' '))
            .map(|t| fold(t))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The language a product word is of, when only one of the two has it
    /// ("earbuds", "kopfhörer"); `None` for a word both use ("laptop") or neither.
    pub fn language_of(&self, word: &str) -> Option<Language> {
        let folded = fold(word);
        let is = |side: &HashSet<String>| bases(&folded).any(|b| side.contains(b));
        match (is(&self.german), is(&self.english)) {
            (true, false) => Some(Language::De),
            (false, true) => Some(Language::En),
            _ => None,
        }
    }

    /// The words of `words` that [`Lexicon::translate`] puts into the catalogue's
    /// language, each once.
    pub fn translations(
        &self,
        words: &str,
        from: Language,
        uses: &dyn Fn(&str) -> u32,
        is_kind: &dyn Fn(&str) -> bool,
    ) -> Vec<Translation> {
        let mut out: Vec<Translation> = Vec::new();
        // An English name of two words the catalogue does not write, listed whole:
        // "hard drive" over a German shop's "Festplatte" (its words one by one
        // would be "hard festplatte"), where the translation is a kind there (a
        // scarf named "Föhn" is no hair dryer).
        let said: Vec<&str> = words.split_whitespace().collect();
        let mut in_pair: Vec<&str> = Vec::new();
        for pair in said.windows(2) {
            if in_pair.contains(&pair[0]) || pair.iter().all(|w| uses(&fold(w)) > 0) {
                continue;
            }
            let phrase = format!("{} {}", pair[0], pair[1]);
            // "hard drives" as "hard drive".
            let one = format!("{} {}", pair[0], crate::catalog::kind::singular(pair[1]));
            let to = [&phrase, &one]
                .into_iter()
                .find_map(|p| self.names_en_de.get(&fold(p)))
                .and_then(|alternatives| Self::first_known(alternatives, is_kind));
            if let Some(to) = to {
                in_pair.extend(pair);
                out.push(Translation { from: phrase, to });
            }
        }
        for w in said {
            if in_pair.contains(&w) || out.iter().any(|t| t.from == w) {
                continue;
            }
            // Else a German word that lists it anywhere, when that is a kind the shop
            // sells ("cpu" of "prozessor", "ram" of "arbeitsspeicher"), and the word
            // itself no more than a rarer one there ("cpu" of one "CPU-Kühler"). Not
            // a name the shop uses otherwise: "dryer" is no "Föhn" of a scarf.
            let listed_kind = || {
                let folded = fold(w);
                let t = bases(&folded)
                    .filter_map(|b| self.names_en_de.get(b))
                    .find_map(|alternatives| Self::first_known(alternatives, is_kind))?;
                // Any form of it the shop writes ("blenders" of "… Blender").
                let singular = crate::catalog::kind::singular(&folded);
                let used = bases(&folded)
                    .chain(std::iter::once(singular.as_str()))
                    .map(uses)
                    .max()
                    .unwrap_or(0);
                let more = t
                    .split_whitespace()
                    .map(|x| uses(&fold(x)))
                    .min()
                    .unwrap_or(0);
                (used == 0 || more >= RARER_BY * used).then_some(t)
            };
            if let Some(to) = self.translate(w, from, uses).or_else(listed_kind) {
                out.push(Translation {
                    from: w.to_string(),
                    to,
                });
            }
        }
        out
    }
}

/// Endings of English adjectives, whose last letters may spell a thing ("comfort-able").
const ADJECTIVE_ENDINGS: &[&str] = &["able", "ible"];

/// The singular of `word` taken as a German plural ("monitore" → "monitor",
/// "prozessoren" → "prozessor") that `is_kind` knows, when the word itself is none.
pub fn german_singular(word: &str, is_kind: &dyn Fn(&str) -> bool) -> Option<String> {
    let folded = fold(word);
    // An English word of the list is no German plural: "dryer" is no "dry", where
    // titles end "… Protects Dry, Cracked Skin".
    if is_kind(&folded) || Lexicon::get().english.contains(&folded) {
        return None;
    }
    let base = bases(&folded)
        .skip(1)
        .find(|b| is_kind(b))
        .map(str::to_string);
    base
}

/// A folded word and the base forms it may have under a German ending.
fn bases(folded: &str) -> impl Iterator<Item = &str> {
    std::iter::once(folded).chain(ENDINGS.iter().filter_map(move |e| {
        folded
            .strip_suffix(e)
            .filter(|base| base.chars().count() >= 3)
    }))
}

/// `text` with the words of `translations` replaced (whole words only; a
/// translation from two words replaces the two: "usb stick" → "flash drive").
pub fn apply(text: &str, translations: &[Translation]) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let pair = words.get(i + 1).map(|n| format!("{} {n}", words[i]));
        if let Some(t) = pair
            .as_ref()
            .and_then(|p| translations.iter().find(|t| t.from == *p))
        {
            out.push(t.to.as_str());
            i += 2;
            continue;
        }
        out.push(
            translations
                .iter()
                .find(|t| t.from == words[i])
                .map_or(words[i], |t| t.to.as_str()),
        );
        i += 1;
    }
    out.join(" ")
}

fn parse(text: &str, what: &str) -> Result<File, String> {
    toml::from_str::<File>(text).map_err(|e| format!("{what}: {e}"))
}

/// Installs the lexicon with a shop's lines from `dir`. A broken file is an error
/// (the built-in list stays); installing twice keeps the first.
pub fn install(dir: Option<&Path>) -> Result<(), String> {
    let lexicon = Lexicon::load(dir)?;
    let _ = INSTALLED.set(lexicon);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A catalogue using each of `words` in ten products.
    fn english(words: &'static [&'static str]) -> impl Fn(&str) -> u32 {
        move |w: &str| if words.contains(&w) { 10 } else { 0 }
    }

    fn tr(lx: &Lexicon, word: &str, uses: &dyn Fn(&str) -> u32) -> Option<String> {
        lx.translate(word, Language::De, uses)
    }

    #[test]
    fn an_english_word_finds_any_german_word_that_lists_it() {
        let lx = Lexicon::load(None).unwrap();
        // Two German words list "motherboard" first; the one the shop uses is taken.
        let german = english(&["mainboard", "prozessor", "arbeitsspeicher"]);
        assert_eq!(
            lx.translate("motherboard", Language::En, &german)
                .as_deref(),
            Some("mainboard")
        );
        // Listed second ("prozessor" = processor, cpu; "arbeitsspeicher" = memory,
        // ram), into a kind the shop sells.
        let kinds = |w: &str| ["mainboard", "prozessor", "arbeitsspeicher"].contains(&w);
        let one = |word: &str, uses: &dyn Fn(&str) -> u32| {
            lx.translations(word, Language::En, uses, &kinds)
                .first()
                .map(|t| t.to.clone())
        };
        assert_eq!(one("cpu", &german).as_deref(), Some("prozessor"));
        assert_eq!(one("ram", &german).as_deref(), Some("arbeitsspeicher"));
        // A word the shop uses once ("CPU-Kühler") is still the kind five times more
        // products are: "cpu" asks for the processors.
        let once = |w: &str| match w {
            "cpu" => 1,
            "prozessor" => 5,
            _ => 0,
        };
        assert_eq!(one("cpu", &once).as_deref(), Some("prozessor"));
        // A name the shop uses that is no kind there is no translation: a scarf
        // named "Föhn" is no hair dryer.
        let named = english(&["fohn", "schal"]);
        assert_eq!(
            lx.translations("dryer", Language::En, &named, &|w: &str| w == "schal"),
            vec![]
        );
        // A word the shop writes in another form is its own: "blenders" of "…
        // Blender" is no "Stand Mixer" (a "mixer" in German).
        let blender = english(&["blender", "mixer"]);
        assert_eq!(
            lx.translations("blenders", Language::En, &blender, &|w: &str| w == "mixer"),
            vec![]
        );
    }

    #[test]
    fn a_brand_of_the_list_is_named_by_its_plain_words() {
        let l = Lexicon::load(None).unwrap();
        assert_eq!(
            l.brand_named("a western digital ssd"),
            Some("Western Digital")
        );
        assert_eq!(l.brand_named("delonghi coffee machine"), Some("De'Longhi"));
        assert_eq!(
            l.brand_words("De'Longhi").collect::<Vec<_>>(),
            ["de longhi", "delonghi"]
        );
        assert_eq!(l.brand_named("sony headphones"), Some("Sony"));
        // Everyday words are no brands, nor a brand inside a word.
        assert_eq!(l.brand_named("a gift for my brother"), None);
        assert_eq!(l.brand_named("samsonite suitcase"), None);
    }

    #[test]
    fn a_translation_of_two_words_replaces_both() {
        let t = |from: &str, to: &str| Translation {
            from: from.into(),
            to: to.into(),
        };
        let translations = [t("usb stick", "flash drive"), t("kabel", "cable")];
        assert_eq!(
            apply("cheapest usb stick and kabel", &translations),
            "cheapest flash drive and cable"
        );
        assert_eq!(apply("usb cable", &translations), "usb cable");
    }

    #[test]
    fn an_unknown_german_word_becomes_the_english_word_the_catalogue_knows() {
        let lx = Lexicon::load(None).unwrap();
        let knows = english(&["binoculars", "camera", "phone", "case", "wireless", "cable"]);
        assert_eq!(tr(&lx, "fernglas", &knows).as_deref(), Some("binoculars"));
        assert_eq!(
            tr(&lx, "kameras", &knows).as_deref(),
            Some("camera"),
            "a plural"
        );
        assert_eq!(tr(&lx, "kabellose", &knows).as_deref(), Some("wireless"));
        assert_eq!(tr(&lx, "handyhülle", &knows).as_deref(), Some("phone case"));
        assert_eq!(tr(&lx, "Kabel", &knows).as_deref(), Some("cable"));
        assert_eq!(
            tr(&lx, "stativ", &knows),
            None,
            "no tripod in this catalogue"
        );
        assert_eq!(tr(&lx, "warenkorb", &knows), None);
        // A compound whose last part is listed is not that part where it is listed
        // itself: a "Nachttisch" is a nightstand, not any table.
        let knows = english(&["table", "nightstand"]);
        assert_eq!(tr(&lx, "nachttisch", &knows).as_deref(), Some("nightstand"));
    }

    #[test]
    fn a_listed_word_is_translated_though_its_base_is_another_title_word() {
        let lx = Lexicon::load(None).unwrap();
        // "Sonos Beam" and projectors: a "beamer" is a projector.
        let knows = english(&["beam", "projector", "soundbar"]);
        assert_eq!(tr(&lx, "beamer", &knows).as_deref(), Some("projector"));
        // Said as the catalogue writes it, it stays.
        let knows = english(&["beamer", "projector"]);
        assert_eq!(tr(&lx, "beamer", &knows), None);
    }

    #[test]
    fn a_word_the_catalogue_lacks_becomes_its_synonym_the_catalogue_uses() {
        let lx = Lexicon::load(None).unwrap();
        let en = |w: &str| lx.translate(w, Language::En, &english(&["memory", "power", "supply"]));
        assert_eq!(en("ram").as_deref(), Some("memory"));
        assert_eq!(en("psu").as_deref(), Some("power supply"));
        assert_eq!(en("gpu"), None, "no graphics card in this catalogue");
        // A catalogue that says "RAM" keeps it.
        let ram = english(&["ram", "memory"]);
        assert_eq!(lx.translate("ram", Language::En, &ram), None);
    }

    #[test]
    fn a_head_listed_alone_as_another_name_needs_no_word_before_it() {
        let lx = Lexicon::load(None).unwrap();
        assert!(lx.head_alone_names("light bulb"));
        assert!(!lx.head_alone_names("car charger"));
        assert!(!lx.head_alone_names("bulb"));
        assert_eq!(lx.line_kind("ipad"), Some("tablet"));
        assert_eq!(lx.line_kind("echo dot"), Some("smart speaker"));
        assert_eq!(lx.line_kind("galaxy"), None);
    }

    #[test]
    fn a_kind_has_the_same_kinds_its_synonyms_name_both_ways() {
        let lx = Lexicon::load(None).unwrap();
        assert_eq!(lx.same_kinds("extender"), vec!["repeater".to_string()]);
        assert_eq!(lx.same_kinds("Repeater"), vec!["extender".to_string()]);
        assert_eq!(lx.same_kinds("sofa"), vec!["couch".to_string()]);
        assert_eq!(lx.same_kinds("remote"), vec!["remote control".to_string()]);
        // One way only: it stands in, it is not the same kind.
        assert!(lx.same_kinds("charger").is_empty());
        assert!(lx.same_kinds("gpu").is_empty());
        assert!(lx.same_kinds("pillow").is_empty());
    }

    #[test]
    fn a_kind_the_titles_lack_is_a_synonym_they_are() {
        let lx = Lexicon::load(None).unwrap();
        let memory = |w: &str| w == "memory";
        assert_eq!(
            lx.synonym_of_kind("RAM", &memory).as_deref(),
            Some("memory")
        );
        let card = |w: &str| w == "card";
        assert_eq!(
            lx.synonym_of_kind("gpu", &card).as_deref(),
            Some("graphics card")
        );
        assert_eq!(lx.synonym_of_kind("gpu", &memory), None);
        assert_eq!(lx.synonym_of_kind("pillow", &memory), None);
    }

    #[test]
    fn a_compound_listed_whole_is_not_its_last_part() {
        let lx = Lexicon::load(None).unwrap();
        // A shop of file cabinets and shoes has no fridge and no gloves.
        let knows = english(&["cabinet", "shoes", "phone", "case"]);
        assert_eq!(tr(&lx, "kühlschrank", &knows), None);
        assert_eq!(tr(&lx, "handschuhe", &knows), None);
        // Compounds not listed whole still read by their parts.
        assert_eq!(tr(&lx, "handyhülle", &knows).as_deref(), Some("phone case"));
        assert_eq!(tr(&lx, "sportschuhe", &knows).as_deref(), Some("shoes"));
        // A listed compound the shop has the translation of is translated.
        let knows = english(&["cabinet", "fridge"]);
        assert_eq!(tr(&lx, "kühlschrank", &knows).as_deref(), Some("fridge"));
    }

    #[test]
    fn an_english_word_of_the_list_is_no_german_plural() {
        let kinds = |w: &str| ["monitor", "dry", "print"].contains(&w);
        assert_eq!(
            german_singular("monitore", &kinds).as_deref(),
            Some("monitor")
        );
        // "dryer" of "hair dryer", "printer": English words, whatever their stems head.
        assert_eq!(german_singular("dryer", &kinds), None);
        assert_eq!(german_singular("printer", &kinds), None);
    }

    /// Past the longest word a compound may be, a "word" is no compound: its splits
    /// are not read (each costs time, and all of them the square of its length).
    #[test]
    fn a_word_longer_than_any_compound_is_not_split() {
        let lx = Lexicon::load(None).unwrap();
        let knows = english(&["phone", "case"]);
        let long = |n: usize| format!("{}hülle", "x".repeat(n - "hülle".chars().count()));
        let at_most = long(crate::catalog::text::LONGEST_WORD);
        assert_eq!(tr(&lx, &at_most, &knows).as_deref(), Some("case"));
        let longer = long(crate::catalog::text::LONGEST_WORD + 1);
        assert_eq!(tr(&lx, &longer, &knows), None);
        assert_eq!(last_parts(&fold(&longer)).count(), 0);
        assert!(last_parts(&fold(&at_most)).any(|p| p == "hulle"));
    }

    #[test]
    fn a_form_or_a_compound_of_the_catalogue_s_own_words_stays() {
        let lx = Lexicon::load(None).unwrap();
        let knows = english(&["laufschuh", "schuh", "shoe", "jacke", "jacket"]);
        assert_eq!(
            tr(&lx, "laufschuhe", &knows),
            None,
            "a plural of a known word"
        );
        assert_eq!(
            tr(&lx, "regenjacken", &knows),
            None,
            "a compound of a known head"
        );
    }

    #[test]
    fn a_word_the_catalogue_knows_stays_and_the_first_known_translation_wins() {
        let lx = Lexicon::load(None).unwrap();
        let knows = english(&["rock", "skirt", "earbuds", "headset"]);
        assert_eq!(tr(&lx, "rock", &knows), None, "the shop's own word");
        assert_eq!(tr(&lx, "kopfhörer", &knows).as_deref(), Some("earbuds"));
        let knows = english(&["bluetoothlautsprecher"]);
        assert_eq!(tr(&lx, "bluetoothlautsprecher", &knows), None);
        let knows = english(&["bluetooth", "speaker"]);
        assert_eq!(
            tr(&lx, "bluetoothlautsprecher", &knows).as_deref(),
            Some("bluetooth speaker"),
            "a known first part is kept"
        );
        assert_eq!(
            tr(&lx, "sportkopfhörer", &english(&["headphones"])).as_deref(),
            Some("headphones"),
            "an unknown first part is left out"
        );
    }

    #[test]
    fn a_rare_known_word_gives_way_to_a_common_translation() {
        let lx = Lexicon::load(None).unwrap();
        let uses = |w: &str| match w {
            "beamer" => 1,
            "projector" => 12,
            "rock" => 4,
            "skirt" => 6,
            _ => 0,
        };
        assert_eq!(
            lx.translate("beamer", Language::De, &uses).as_deref(),
            Some("projector")
        );
        assert_eq!(
            lx.translate("beamer", Language::En, &uses),
            None,
            "an English message"
        );
        assert_eq!(
            lx.translate("rock", Language::De, &uses),
            None,
            "not rare enough"
        );
    }

    #[test]
    fn a_product_word_of_one_language_tells_it() {
        let lx = Lexicon::load(None).unwrap();
        assert_eq!(lx.language_of("earbuds"), Some(Language::En));
        assert_eq!(lx.language_of("jackets"), Some(Language::En));
        assert_eq!(lx.language_of("Kopfhörer"), Some(Language::De));
        assert_eq!(lx.language_of("jacken"), Some(Language::De));
        assert_eq!(lx.language_of("laptop"), None, "shared");
        assert_eq!(lx.language_of("router"), None, "in both lists");
        assert_eq!(lx.language_of("xyz"), None);
    }

    #[test]
    fn english_words_find_a_german_catalogue() {
        let lx = Lexicon::load(None).unwrap();
        let knows = english(&["kopfhorer", "fernglas", "jacke"]);
        assert_eq!(tr(&lx, "headphones", &knows).as_deref(), Some("kopfhorer"));
        assert_eq!(tr(&lx, "binoculars", &knows).as_deref(), Some("fernglas"));
        assert_eq!(tr(&lx, "jackets", &knows).as_deref(), Some("jacke"));
    }

    #[test]
    fn an_english_name_of_two_words_finds_a_german_catalogue_whole() {
        let lx = Lexicon::load(None).unwrap();
        let knows = english(&["festplatte", "externe", "fohn"]);
        let kind = |w: &str| w == "festplatte";
        let found = lx.translations("external hard drive", Language::En, &knows, &kind);
        assert!(
            found.contains(&Translation {
                from: "hard drive".into(),
                to: "festplatte".into()
            }),
            "{found:?}"
        );
        assert_eq!(
            apply("external hard drive", &found)
                .split_whitespace()
                .last(),
            Some("festplatte")
        );
        let found = lx.translations("any external hard drives", Language::En, &knows, &kind);
        assert!(found.iter().any(|t| t.from == "hard drives"), "{found:?}");
        // A word the shop writes but sells nothing as is no translation.
        assert!(lx
            .translations("hair dryer", Language::En, &knows, &kind)
            .iter()
            .all(|t| t.from != "hair dryer"));
        // A catalogue that writes both words keeps them.
        let knows = english(&["hard", "drive", "festplatte"]);
        assert!(lx
            .translations("hard drive", Language::En, &knows, &kind)
            .iter()
            .all(|t| t.from != "hard drive"));
    }

    #[test]
    fn only_the_product_words_are_replaced_and_whole() {
        let lx = Lexicon::load(None).unwrap();
        let knows = english(&["tripod", "basket"]);
        let found = lx.translations("stativ stativ", Language::De, &knows, &|_| true);
        assert_eq!(
            found,
            vec![Translation {
                from: "stativ".into(),
                to: "tripod".into()
            }]
        );
        assert_eq!(
            apply("leg das günstigste stativ in den warenkorb", &found),
            "leg das günstigste tripod in den warenkorb"
        );
        assert!(lx
            .translations("stativ", Language::De, &english(&[]), &|_| true)
            .is_empty());
    }

    #[test]
    fn a_shop_adds_words_and_a_broken_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("lexicon.toml"),
            "[de_en]\n\"glühwürmchen\" = [\"firefly\"]\nfernglas = [\"field glasses\"]\n",
        )
        .unwrap();
        let lx = Lexicon::load(Some(dir.path())).unwrap();
        let knows = english(&["firefly", "field", "glasses", "binoculars"]);
        assert_eq!(tr(&lx, "glühwürmchen", &knows).as_deref(), Some("firefly"));
        assert_eq!(
            tr(&lx, "fernglas", &knows).as_deref(),
            Some("field glasses"),
            "the shop's line replaces the built-in one"
        );
        std::fs::write(dir.path().join("lexicon.toml"), "[words]\na = [\"b\"]\n").unwrap();
        assert!(Lexicon::load(Some(dir.path())).is_err());
    }

    #[test]
    fn things_are_told_from_properties_technologies_and_other_words() {
        let lx = Lexicon::load(None).unwrap();
        // Heads of translations, German words and their forms and compounds.
        for w in [
            "dryer",
            "dryers",
            "tv",
            "laptop",
            "fernseher",
            "haartrockner",
            "schuhe",
            "cable",
        ] {
            assert!(lx.names_a_thing(w), "{w}");
        }
        // Properties, a technology alone, a first word of a translation, and words the
        // list does not have.
        for w in [
            "wireless",
            "kabellose",
            "wlan",
            "usb",
            "hdmi",
            "please",
            "xyzzy",
            "b2",
            // Adjectives whose ends spell a thing: no kind of "table".
            "comfortable",
            "portable",
        ] {
            assert!(!lx.names_a_thing(w), "{w}");
        }
        // Every listed word is no typo, properties included.
        assert!(lx.knows("hair") && lx.knows("wireless") && !lx.knows("hairr"));
        // A property is still translated.
        let knows = english(&["wireless"]);
        assert_eq!(tr(&lx, "kabellos", &knows).as_deref(), Some("wireless"));
    }
}
