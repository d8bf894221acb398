//! Optional model phrasing of a reply (config `phrasing = "model"`).
//!
//! The model sees only the templated reply — catalogue and database facts already in
//! words — and is asked to say it more naturally. Its text is used only if
//! [`validate`] accepts it: every number in it (prices, sizes, counts, order ids)
//! occurs in the template's text and every price of the template in it, every
//! product name the template named is still
//! there, and every capitalised word that does not start a sentence is one the
//! template used (a new name is a product or brand the model made up). Anything else,
//! an error or a busy model falls back to the template.

use std::sync::OnceLock;

use regex::Regex;

use crate::llm::{GenerateOptions, Message, Model};
use crate::nlu::Language;

const INSTRUCTION_DE: &str = "Formuliere die folgende Antwort eines Shop-Assistenten freundlich und natürlich auf Deutsch um. Übernimm jeden Produktnamen, jeden Preis und jede Zahl genau so. Füge nichts hinzu, lass nichts weg. Antworte nur mit dem neuen Text.";
const INSTRUCTION_EN: &str = "Rephrase the following shop assistant reply in friendly, natural English. Keep every product name, price and number exactly as written. Add nothing, leave nothing out. Answer with the new text only.";

fn numbers(text: &str) -> Vec<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\d+(?:[.,]\d+)*").expect("valid"))
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .collect()
}

/// Whether the model's `candidate` states only what `template` states (see the
/// module documentation); `titles` are the product names the template named.
pub fn validate(candidate: &str, template: &str, titles: &[String]) -> Result<(), String> {
    let c = candidate.trim();
    if c.is_empty() {
        return Err("empty".into());
    }
    if c.len() > template.len() * 2 + 200 {
        return Err("much longer than the facts".into());
    }
    let known = numbers(template);
    let said = numbers(c);
    for n in &said {
        if !known.contains(n) {
            return Err(format!("number {n} is not in the facts"));
        }
    }
    // Prices (numbers with decimals) must all stay; list numbers may go.
    for n in known.iter().filter(|n| n.contains([',', '.'])) {
        if !said.contains(n) {
            return Err(format!("price {n} was dropped"));
        }
    }
    for t in titles {
        if !c.contains(t.as_str()) {
            return Err(format!("product {t} was dropped"));
        }
    }
    let template_words: Vec<&str> = template
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut sentence_start = true;
    for raw in c.split_whitespace() {
        let w = raw.trim_matches(|ch: char| !ch.is_alphanumeric());
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        if capital && !sentence_start && !template_words.contains(&w) && !COMMON.contains(&w) {
            return Err(format!("name {w} is not in the facts"));
        }
        sentence_start = raw.ends_with(['.', '!', '?', ':']) || w.is_empty();
    }
    Ok(())
}

/// Capitalised words that name nothing (German nouns of shop talk, pronouns).
const COMMON: &[&str] = &[
    "I",
    "Sie",
    "Ihnen",
    "Ihr",
    "Ihre",
    "Ihren",
    "Ihrem",
    "Ihrer",
    "Produkt",
    "Produkte",
    "Warenkorb",
    "Bestellung",
    "Größe",
    "Größen",
    "Farbe",
    "Farben",
    "Preis",
    "Lager",
    "Auswahl",
    "Angebot",
    "Euro",
    "Ausführung",
    "Summe",
    "Treffer",
];

/// The model's wording of `template`, or `None` (use the template).
pub fn rephrase(
    model: &Model,
    lang: Language,
    template: &str,
    titles: &[String],
) -> Option<String> {
    let instruction = match lang {
        Language::De => INSTRUCTION_DE,
        Language::En => INSTRUCTION_EN,
    };
    let messages = [Message::system(instruction), Message::user(template)];
    let prompt = crate::llm::template::render(
        model.chat_template.as_deref(),
        &messages,
        true,
        &model.bos_token,
        &model.eos_token,
    )
    .ok()?;
    let opts = GenerateOptions {
        max_tokens: (template.len() / 2).clamp(48, 400),
        ..Default::default()
    };
    let out = model.generate(None, &prompt, &opts, |_| true).ok()?;
    match validate(&out.text, template, titles) {
        Ok(()) => Some(out.text.trim().to_string()),
        Err(why) => {
            tracing::info!(%why, "model phrasing rejected; the template stands");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_validator_accepts_the_same_facts_and_rejects_new_ones() {
        let template = "Ich habe 2 passende Produkte gefunden:\n1. Regenjacke Elbe – 58,99 €\n2. Regenjacke Isar – 64,00 €";
        let titles = vec!["Regenjacke Elbe".to_string(), "Regenjacke Isar".to_string()];
        assert!(validate(
            "Schauen Sie mal: Regenjacke Elbe für 58,99 € und Regenjacke Isar für 64,00 €.",
            template,
            &titles
        )
        .is_ok());
        // A changed price, a dropped product, an invented product.
        assert!(validate(
            "Regenjacke Elbe für 49,99 € und Regenjacke Isar für 64,00 €.",
            template,
            &titles
        )
        .is_err());
        assert!(validate(
            "Nehmen Sie die Regenjacke Elbe für 58,99 €.",
            template,
            &titles
        )
        .is_err());
        assert!(validate(
            "Regenjacke Elbe für 58,99 €, Regenjacke Isar für 64,00 € oder die Jacke von Patagonia.",
            template,
            &titles
        )
        .is_err());
        assert!(validate("", template, &titles).is_err());
    }
}
