//! Re-ranking the best candidates by how much of the request they cover, and the
//! terms each matched.

use super::*;

/// How many of the best candidates the coverage stage looks at.
pub(super) const RERANK: usize = 100;

/// Second stage of relevance ranking, over the best [`RERANK`] candidates (and at
/// least the page asked for): BM25 favours a few words in the title; a shopper's
/// request is better met by the product that has more of what they asked for, and in
/// the same order ("classic fit", "needle sleeve"):
///
/// ```text
/// score × (1 + 1.0 × words covered + 1.0 × word pairs covered)
/// ```
///
/// where "words covered" is the share of the query's words (stemmed, English or
/// German) found anywhere in the product's title, attributes or description, and
/// "pairs covered" the share of adjacent query word pairs found adjacent there.
pub(super) fn rerank_by_coverage(hits: &mut [Hit], text: &str, want: usize, an: &mut Analyzers) {
    use std::collections::HashSet;
    let query: Vec<(String, Vec<String>)> = words(text)
        .filter_map(|w| {
            let en = tokens(&mut an.en, &w).into_iter().next()?;
            Some((en, tokens(&mut an.de, &w)))
        })
        .collect();
    if query.is_empty() {
        return;
    }
    // One word: nothing to re-rank by, but its coverage still tells a hit that has
    // the word from a fuzzy neighbour ("trains" → "rain"), for the fusion.
    let single = query.len() < 2;
    let n = hits.len().min(RERANK.max(want));
    for h in hits.iter_mut().take(n) {
        let p = &h.product;
        let mut body = format!("{} {}", p.title, p.title_en.as_deref().unwrap_or(""));
        for vs in p.attributes.values() {
            for v in vs {
                body.push_str(" . ");
                body.push_str(v);
            }
        }
        body.push_str(" . ");
        body.push_str(&p.description);
        let en = tokens(&mut an.en, &body);
        let en_set: HashSet<&str> = en.iter().map(String::as_str).collect();
        let de_set: HashSet<String> = tokens(&mut an.de, &body).into_iter().collect();
        let pairs: HashSet<(&str, &str)> = en
            .windows(2)
            .map(|w| (w[0].as_str(), w[1].as_str()))
            .collect();
        // A name written as one word or two ("nightstand", "night stand") covers
        // the other spelling: the body's neighbours joined, the query's too.
        let joined: HashSet<String> = en.windows(2).map(|w| format!("{}{}", w[0], w[1])).collect();
        let pair_met: Vec<bool> = query
            .windows(2)
            .map(|w| {
                pairs.contains(&(w[0].0.as_str(), w[1].0.as_str()))
                    || en_set.contains(format!("{}{}", w[0].0, w[1].0).as_str())
            })
            .collect();
        let covered = query
            .iter()
            .enumerate()
            .filter(|(i, (e, d))| {
                en_set.contains(e.as_str())
                    || d.iter().any(|t| de_set.contains(t))
                    || joined.contains(e)
                    || (*i > 0 && pair_met[i - 1])
                    || pair_met.get(*i).copied().unwrap_or(false)
            })
            .count() as f32
            / query.len() as f32;
        h.coverage = covered;
        if single {
            continue;
        }
        let paired = pair_met.iter().filter(|m| **m).count() as f32 / (query.len() - 1) as f32;
        h.score *= 1.0 + covered + paired;
    }
    if !single {
        hits[..n].sort_by(|a, b| b.score.partial_cmp(&a.score).unwrap_or(Ordering::Equal));
    }
}

/// Query words (as typed) whose analysed form occurs in the product's texts.
pub(super) fn matched_terms(p: &Product, text: &str, an: &mut Analyzers) -> Vec<String> {
    let mut body = format!(
        "{} {} {} {} {}",
        p.title,
        p.title_en.as_deref().unwrap_or(""),
        p.brand.as_deref().unwrap_or(""),
        p.category.join(" "),
        p.material.as_deref().unwrap_or("")
    );
    for (k, vs) in &p.attributes {
        body.push(' ');
        body.push_str(k);
        for v in vs {
            body.push(' ');
            body.push_str(v);
        }
    }
    let de: BTreeSet<String> = tokens(&mut an.de, &body).into_iter().collect();
    let en: BTreeSet<String> = tokens(&mut an.en, &body).into_iter().collect();
    let folded = fold(&body);
    // "wifi" of "Wi-Fi 6", "cat6" of "Cat-6": a hyphenated word as one, whole
    // ("rat" is no part of "Ultra-Thin").
    let unhyphened = crate::catalog::text::hyphened_words_joined(&folded);
    let mut out = Vec::new();
    let said: Vec<&str> = text.split_whitespace().collect();
    // Two words the title writes as one, or as the start of one: "micro sd" of
    // "microSDXC", "tooth brush" of "Toothbrush".
    let joined_at = |i: usize| {
        let pair = |a: &str, b: &str| {
            let joined = fold(&format!("{a}{b}"));
            a.chars().count() >= 2
                && joined.chars().count() >= 5
                && joined.chars().all(char::is_alphanumeric)
                && starts_a_word(&folded, &joined)
        };
        (i > 0 && pair(said[i - 1], said[i])) || said.get(i + 1).is_some_and(|n| pair(said[i], n))
    };
    for (i, w) in said.iter().enumerate() {
        // Inside a longer word only from three letters on: a compound's part
        // ("jacke" of "regenjacke"), not the "x" of "xbox" for "series x".
        let de_hit = |t: &String| {
            de.contains(t)
                || t.chars().count() >= 3 && folded.contains(t.as_str())
                || unhyphened.contains(t)
        };
        // A hyphenated word is met by its last part, the head ("schuhe" of
        // "business-schuhe"), by all its parts or by itself written as one ("k-mini"
        // is not met by the "K" of "K-Cup Pods").
        let hyphened = w.trim_matches('-').contains('-');
        let hit = if hyphened {
            let joined = fold(&w.replace('-', ""));
            let de_tokens = tokens(&mut an.de, w);
            let en_tokens = tokens(&mut an.en, w);
            de_tokens
                .last()
                .is_some_and(|t| t.chars().count() >= 3 && de_hit(t))
                || !de_tokens.is_empty() && de_tokens.iter().all(de_hit)
                || !en_tokens.is_empty() && en_tokens.iter().all(|t| en.contains(t))
                || unhyphened.contains(&joined)
                || starts_a_word(&folded, &joined)
        } else {
            tokens(&mut an.de, w).iter().any(de_hit)
                || tokens(&mut an.en, w).iter().any(|t| en.contains(t))
        } || joined_at(i);
        let clean = w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        if hit && !clean.is_empty() && !out.contains(&clean) {
            out.push(clean);
        }
    }
    out
}

/// Whether `part` begins a word of `text` ("microsd" of "… microsdxc …").
fn starts_a_word(text: &str, part: &str) -> bool {
    text.match_indices(part).any(|(i, _)| {
        text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// What the lexical candidates are ranked by before their cut.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Rank {
    /// BM25.
    Score,
    /// The lowest price, cheapest first.
    PriceAsc,
    /// The lowest price, dearest first.
    PriceDesc,
    /// Rating, best first.
    Rating,
}

/// The best `fetch` documents for `query` by `rank`, with their rank value (BM25, the
/// price in cents or the rating) as score. Ties go to the lower product key, so
/// products of equal score come back in the same order from every build of the index:
/// the order of segments follows their random ids, and a cut through a tie (the demo
/// catalogue has many products of the same words) otherwise took different products
/// from one process start to the next.
pub(super) fn top_docs(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    fetch: usize,
    rank: Rank,
) -> tantivy::Result<Vec<(f32, DocAddress)>> {
    use std::cmp::Reverse;
    let collector = TopDocs::with_limit(fetch).tweak_score(move |seg: &tantivy::SegmentReader| {
        let fast = seg.fast_fields();
        let key = fast.u64("id_key").ok();
        let price = fast.i64("price_lo").ok();
        let rating = fast.f64("rating").ok();
        move |doc: tantivy::DocId, score: tantivy::Score| {
            // Larger is better; a document without the value goes last.
            let value = match rank {
                Rank::Score => f64::from(score),
                Rank::PriceAsc | Rank::PriceDesc => match price.as_ref().and_then(|c| c.first(doc))
                {
                    Some(p) if matches!(rank, Rank::PriceAsc) => -(p as f64),
                    Some(p) => p as f64,
                    None => f64::NEG_INFINITY,
                },
                Rank::Rating => rating
                    .as_ref()
                    .and_then(|c| c.first(doc))
                    .unwrap_or(f64::NEG_INFINITY),
            };
            let key = key.as_ref().and_then(|c| c.first(doc)).unwrap_or(u64::MAX);
            (value, Reverse(key))
        }
    });
    Ok(searcher
        .search(query, &collector)?
        .into_iter()
        .map(|((value, _), addr)| {
            let value = match rank {
                Rank::PriceAsc => -value,
                _ => value,
            };
            (value as f32, addr)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_a_title_joins_or_hyphenates_are_matched_whole() {
        let product = |title: &str| -> Product {
            serde_json::from_value(serde_json::json!({
                "id": "1", "title": title, "price": 100, "currency": "USD", "language": "en",
            }))
            .unwrap()
        };
        let mut an = Analyzers::new();
        // Two words written as the start of one, a hyphenated word written as one.
        let card = product("SanDisk 128GB Extreme microSDXC UHS-I Memory Card");
        assert_eq!(
            matched_terms(&card, "micro sd card", &mut an),
            ["micro", "sd", "card"]
        );
        let router = product("TP-Link Archer AX55 Dual Band Gigabit Wi-Fi 6 Router");
        assert_eq!(
            matched_terms(&router, "wifi router", &mut an),
            ["wifi", "router"]
        );
        // Not a piece from inside a hyphenated word: no "rate" in "Ultra-Thin".
        let monitor = product("Acer SB220Q 21.5 Inch IPS Ultra-Thin Monitor, 75Hz");
        assert_eq!(
            matched_terms(&monitor, "monitor high refresh rate", &mut an),
            ["monitor"]
        );
        // A hyphenated request word by its head or whole, not by a letter of it.
        let pods = product("Green Mountain Breakfast Blend Keurig K-Cup Pods, 72 Count");
        assert_eq!(matched_terms(&pods, "keurig k-mini", &mut an), ["keurig"]);
        let maker = product("Keurig K-Mini Single Serve Coffee Maker, Black");
        assert_eq!(
            matched_terms(&maker, "keurig k-mini", &mut an),
            ["keurig", "k-mini"]
        );
    }
}
