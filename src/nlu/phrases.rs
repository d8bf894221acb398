//! The phrase lists the intent rules read (`prompts/{de,en}/intents.toml`), built in
//! and overridable by a shop, list by list, like the reply templates: a file
//! `prompts_dir/{de,en}/intents.toml` replaces the lists it names for its language.
//!
//! The rules read a message before its language is known, so every list is the
//! German and the English phrases together. The lists are installed once per process
//! ([`install`], by the daemon at start); until then the built-in ones are used.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

const DE: &str = include_str!("../../prompts/de/intents.toml");
const EN: &str = include_str!("../../prompts/en/intents.toml");

type Lists = HashMap<String, Vec<String>>;

static PHRASES: OnceLock<Lists> = OnceLock::new();

fn parse(text: &str, what: &str) -> Result<Lists, String> {
    toml::from_str(text).map_err(|e| format!("{what}: {e}"))
}

/// The built-in lists merged with a shop's overrides from `dir` (if any).
pub fn load(dir: Option<&Path>) -> Result<HashMap<String, Vec<String>>, String> {
    let mut per_lang = Vec::new();
    for (lang, built_in) in [("de", DE), ("en", EN)] {
        let mut lists = parse(built_in, &format!("built-in {lang}/intents.toml"))?;
        if let Some(dir) = dir {
            let path = dir.join(lang).join("intents.toml");
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    for (key, list) in parse(&text, &path.display().to_string())? {
                        if !lists.contains_key(&key) {
                            return Err(format!(
                                "{}: unknown list `{key}` (known: {})",
                                path.display(),
                                known(&lists)
                            ));
                        }
                        lists.insert(key, list);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(format!("{}: {e}", path.display())),
            }
        }
        per_lang.push(lists);
    }
    let mut all: Lists = HashMap::new();
    for lists in per_lang {
        for (key, list) in lists {
            all.entry(key).or_default().extend(
                list.into_iter()
                    .map(|p| p.trim().to_lowercase())
                    .filter(|p| !p.is_empty()),
            );
        }
    }
    Ok(all)
}

fn known(lists: &Lists) -> String {
    let mut keys: Vec<&str> = lists.keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys.join(", ")
}

/// Installs the lists with a shop's overrides from `dir`. A broken override file is
/// an error (the built-in lists stay); installing twice keeps the first.
pub fn install(dir: Option<&Path>) -> Result<(), String> {
    let lists = load(dir)?;
    let _ = PHRASES.set(lists);
    Ok(())
}

/// One list by name; the built-in lists until [`install`] ran.
pub fn list(name: &str) -> &'static [String] {
    let lists = PHRASES.get_or_init(|| load(None).expect("the built-in phrase lists parse"));
    lists.get(name).map(Vec::as_slice).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_lists_load_and_hold_both_languages() {
        let lists = load(None).unwrap();
        let handoff = &lists["handoff"];
        assert!(handoff.iter().any(|p| p == "kundenservice"));
        assert!(handoff.iter().any(|p| p == "customer service"));
        for key in ["search", "checkout", "cart_add", "order_status", "greeting"] {
            assert!(!lists[key].is_empty(), "{key}");
        }
    }

    #[test]
    fn a_shop_overrides_a_list_and_a_typo_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("de")).unwrap();
        std::fs::write(
            dir.path().join("de/intents.toml"),
            "greeting = [\"grüezi\"]\n",
        )
        .unwrap();
        let lists = load(Some(dir.path())).unwrap();
        assert!(lists["greeting"].iter().any(|p| p == "grüezi"));
        assert!(
            !lists["greeting"].iter().any(|p| p == "hallo"),
            "the German list was replaced"
        );
        assert!(
            lists["greeting"].iter().any(|p| p == "hello"),
            "the English one stays"
        );
        std::fs::write(dir.path().join("de/intents.toml"), "greetings = []\n").unwrap();
        assert!(load(Some(dir.path())).unwrap_err().contains("unknown list"));
    }
}
