//! The model's reading: the few-shot extraction prompt, its JSON schema and the
//! extractor that runs it with the cached prefix.

use super::*;
use std::collections::HashMap;

/// The editable prompts (see prompts/README.md): the extraction's system text and
/// few-shot examples, those of the product ideas for a need or a gift, and the system
/// text under which the shop's product types are judged for a need.
#[derive(Debug, Clone)]
pub struct ExtractPrompt {
    pub system: String,
    pub examples: Vec<(String, Value)>,
    pub ideas_system: String,
    pub ideas_examples: Vec<(String, Value)>,
    pub choose_system: String,
    /// Messages with the product type that meets each, by name: what the judgement
    /// of a type reads as an answer ([`Extractor::fit`]).
    pub choose_examples: Vec<(String, Value)>,
    pub uses_system: String,
    pub uses_examples: Vec<(String, Value)>,
}

pub(super) const SYSTEM: &str = include_str!("../../../prompts/extract/system.txt");
pub(super) const EXAMPLES: &str = include_str!("../../../prompts/extract/examples.jsonl");
const IDEAS_SYSTEM: &str = include_str!("../../../prompts/ideas/system.txt");
const IDEAS_EXAMPLES: &str = include_str!("../../../prompts/ideas/examples.jsonl");
const CHOOSE_SYSTEM: &str = include_str!("../../../prompts/choose/system.txt");
const CHOOSE_EXAMPLES: &str = include_str!("../../../prompts/choose/examples.jsonl");
const USES_SYSTEM: &str = include_str!("../../../prompts/uses/system.txt");
const USES_EXAMPLES: &str = include_str!("../../../prompts/uses/examples.jsonl");

/// `dir/folder/name`, or the built-in copy when there is no such file.
fn read_prompt(
    dir: Option<&std::path::Path>,
    folder: &str,
    name: &str,
    builtin: &str,
) -> Result<String, String> {
    match dir.map(|d| d.join(folder).join(name)) {
        Some(p) if p.is_file() => {
            std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))
        }
        _ => Ok(builtin.to_string()),
    }
}

/// A prompt folder's system text and examples, each file falling back to the built-in
/// copy; every example is checked by `check`.
fn load_folder(
    dir: Option<&std::path::Path>,
    folder: &str,
    builtin: (&str, &str),
    check: fn(&Value) -> Result<(), String>,
) -> Result<(String, Vec<(String, Value)>), String> {
    let system = read_prompt(dir, folder, "system.txt", builtin.0)?;
    let examples_text = read_prompt(dir, folder, "examples.jsonl", builtin.1)?;
    let mut examples = Vec::new();
    for (i, line) in examples_text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        #[derive(Deserialize)]
        struct Example {
            user: String,
            assistant: Value,
        }
        let e: Example = serde_json::from_str(line)
            .map_err(|e| format!("{folder}/examples.jsonl line {}: {e}", i + 1))?;
        check(&e.assistant).map_err(|m| format!("{folder}/examples.jsonl line {}: {m}", i + 1))?;
        examples.push((e.user, e.assistant));
    }
    Ok((system.trim().to_string(), examples))
}

impl ExtractPrompt {
    /// The prompts in `dir/extract/`, `dir/ideas/`, `dir/choose/` and `dir/uses/`, each file
    /// falling back to the built-in copy.
    pub fn load(dir: Option<&std::path::Path>) -> Result<ExtractPrompt, String> {
        let (system, examples) = load_folder(dir, "extract", (SYSTEM, EXAMPLES), validate)?;
        let (ideas_system, ideas_examples) =
            load_folder(dir, "ideas", (IDEAS_SYSTEM, IDEAS_EXAMPLES), validate_ideas)?;
        let (choose_system, choose_examples) = load_folder(
            dir,
            "choose",
            (CHOOSE_SYSTEM, CHOOSE_EXAMPLES),
            validate_choice,
        )?;
        let (uses_system, uses_examples) =
            load_folder(dir, "uses", (USES_SYSTEM, USES_EXAMPLES), validate_uses)?;
        Ok(ExtractPrompt {
            system,
            examples,
            ideas_system,
            ideas_examples,
            choose_system,
            choose_examples: choose_examples
                .into_iter()
                .map(|(user, name)| {
                    let name = name.as_str().unwrap_or_default();
                    (user, Value::String(format!("{TYPE_LEAD}{name}{TYPE_END}")))
                })
                .collect(),
            uses_system,
            uses_examples,
        })
    }

    pub fn builtin() -> ExtractPrompt {
        ExtractPrompt::load(None).expect("the built-in prompt is valid")
    }
}

/// The model's ideas for a need ([`Extractor::ideas`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ideas {
    /// The shopper's message in the model's English.
    pub english: Option<String>,
    /// Kinds of products, short English names, most fitting first.
    pub products: Vec<String>,
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
            "english": {"type": "string", "minLength": 3, "maxLength": MAX_ENGLISH},
            "products": {
                "type": "array",
                "items": {"type": "string", "minLength": 2, "maxLength": 30},
                "minItems": 1,
                "maxItems": MAX_IDEAS
            }
        },
        "required": ["english", "products"],
        "additionalProperties": false
    })
}

/// Where the model's answer begins when a product type is judged for a message: the
/// type's name follows, then [`TYPE_END`].
const TYPE_LEAD: &str = "The best fitting product: ";
const TYPE_END: &str = ".";

/// A message that asks for nothing in particular: a type's likelihood after it is the
/// model's bias towards that name, taken off its likelihood after the shopper's.
const NO_NEED: &str = "I am looking for a product.";

/// How many types' biases an extractor keeps; a catalogue has far fewer types.
const PRIORS_KEPT: usize = 10_000;

/// How many phrases say what a product type is for.
const MIN_USES: usize = 3;
const MAX_USES: usize = 5;

/// The JSON schema of what a product type is for: three to five short phrases.
pub fn uses_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "uses": {
                "type": "array",
                "items": {"type": "string", "minLength": 3, "maxLength": 60},
                "minItems": MIN_USES,
                "maxItems": MAX_USES
            }
        },
        "required": ["uses"],
        "additionalProperties": false
    })
}

/// Checks that an example's answer is `{key: [...]}`, `min` to `max` strings.
fn validate_list(v: &Value, key: &str, min: usize, max: usize) -> Result<(), String> {
    let o = v.as_object().ok_or("not an object")?;
    if o.keys().any(|k| k != key) {
        return Err(format!("only \"{key}\" is allowed"));
    }
    match o.get(key) {
        Some(Value::Array(a))
            if (min..=max).contains(&a.len()) && a.iter().all(Value::is_string) =>
        {
            Ok(())
        }
        _ => Err(format!("{key} must be an array of {min} to {max} strings")),
    }
}

/// Checks a choice example: a product type's name, as the judgement reads one.
fn validate_choice(v: &Value) -> Result<(), String> {
    match v.as_str().map(str::trim) {
        Some(name) if (2..=60).contains(&name.chars().count()) && !name.ends_with(TYPE_END) => {
            Ok(())
        }
        _ => Err(format!(
            "assistant must be a product type's name, 2 to 60 characters, without a closing \"{TYPE_END}\""
        )),
    }
}

/// Checks a uses example against [`uses_schema`].
fn validate_uses(v: &Value) -> Result<(), String> {
    validate_list(v, "uses", MIN_USES, MAX_USES)
}

/// Checks an ideas example against [`ideas_schema`]: the message in English, then
/// the products.
pub(super) fn validate_ideas(v: &Value) -> Result<(), String> {
    let english = v.get("english").and_then(Value::as_str).unwrap_or_default();
    if !(3..=MAX_ENGLISH).contains(&english.chars().count()) {
        return Err(format!(
            "english must be the message in English, 3 to {MAX_ENGLISH} characters"
        ));
    }
    let mut rest = v.clone();
    if let Some(o) = rest.as_object_mut() {
        o.remove("english");
    }
    validate_list(&rest, "products", 1, MAX_IDEAS)
}

/// The longest English rendering of a message the ideas' answer starts with.
const MAX_ENGLISH: usize = 120;

/// The distinct strings with a letter of the array `key` of the model's answer,
/// trimmed and then `normalised`, in order.
fn answer_list(out: &Value, key: &str, normalised: fn(&str) -> String) -> Vec<String> {
    let mut list: Vec<String> = Vec::new();
    for item in out[key].as_array().into_iter().flatten() {
        let item = normalised(item.as_str().unwrap_or_default().trim());
        if item.chars().any(char::is_alphabetic) && !list.contains(&item) {
            list.push(item);
        }
    }
    list
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
    /// Judging the shop's types for a need: cached prompt prefix, and the tail up to
    /// where a type's name follows ([`TYPE_LEAD`]).
    choose: (Arc<Prefix>, String),
    /// Each type name's log-likelihood after [`NO_NEED`], once computed.
    priors: std::sync::Mutex<HashMap<String, f32>>,
    /// What a product type is for: cached prompt prefix and tail.
    uses: (Arc<Prefix>, String),
    /// [`Self::uses_prompt_id`].
    uses_id: String,
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
        let uses = cached_prompt(model, &prompt.uses_system, &prompt.uses_examples)?;
        Ok(Extractor {
            constraints: JsonConstraints::new(model)?,
            prefix: Arc::new(prefix),
            tail,
            schema: schema(),
            ideas: (Arc::new(ideas.0), ideas.1),
            choose: (Arc::new(choose.0), format!("{}{TYPE_LEAD}", choose.1)),
            priors: std::sync::Mutex::new(HashMap::new()),
            uses: (Arc::new(uses.0), uses.1),
            uses_id: crate::search::semantic::text_hash(&format!(
                "{}\n{}",
                prompt.uses_system,
                json!(prompt.uses_examples)
            )),
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
    ///
    /// The model first says the message in English ([`Ideas::english`]): a small
    /// model that reads "die hose rutscht mir immer runter" as a garden hose names
    /// better products after writing "my trousers keep sliding down".
    pub fn ideas(&self, model: &Model, text: &str) -> Result<Ideas, String> {
        let out = self.ask(
            model,
            &ideas_schema(),
            (&self.ideas.0, &self.ideas.1),
            &clean_message(text),
            80,
        )?;
        Ok(Ideas {
            english: out["english"]
                .as_str()
                .map(|e| e.trim().to_string())
                .filter(|e| e.chars().any(char::is_alphabetic)),
            products: answer_list(&out, "products", str::to_lowercase),
        })
    }
}

impl Extractor {
    /// What shoppers need a kind of product for ("Beanie" → "warm ears in
    /// winter", …), in short English phrases: the model's knowledge of a type,
    /// asked once per type and kept ([`crate::assist::TypeUses`]), so that a
    /// message describing a need can be compared with it by meaning.
    pub fn uses(&self, model: &Model, name: &str) -> Result<Vec<String>, String> {
        let out = self.ask(
            model,
            &uses_schema(),
            (&self.uses.0, &self.uses.1),
            &clean_message(name),
            120,
        )?;
        Ok(answer_list(&out, "uses", str::to_string))
    }

    /// A fingerprint of the uses prompt: kept uses are asked again when it changes.
    pub fn uses_prompt_id(&self) -> String {
        self.uses_id.clone()
    }

    /// How well each of the shop's product types `offered` (names) would meet the
    /// need a message describes or make the gift it asks for, higher is better: the
    /// log-likelihood the model gives the name as its answer to the message, less
    /// that after a message that asks for nothing ([`NO_NEED`]), so that a name is
    /// not favoured for being short or common. Each name is judged on its own, in one
    /// pass ([`Model::score`]), so its place in the list does not matter; only names
    /// offered can come out, so only what the shop has.
    pub fn fit(&self, model: &Model, text: &str, offered: &[String]) -> Result<Vec<f32>, String> {
        if offered.is_empty() {
            return Ok(Vec::new());
        }
        let names: Vec<String> = offered.iter().map(|o| format!("{o}{TYPE_END}")).collect();
        let judge = |message: &str, names: &[&str]| {
            model
                .score(
                    Some(&self.choose.0),
                    &format!("{message}{}", self.choose.1),
                    names,
                )
                .map_err(|e| e.to_string())
        };
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let scores = judge(&clean_message(text), &refs)?;
        let priors = || self.priors.lock().unwrap_or_else(|p| p.into_inner());
        let unknown: Vec<&str> = {
            let known = priors();
            refs.iter()
                .copied()
                .filter(|n| !known.contains_key(*n))
                .collect()
        };
        if !unknown.is_empty() {
            let found = judge(NO_NEED, &unknown)?;
            let mut known = priors();
            if known.len() + unknown.len() > PRIORS_KEPT {
                known.clear();
            }
            for (n, s) in unknown.iter().zip(found) {
                known.insert(n.to_string(), s.logprob);
            }
        }
        let priors = priors();
        Ok(names
            .iter()
            .zip(scores)
            .map(|(n, s)| s.logprob - priors.get(n).copied().unwrap_or_default())
            .collect())
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
        // A JSON answer as JSON; a plain answer (a judged type's) as its text.
        let answer = match answer {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        messages.push(Message::assistant(answer));
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
