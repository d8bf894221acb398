//! The text side of a query: words, German compounds and fuzzy matches into Tantivy
//! clauses.

use super::*;

impl ProductIndex {
    /// The text part: one clause per word, any of which may match (BM25 ranks by how
    /// many and how well). A compound word needs its head; its modifier only boosts.
    pub(super) fn text_query(&self, text: &str, an: &mut Analyzers) -> Option<Box<dyn Query>> {
        // Held, not cloned: the vocabulary is large and this runs on every search.
        let d = self.decompounder.read().unwrap_or_else(|p| p.into_inner());
        let mut word_clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in words(text) {
            let whole = self.word_query(&w, an, true);
            // Known-item eval (off_de, 1,000 queries): splitting unknown words whose
            // modifier is no known word cost 0.03 MRR; misspellings split into nonsense.
            let clause = match d.split_query_word(&w) {
                Some((modifier, head)) => {
                    let head_q = self.word_query(&head, an, false);
                    let modifier_q = self.word_query(&modifier, an, false);
                    let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                    if let Some(h) = head_q {
                        let mut inner: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, h)];
                        if let Some(m) = modifier_q {
                            inner.push((Occur::Should, m));
                        }
                        parts.push((Occur::Should, Box::new(BooleanQuery::new(inner))));
                    }
                    if let Some(wq) = whole {
                        parts.push((Occur::Should, Box::new(BoostQuery::new(wq, 1.5))));
                    }
                    if parts.is_empty() {
                        None
                    } else {
                        Some(Box::new(BooleanQuery::new(parts)) as Box<dyn Query>)
                    }
                }
                None => whole,
            };
            if let Some(c) = clause {
                word_clauses.push((Occur::Should, c));
            }
        }
        // "tooth brush" finds "Toothbrush", and "Tooth Brush" itself a little higher
        // (its joined field has the pair too): one more clause per pair of words that
        // the catalogue's titles write as one word. Other pairs add nothing: "long
        // sleeve" is no name, and a bonus for the words side by side only reorders
        // near-ties (WebShop, 300 goals: two lost).
        let speller = self.speller.read().unwrap_or_else(|p| p.into_inner());
        let pairs: Vec<String> = super::super::compound::joined_pairs(text)
            .into_iter()
            .filter(|pair| speller.knows(pair))
            .collect();
        drop(speller);
        for pair in pairs {
            if let Some(q) = self.word_query(&pair, an, false) {
                word_clauses.push((Occur::Should, q));
            }
        }
        if word_clauses.is_empty() {
            None
        } else {
            Some(Box::new(BooleanQuery::new(word_clauses)))
        }
    }

    /// One word against every text field, each with its own analysis and boost.
    pub(super) fn word_query(
        &self,
        word: &str,
        an: &mut Analyzers,
        fuzzy: bool,
    ) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let de = tokens(&mut an.de, word);
        let en = tokens(&mut an.en, word);
        let plain = tokens(&mut an.plain, word);
        let mut alts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut add = |field, toks: &[String], boost: f32| {
            for t in toks {
                let q = TermQuery::new(
                    Term::from_field_text(field, t),
                    IndexRecordOption::WithFreqs,
                );
                alts.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
            }
        };
        add(f.title_de, &de, 3.0);
        add(f.title_en, &en, 3.0);
        add(f.heads, &de, 2.5);
        // "soundbar" finds "Sound Bar".
        add(f.joined, &en, 2.5);
        // "kaffee" finds "Kaffeebohnen" and "Kaffeemaschine", below every product
        // that has the word itself.
        add(f.modifiers, &de, 1.2);
        add(f.brand, &plain, 2.0);
        add(f.category_de, &de, 2.0);
        add(f.category_en, &en, 2.0);
        add(f.attrs_de, &de, 1.5);
        add(f.attrs_en, &en, 1.5);
        add(f.desc_de, &de, 0.5);
        add(f.desc_en, &en, 0.5);
        // Spelling rescue only for words the catalogue does not know: a known word
        // ("jacket") fuzzily matching another ("packet") only adds wrong products.
        // Nor for a product word of the lexicon, which is no typo: "hair" in a shop
        // without it is not "chair". A word it knows only by its last part is a
        // German compound, which an English catalogue has none of: "hedphones" there
        // is a typo of "headphones", no kind of "phones".
        let lexicon = crate::nlu::lexicon::Lexicon::get();
        let known = self
            .speller
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .knows(word)
            || lexicon.lists(word)
            || (lexicon.knows(word) && !self.mostly_english());
        if fuzzy && !known {
            let correction = self
                .speller
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .correct(word)
                .map(String::from);
            if let Some(c) = correction {
                let (cde, cen, cplain) = (
                    tokens(&mut an.de, &c),
                    tokens(&mut an.en, &c),
                    tokens(&mut an.plain, &c),
                );
                add(f.title_de, &cde, 2.7);
                add(f.title_en, &cen, 2.7);
                add(f.heads, &cde, 2.2);
                add(f.category_de, &cde, 1.8);
                add(f.brand, &cplain, 1.8);
            }
            // Two edits for a word are the speller's, which keeps the first letter: a
            // fuzzy query cannot, and "grilling" matched "filling". A model's token
            // has no correction but this ("wh1000xm4" for "WH-1000XM4").
            for t in &de {
                let n = t.chars().count();
                let model = t.chars().any(|c| c.is_ascii_digit());
                let distance = match n {
                    0..=3 => continue,
                    8.. if model => 2,
                    _ => 1,
                };
                // Fuzzy matches score a constant (no idf), hence the high boost.
                let q = FuzzyTermQuery::new(Term::from_field_text(f.title_de, t), distance, true);
                alts.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), 6.0))));
            }
        }
        if alts.is_empty() {
            None
        } else {
            Some(Box::new(BooleanQuery::new(alts)))
        }
    }
}
