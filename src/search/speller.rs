//! Spelling correction against the catalogue's own vocabulary: a query word the
//! index has never seen is replaced by the most frequent indexed word within a small
//! edit distance ("regenjake" → "regenjack", "bluetoth" → "bluetooth"). Unlike a
//! fuzzy query, the corrected word is then ranked by BM25 like any other, so a rare,
//! telling word keeps its weight. Misheard voice transcripts profit the same way.

use std::collections::HashMap;

/// Words by length, each with the number of products that use it.
#[derive(Debug, Clone, Default)]
pub struct Speller {
    by_len: HashMap<usize, Vec<(String, u32)>>,
    index: HashMap<String, usize>,
    /// Parts of German compounds ("kaffee" of "Kaffeebohnen"), by the number of
    /// products using them: kept apart from the words, so they are never a
    /// correction ("kochen" is no misspelt "kocher" of "Wasserkocher") nor a word a
    /// title has.
    parts: HashMap<String, u32>,
    /// Properties products have by their data ("wasserdicht: ja"), by the number of
    /// products having them: the shop's words for a translation, kept apart from
    /// the titles' words (a "Regenhülle" property makes no "hülle" a product).
    properties: HashMap<String, u32>,
}

impl Speller {
    /// Counts one product's analysed words (each word once per product).
    pub fn add_document<'a>(&mut self, tokens: impl IntoIterator<Item = &'a str>) {
        let mut seen = std::collections::HashSet::new();
        for t in tokens {
            if !seen.insert(t) || t.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            let len = t.chars().count();
            let bucket = self.by_len.entry(len).or_default();
            match self.index.get(t) {
                Some(&i) => bucket[i].1 += 1,
                None => {
                    self.index.insert(t.to_string(), bucket.len());
                    bucket.push((t.to_string(), 1));
                }
            }
        }
    }

    /// Counts the parts of one product's compounds (each part once per product).
    pub fn add_parts<'a>(&mut self, parts: impl IntoIterator<Item = &'a str>) {
        let mut seen = std::collections::HashSet::new();
        for p in parts {
            if seen.insert(p) {
                *self.parts.entry(p.to_string()).or_default() += 1;
            }
        }
    }

    /// Counts one product's properties (each once per product).
    pub fn add_properties<'a>(&mut self, properties: impl IntoIterator<Item = &'a str>) {
        let mut seen = std::collections::HashSet::new();
        for p in properties {
            if seen.insert(p) {
                *self.properties.entry(p.to_string()).or_default() += 1;
            }
        }
    }

    /// How many products have the property `word` by their data.
    pub fn property_uses(&self, word: &str) -> u32 {
        self.properties.get(word).copied().unwrap_or(0)
    }

    /// Whether the word occurs in the catalogue.
    pub fn knows(&self, word: &str) -> bool {
        self.index.contains_key(word)
    }

    /// Whether some word of the catalogue is `head` or a compound ending in it
    /// ("schuh" in "laufschuh"); a head of fewer than four letters only as itself.
    pub fn has_head(&self, head: &str) -> bool {
        let n = head.chars().count();
        self.knows(head)
            || (n >= 4
                && self
                    .by_len
                    .iter()
                    .filter(|(len, _)| **len > n)
                    .flat_map(|(_, words)| words)
                    .any(|(w, _)| w.ends_with(head)))
    }

    /// How many products use the word (0: none).
    pub fn uses(&self, word: &str) -> u32 {
        let Some(&i) = self.index.get(word) else {
            return 0;
        };
        self.by_len
            .get(&word.chars().count())
            .and_then(|bucket| bucket.get(i))
            .map_or(0, |(_, n)| *n)
    }

    /// How many products have the word as a part of a German compound ("kaffee" of
    /// "Kaffeebohnen"; 0: none).
    pub fn part_uses(&self, word: &str) -> u32 {
        self.parts.get(word).copied().unwrap_or(0)
    }

    /// The best correction for an unknown word: the smallest edit distance allowed for
    /// its length (1 from 4 letters, 2 from 8), then the most used. Two edits keep the
    /// first letter, which typing and hearing rarely get wrong: "grilling" is no
    /// misspelt "filling".
    pub fn correct(&self, word: &str) -> Option<&str> {
        if self.knows(word) {
            return None;
        }
        let n = word.chars().count();
        let max = match n {
            0..=3 => return None,
            4..=7 => 1,
            _ => 2,
        };
        let w: Vec<char> = word.chars().collect();
        let mut best: Option<(usize, u32, &str)> = None;
        for len in n.saturating_sub(max)..=n + max {
            for (cand, df) in self.by_len.get(&len).into_iter().flatten() {
                let Some(d) = distance(&w, cand, max) else {
                    continue;
                };
                if d == 2 && !cand.starts_with(w[0]) {
                    continue;
                }
                let better = match best {
                    None => true,
                    Some((bd, bdf, _)) => d < bd || (d == bd && *df > bdf),
                };
                if better {
                    best = Some((d, *df, cand));
                }
            }
        }
        best.map(|(_, _, c)| c)
    }
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent swaps), or `None` when
/// it exceeds `max`.
fn distance(a: &[char], b: &str, max: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let (n, m) = (a.len(), b.len());
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[m]).filter(|d| *d <= max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speller(docs: &[&str]) -> Speller {
        let mut s = Speller::default();
        for d in docs {
            s.add_document(d.split_whitespace());
        }
        s
    }

    #[test]
    fn unknown_words_get_the_closest_most_used_word() {
        let s = speller(&["regenjack nordkap", "regenjack fohn", "regenhos alpin"]);
        assert_eq!(s.correct("regenjak"), Some("regenjack"));
        assert_eq!(
            s.correct("nordakp"),
            Some("nordkap"),
            "adjacent swap is one edit"
        );
        assert_eq!(s.correct("regenjack"), None, "known words stay");
        assert_eq!(
            (s.uses("regenjack"), s.uses("alpin"), s.uses("x")),
            (2, 1, 0)
        );
        assert_eq!(s.correct("xyzzyxx"), None);
        assert_eq!(s.correct("hos"), None, "too short to correct");
        let s = speller(&["filling cream", "kopfhoerer"]);
        assert_eq!(
            s.correct("grilling"),
            None,
            "two edits keep the first letter"
        );
        assert_eq!(s.correct("kopfhorrer"), Some("kopfhoerer"));
    }

    #[test]
    fn a_part_of_compounds_is_counted_apart_and_never_a_correction() {
        let mut s = speller(&["kaffeebohnen watzmann", "wasserkocher brise"]);
        s.add_parts(["kaffee", "bohnen"]);
        s.add_parts(["kaffee", "maschine"]);
        s.add_parts(["wasser", "kocher"]);
        assert_eq!((s.part_uses("kaffee"), s.uses("kaffee")), (2, 0));
        // "kochen" is one edit from the part "kocher", and stays what it is.
        assert_eq!(s.correct("kochen"), None);
        assert_eq!(s.part_uses("kochen"), 0);
    }

    #[test]
    fn distance_counts_edits() {
        let a: Vec<char> = "kitten".chars().collect();
        assert_eq!(distance(&a, "sitting", 3), Some(3));
        assert_eq!(distance(&a, "sitting", 2), None);
        let a: Vec<char> = "ab".chars().collect();
        assert_eq!(distance(&a, "ba", 1), Some(1));
    }
}
