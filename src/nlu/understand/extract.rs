//! The model's reading: the few-shot extraction prompt, its JSON schema and the
//! extractor that runs it with the cached prefix.

use super::*;

/// The editable prompts (see prompts/README.md): the extraction's system text and
/// few-shot examples, and those of the product ideas for a need or a gift.
#[derive(Debug, Clone)]
pub struct ExtractPrompt {
    pub system: String,
    pub examples: Vec<(String, Value)>,
    pub ideas_system: String,
    pub ideas_examples: Vec<(String, Value)>,
    pub choose_system: String,
    pub choose_examples: Vec<(String, Value)>,
}

pub(super) const SYSTEM: &str = include_str!("../../../prompts/extract/system.txt");
pub(super) const EXAMPLES: &str = include_str!("../../../prompts/extract/examples.jsonl");
const IDEAS_SYSTEM: &str = include_str!("../../../prompts/ideas/system.txt");
const IDEAS_EXAMPLES: &str = include_str!("../../../prompts/ideas/examples.jsonl");
const CHOOSE_SYSTEM: &str = include_str!("../../../prompts/choose/system.txt");
const CHOOSE_EXAMPLES: &str = include_str!("../../../prompts/choose/examples.jsonl");

/// A prompt folder's system text and examples, each file falling back to the built-in
/// copy; every example is checked by `check`.
fn load_folder(
    dir: Option<&std::path::Path>,
    folder: &str,
    builtin: (&str, &str),
    check: fn(&Value) -> Result<(), String>,
) -> Result<(String, Vec<(String, Value)>), String> {
    let read = |name: &str, builtin: &str| -> Result<String, String> {
        match dir.map(|d| d.join(folder).join(name)) {
            Some(p) if p.is_file() => {
                std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))
            }
            _ => Ok(builtin.to_string()),
        }
    };
    let system = read("system.txt", builtin.0)?;
    let examples_text = read("examples.jsonl", builtin.1)?;
    let mut examples = Vec::new();
    for (i, line) in examples_text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        #[derive(Deserialize)]
        struct Example {
            user: String,
            /// The shop's product types offered to choose from (the `choose` prompt).
            #[serde(default)]
            offered: Option<Vec<String>>,
            assistant: Value,
        }
        let e: Example = serde_json::from_str(line)
            .map_err(|e| format!("{folder}/examples.jsonl line {}: {e}", i + 1))?;
        check(&e.assistant).map_err(|m| format!("{folder}/examples.jsonl line {}: {m}", i + 1))?;
        let user = match &e.offered {
            Some(offered) => {
                let chosen = e.assistant["products"].as_array().into_iter().flatten();
                if let Some(c) = chosen
                    .filter_map(Value::as_str)
                    .find(|c| !offered.iter().any(|o| o == c))
                {
                    return Err(format!(
                        "{folder}/examples.jsonl line {}: \"{c}\" is not offered",
                        i + 1
                    ));
                }
                choice_message(&e.user, offered)
            }
            None => e.user,
        };
        examples.push((user, e.assistant));
    }
    Ok((system.trim().to_string(), examples))
}

impl ExtractPrompt {
    /// The prompts in `dir/extract/` and `dir/ideas/`, each file falling back to the
    /// built-in copy.
    pub fn load(dir: Option<&std::path::Path>) -> Result<ExtractPrompt, String> {
        let (system, examples) = load_folder(dir, "extract", (SYSTEM, EXAMPLES), validate)?;
        let (ideas_system, ideas_examples) =
            load_folder(dir, "ideas", (IDEAS_SYSTEM, IDEAS_EXAMPLES), validate_ideas)?;
        let (choose_system, choose_examples) = load_folder(
            dir,
            "choose",
            (CHOOSE_SYSTEM, CHOOSE_EXAMPLES),
            validate_ideas,
        )?;
        Ok(ExtractPrompt {
            system,
            examples,
            ideas_system,
            ideas_examples,
            choose_system,
            choose_examples,
        })
    }

    pub fn builtin() -> ExtractPrompt {
        ExtractPrompt::load(None).expect("the built-in prompt is valid")
    }
}

/// The most product ideas the model names for one message.
pub const MAX_IDEAS: usize = 3;

/// The JSON schema of the product ideas: short product names, one to three. The
/// model is asked only about a message already read as a search for what fits; left
/// free to answer nothing, the 1.5B did so for "mir ist beim Radfahren immer so kalt
/// an den Händen".
pub fn ideas_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "products": {
                "type": "array",
                "items": {"type": "string", "minLength": 2, "maxLength": 30},
                "minItems": 1,
                "maxItems": MAX_IDEAS
            }
        },
        "required": ["products"],
        "additionalProperties": false
    })
}

/// The message the model chooses the shop's product types for: the shopper's words
/// and the types offered, one a line.
fn choice_message(text: &str, offered: &[String]) -> String {
    let list: Vec<String> = offered.iter().map(|o| format!("- {o}")).collect();
    format!("Shopper: {text}\n\nProducts:\n{}", list.join("\n"))
}

/// The JSON schema of a choice among the shop's product types: one to
/// [`MAX_IDEAS`] of those offered.
pub fn choose_schema(offered: &[String]) -> Value {
    json!({
        "type": "object",
        "properties": {
            "products": {
                "type": "array",
                "items": {"enum": offered},
                "minItems": 1,
                "maxItems": MAX_IDEAS
            }
        },
        "required": ["products"],
        "additionalProperties": false
    })
}

/// Checks an ideas example against [`ideas_schema`].
pub(super) fn validate_ideas(v: &Value) -> Result<(), String> {
    let o = v.as_object().ok_or("not an object")?;
    if o.keys().any(|k| k != "products") {
        return Err("only \"products\" is allowed".into());
    }
    match o.get("products") {
        Some(Value::Array(a))
            if (1..=MAX_IDEAS).contains(&a.len()) && a.iter().all(Value::is_string) =>
        {
            Ok(())
        }
        _ => Err(format!(
            "products must be an array of 1 to {MAX_IDEAS} strings"
        )),
    }
}

/// The JSON schema the LLM answers in.
pub fn schema() -> Value {
    let intents: Vec<&str> = Intent::ALL.iter().map(|i| i.as_str()).collect();
    json!({
        "type": "object",
        "properties": {
            "intent": {"enum": intents},
            "product_type": {"type": ["string", "null"], "maxLength": 40},
            "attributes": {"type": "array", "items": {"type": "string", "maxLength": 30}, "maxItems": 4},
            "brand": {"type": ["string", "null"], "maxLength": 30}
        },
        "required": ["intent", "product_type", "attributes", "brand"],
        "additionalProperties": false
    })
}

/// Checks an extraction against [`schema`] (for the examples; the model's output is
/// constrained by the grammar and cannot break it).
pub(super) fn validate(v: &Value) -> Result<(), String> {
    let o = v.as_object().ok_or("not an object")?;
    for k in o.keys() {
        if !["intent", "product_type", "attributes", "brand"].contains(&k.as_str()) {
            return Err(format!("unknown key {k}"));
        }
    }
    let intent = o
        .get("intent")
        .and_then(Value::as_str)
        .ok_or("intent missing")?;
    Intent::parse(intent).ok_or_else(|| format!("unknown intent {intent}"))?;
    for k in ["product_type", "brand"] {
        match o.get(k) {
            Some(Value::Null) | Some(Value::String(_)) => {}
            _ => return Err(format!("{k} must be a string or null")),
        }
    }
    match o.get("attributes") {
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => Ok(()),
        _ => Err("attributes must be an array of strings".into()),
    }
}

/// What the LLM said, before the merge.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LlmReading {
    pub intent: Option<Intent>,
    pub product_type: Option<String>,
    pub attributes: Vec<String>,
    pub brand: Option<String>,
}

/// The LLM side: constraints and the few-shot prefix, evaluated once per model.
pub struct Extractor {
    constraints: JsonConstraints,
    prefix: Arc<Prefix>,
    /// The chat-template text after the user's message (end of turn, assistant start).
    tail: String,
    schema: Value,
    /// The product ideas' cached prompt prefix and its tail.
    ideas: (Arc<Prefix>, String),
    /// The choice among the shop's types: cached prompt prefix and its tail.
    choose: (Arc<Prefix>, String),
}

impl std::fmt::Debug for Extractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extractor")
            .field("prefix_tokens", &self.prefix.tokens.len())
            .finish()
    }
}

impl Extractor {
    /// Renders the prompt with the model's chat template and evaluates its fixed part.
    pub fn new(model: &Model, prompt: &ExtractPrompt) -> Result<Extractor, String> {
        let (prefix, tail) = cached_prompt(model, &prompt.system, &prompt.examples)?;
        let ideas = cached_prompt(model, &prompt.ideas_system, &prompt.ideas_examples)?;
        let choose = cached_prompt(model, &prompt.choose_system, &prompt.choose_examples)?;
        Ok(Extractor {
            constraints: JsonConstraints::new(model)?,
            prefix: Arc::new(prefix),
            tail,
            schema: schema(),
            ideas: (Arc::new(ideas.0), ideas.1),
            choose: (Arc::new(choose.0), choose.1),
        })
    }

    /// The model's JSON answer under `schema` to `message` after a cached prompt
    /// prefix, the chat template's `tail` closing the turn.
    fn ask(
        &self,
        model: &Model,
        schema: &Value,
        (prefix, tail): (&Prefix, &str),
        message: &str,
        max_tokens: usize,
    ) -> Result<Value, String> {
        let opts = GenerateOptions {
            max_tokens,
            ..Default::default()
        };
        model
            .generate_json(
                &self.constraints,
                schema,
                Some(prefix),
                &format!("{message}{tail}"),
                &opts,
            )
            .map(|out| out.value)
            .map_err(|e| e.to_string())
    }

    /// Asks the model about one message.
    pub fn read(&self, model: &Model, text: &str) -> Result<LlmReading, String> {
        let v = self.ask(
            model,
            &self.schema,
            (&self.prefix, &self.tail),
            &clean_message(text),
            96,
        )?;
        let s = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        Ok(LlmReading {
            intent: v
                .get("intent")
                .and_then(Value::as_str)
                .and_then(Intent::parse),
            product_type: s("product_type"),
            attributes: v
                .get("attributes")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            brand: s("brand"),
        })
    }
}

impl Extractor {
    /// The kinds of products the model thinks would meet a need or make a gift, in
    /// short English names, most fitting first. They are ideas, not products: the
    /// turn searches the shop for each and keeps only what the shop has and what is
    /// near enough to the message (`assist::turn::discover`).
    pub fn ideas(&self, model: &Model, text: &str) -> Result<Vec<String>, String> {
        let out = self.ask(
            model,
            &ideas_schema(),
            (&self.ideas.0, &self.ideas.1),
            &clean_message(text),
            40,
        )?;
        let mut ideas: Vec<String> = Vec::new();
        for idea in out["products"].as_array().into_iter().flatten() {
            let idea = idea.as_str().unwrap_or_default().trim().to_lowercase();
            if idea.chars().any(char::is_alphabetic) && !ideas.contains(&idea) {
                ideas.push(idea);
            }
        }
        Ok(ideas)
    }
}

impl Extractor {
    /// Which of the shop's product types `offered` (names, nearest to the message
    /// first) would meet the need the message describes or make the gift it asks
    /// for: their indices, most fitting first, one to [`MAX_IDEAS`]. The schema lets
    /// the model name only what is offered, so it can only name what the shop has.
    pub fn choose(
        &self,
        model: &Model,
        text: &str,
        offered: &[String],
    ) -> Result<Vec<usize>, String> {
        if offered.is_empty() {
            return Ok(Vec::new());
        }
        let out = self.ask(
            model,
            &choose_schema(offered),
            (&self.choose.0, &self.choose.1),
            &choice_message(&clean_message(text), offered),
            48,
        )?;
        let mut chosen: Vec<usize> = Vec::new();
        for name in out["products"].as_array().into_iter().flatten() {
            let found = offered
                .iter()
                .position(|o| Some(o.as_str()) == name.as_str());
            if let Some(i) = found.filter(|i| !chosen.contains(i)) {
                chosen.push(i);
            }
        }
        Ok(chosen)
    }
}

/// The message as the shopper wrote it, without anything that could close the turn
/// early, at most 500 characters.
fn clean_message(text: &str) -> String {
    text.replace("<|", "< |")
        .chars()
        .filter(|c| *c != '\u{0}')
        .take(500)
        .collect()
}

/// Renders a system text and its few-shot examples with the model's chat template,
/// evaluates the fixed part once, and returns it with the text that follows the
/// shopper's message (end of turn, assistant start).
fn cached_prompt(
    model: &Model,
    system: &str,
    examples: &[(String, Value)],
) -> Result<(Prefix, String), String> {
    let mut messages = vec![Message::system(system.to_string())];
    for (user, answer) in examples {
        messages.push(Message::user(user.clone()));
        messages.push(Message::assistant(answer.to_string()));
    }
    messages.push(Message::user("\u{0}"));
    let full = crate::llm::template::render(
        model.chat_template.as_deref(),
        &messages,
        true,
        &model.bos_token,
        &model.eos_token,
    )
    .map_err(|e| e.to_string())?;
    let (head, tail) = full
        .split_once('\u{0}')
        .ok_or("the chat template dropped the user message")?;
    let prefix = model.cache_prefix(head).map_err(|e| e.to_string())?;
    Ok((prefix, tail.to_string()))
}
