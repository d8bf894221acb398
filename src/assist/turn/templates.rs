//! Reply templates per language (`prompts/{de,en}/replies.toml`, built in; a shop's
//! `prompts_dir` overrides them key by key).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::nlu::Language;

const DE: &str = include_str!("../../../prompts/de/replies.toml");
const EN: &str = include_str!("../../../prompts/en/replies.toml");

/// Reply templates per language: the shop's files over the built-in ones, key by key.
#[derive(Debug, Clone)]
pub struct Templates {
    de: BTreeMap<String, String>,
    en: BTreeMap<String, String>,
}

impl Templates {
    /// Loads `dir/<lang>/replies.toml` over the built-in templates.
    pub fn load(dir: Option<&Path>) -> Result<Templates, String> {
        let parse = |text: &str, name: &str| -> Result<BTreeMap<String, String>, String> {
            toml::from_str(text).map_err(|e| format!("{name}: {e}"))
        };
        let mut t = Templates {
            de: parse(DE, "built-in de/replies.toml")?,
            en: parse(EN, "built-in en/replies.toml")?,
        };
        if let Some(dir) = dir {
            for (lang, map) in [("de", &mut t.de), ("en", &mut t.en)] {
                let p = dir.join(lang).join("replies.toml");
                if p.is_file() {
                    let text =
                        std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                    map.extend(parse(&text, &p.display().to_string())?);
                }
            }
        }
        // Every template must parse; a broken one is an error at load (the daemon then
        // logs it and keeps the built-in ones), never a failed turn.
        for (lang, map) in [("de", &t.de), ("en", &t.en)] {
            for (k, v) in map {
                minijinja::Environment::new()
                    .template_from_str(v)
                    .map_err(|e| format!("{lang}/replies.toml `{k}`: {e}"))?;
            }
        }
        Ok(t)
    }

    /// Renders `key` in `lang`; an unknown key or a render error gives the key itself
    /// (logged), so a shop's typo never breaks a turn.
    pub fn render(&self, lang: Language, key: &str, ctx: Value) -> String {
        let map = match lang {
            Language::De => &self.de,
            Language::En => &self.en,
        };
        let Some(src) = map.get(key) else {
            tracing::warn!(key, "missing reply template");
            return key.to_string();
        };
        let env = minijinja::Environment::new();
        match env.render_str(src, ctx) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(key, error = %e, "reply template failed");
                key.to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn built_in_templates_load_and_render() {
        let t = Templates::load(None).unwrap();
        assert_eq!(
            t.render(Language::De, "results", json!({"total": 1, "changes": ""})),
            "Ich habe 1 passendes Produkt gefunden:"
        );
        assert_eq!(t.render(Language::En, "nope", json!({})), "nope");
    }
}
