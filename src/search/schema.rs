//! The Tantivy schema, declared in one place with its version, and the analysers.
//!
//! Every text field is indexed twice, with German and with English analysis, because
//! a shop's texts and its shoppers' words come in both languages. Compound heads
//! ("mantel" of "Wintermantel") go into `heads` (see [`super::compound`]).

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::Index;

/// Bump when a field or analyser changes: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 7;

/// Analyser names as registered on the index.
pub const DE: &str = "shop_de";
pub const EN: &str = "shop_en";
pub const PLAIN: &str = "shop_plain";

/// Handles to every field.
#[derive(Debug, Clone)]
pub struct Fields {
    pub id: Field,
    /// 64-bit key of the id as a fast field: a hit resolves to its product without
    /// reading the document store.
    pub id_key: Field,
    pub title_de: Field,
    pub title_en: Field,
    pub heads: Field,
    /// The modifiers of compounds ("kaffee" of "Kaffeebohnen"): a bare keyword
    /// finds the compounds it starts.
    pub modifiers: Field,
    /// Neighbouring title words written as one ("Sound Bar" → "soundbar"): a shopper
    /// who writes the name as one word finds titles that part it (see
    /// [`super::compound::joined_pairs`]).
    pub joined: Field,
    pub brand: Field,
    pub category_de: Field,
    pub category_en: Field,
    pub attrs_de: Field,
    pub attrs_en: Field,
    pub desc_de: Field,
    pub desc_en: Field,
    /// Facets: `/bekleidung/jacken`, `/alpenwind`, `/black`, `/42`.
    pub category_facet: Field,
    pub brand_facet: Field,
    pub color_facet: Field,
    pub size_facet: Field,
    /// Lowest and highest price any variant sells at, minor units.
    pub price_lo: Field,
    pub price_hi: Field,
    /// 1 when any variant is in stock.
    pub in_stock: Field,
    pub stock: Field,
    pub rating: Field,
}

fn text(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Builds the schema and the field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let num = || NumericOptions::default() | FAST | INDEXED;
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        id_key: b.add_u64_field("id_key", NumericOptions::default() | FAST),
        title_de: b.add_text_field("title_de", text(DE)),
        title_en: b.add_text_field("title_en", text(EN)),
        heads: b.add_text_field("heads", text(DE)),
        modifiers: b.add_text_field("modifiers", text(DE)),
        joined: b.add_text_field("joined", text(EN)),
        brand: b.add_text_field("brand", text(PLAIN)),
        category_de: b.add_text_field("category_de", text(DE)),
        category_en: b.add_text_field("category_en", text(EN)),
        attrs_de: b.add_text_field("attrs_de", text(DE)),
        attrs_en: b.add_text_field("attrs_en", text(EN)),
        desc_de: b.add_text_field("desc_de", text(DE)),
        desc_en: b.add_text_field("desc_en", text(EN)),
        category_facet: b.add_facet_field("category", INDEXED),
        brand_facet: b.add_facet_field("brand_facet", INDEXED),
        color_facet: b.add_facet_field("color", INDEXED),
        size_facet: b.add_facet_field("size", INDEXED),
        price_lo: b.add_i64_field("price_lo", num()),
        price_hi: b.add_i64_field("price_hi", num()),
        in_stock: b.add_u64_field("in_stock", num()),
        stock: b.add_u64_field("stock", num()),
        rating: b.add_f64_field("rating", NumericOptions::default() | FAST),
    };
    (b.build(), fields)
}

/// German analysis: lowercase, fold umlauts and ß, drop stop words, stem.
pub fn german() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::German).expect("tantivy ships German stop words"))
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::German))
        .build()
}

/// English analysis: lowercase, fold accents, drop stop words, stem.
pub fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::English).expect("tantivy ships English stop words"))
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Brand and exact words: lowercase and fold only.
pub fn plain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers our analysers on an index (needed after every open).
pub fn register(index: &Index) {
    let t = index.tokenizers();
    t.register(DE, german());
    t.register(EN, english());
    t.register(PLAIN, plain());
}

/// Runs `analyzer` over `text`, returning its tokens.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_analysis_folds_umlauts_and_stems() {
        let mut de = german();
        assert_eq!(tokens(&mut de, "Größe"), tokens(&mut de, "grosse"));
        assert_eq!(tokens(&mut de, "Jacken"), tokens(&mut de, "Jacke"));
        assert_eq!(
            tokens(&mut de, "wasserdichter"),
            tokens(&mut de, "wasserdicht")
        );
        assert!(
            tokens(&mut de, "und der die").is_empty(),
            "stop words dropped"
        );
    }

    #[test]
    fn english_analysis_stems_plurals() {
        let mut en = english();
        assert_eq!(tokens(&mut en, "Shoes"), tokens(&mut en, "shoe"));
        assert!(tokens(&mut en, "the and").is_empty());
    }
}
