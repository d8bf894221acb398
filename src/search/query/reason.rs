//! Why a hit was chosen: the constraints it meets and the words it matched, typed so
//! that a reply can word them in the shopper's language and a storefront can build its
//! own display from them. `Display` gives the short English form logs and the search
//! endpoint use (`price 5799 ≤ 6000`, `matched "regenjacke"`).

use std::fmt;

use serde::Serialize;

/// One reason a hit was chosen.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Its price (minor units) is within the shopper's limit.
    PriceMax {
        price: i64,
        max: i64,
    },
    PriceMin {
        price: i64,
        min: i64,
    },
    /// The colour asked for: the variant's own, else the colours asked for.
    Color {
        value: String,
    },
    Size {
        value: String,
    },
    InStock {
        left: u32,
    },
    Brand {
        value: String,
    },
    /// An attribute asked for, with the value asked for if any.
    Attribute {
        name: String,
        value: Option<String>,
    },
    /// A word the shopper excluded, absent from it.
    Without {
        word: String,
    },
    /// A spec asked for, and the product's value that meets it.
    Spec {
        value: crate::catalog::specs::Quantity,
        wish: crate::nlu::rules::specs::SpecWish,
    },
    /// Its value of the spec the products were sorted by ("the most megapixels":
    /// 24.2 MP).
    Measured {
        value: crate::catalog::specs::Quantity,
    },
    /// The connectors it shares with the product it must fit ("AM5", "DDR5").
    Fits {
        connectors: Vec<String>,
    },
    /// The model the request names, found in its title.
    Model {
        token: String,
    },
    /// A word of the request found in its texts.
    Matched {
        term: String,
    },
    /// Found by meaning: near the request's words.
    Semantic {
        text: String,
    },
    /// Found for one of the model's ideas of what meets the request's need ("gloves"
    /// for cold hands on the bike), in the catalogue's words, and near enough to the
    /// request by meaning.
    Idea {
        idea: String,
    },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::PriceMax { price, max } => write!(f, "price {price} ≤ {max}"),
            Reason::PriceMin { price, min } => write!(f, "price {price} ≥ {min}"),
            Reason::Color { value } => write!(f, "colour {value}"),
            Reason::Size { value } => write!(f, "size {value}"),
            Reason::InStock { left } => write!(f, "in stock ({left} left)"),
            Reason::Brand { value } => write!(f, "brand {value}"),
            Reason::Attribute {
                name,
                value: Some(v),
            } => write!(f, "{name}: {v}"),
            Reason::Attribute { name, value: None } => write!(f, "{name}"),
            Reason::Without { word } => write!(f, "without {word}"),
            Reason::Spec { value, wish } => write!(f, "{value} {wish}"),
            Reason::Measured { value } => write!(f, "{value}"),
            Reason::Fits { connectors } => write!(f, "fits {}", connectors.join(", ")),
            Reason::Model { token } => write!(f, "model {token}"),
            Reason::Matched { term } => write!(f, "matched \"{term}\""),
            Reason::Semantic { text } => write!(f, "semantic match: \"{text}\""),
            Reason::Idea { idea } => write!(f, "idea: \"{idea}\""),
        }
    }
}

/// Serialises reasons in their short English form (the search endpoint's `reasons`).
pub(crate) fn as_strings<S: serde::Serializer>(
    reasons: &[Reason],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(reasons.iter().map(ToString::to_string))
}
