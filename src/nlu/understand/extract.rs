//! The model's reading: the few-shot extraction prompt, its JSON schema and the
//! extractor that runs it with the cached prefix.

use super::*;

/// The editable prompt: system text and few-shot examples (see prompts/README.md).
#[derive(Debug, Clone)]
pub struct ExtractPrompt {
    pub system: String,
    pub examples: Vec<(String, Value)>,
}

pub(super) const SYSTEM: &str = include_str!("../../../prompts/extract/system.txt");
pub(super) const EXAMPLES: &str = include_str!("../../../prompts/extract/examples.jsonl");

impl ExtractPrompt {
    /// The prompt in `dir/extract/`, each file falling back to the built-in copy.
    pub fn load(dir: Option<&std::path::Path>) -> Result<ExtractPrompt, String> {
        let read = |name: &str, builtin: &str| -> Result<String, String> {
            match dir.map(|d| d.join("extract").join(name)) {
                Some(p) if p.is_file() => {
                    std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))
                }
                _ => Ok(builtin.to_string()),
            }
        };
        let system = read("system.txt", SYSTEM)?;
        let examples_text = read("examples.jsonl", EXAMPLES)?;
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
                .map_err(|e| format!("extract/examples.jsonl line {}: {e}", i + 1))?;
            validate(&e.assistant)
                .map_err(|m| format!("extract/examples.jsonl line {}: {m}", i + 1))?;
            examples.push((e.user, e.assistant));
        }
        Ok(ExtractPrompt {
            system: system.trim().to_string(),
            examples,
        })
    }

    pub fn builtin() -> ExtractPrompt {
        ExtractPrompt::load(None).expect("the built-in prompt is valid")
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
        let mut messages = vec![Message::system(prompt.system.clone())];
        for (user, answer) in &prompt.examples {
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
        Ok(Extractor {
            constraints: JsonConstraints::new(model)?,
            prefix: Arc::new(prefix),
            tail: tail.to_string(),
            schema: schema(),
        })
    }

    /// Asks the model about one message.
    pub fn read(&self, model: &Model, text: &str) -> Result<LlmReading, String> {
        // The message goes in as the shopper wrote it, without anything that could
        // close the turn early.
        let clean: String = text
            .replace("<|", "< |")
            .chars()
            .filter(|c| *c != '\u{0}')
            .take(500)
            .collect();
        let opts = GenerateOptions {
            max_tokens: 96,
            ..Default::default()
        };
        let out = model
            .generate_json(
                &self.constraints,
                &self.schema,
                Some(&self.prefix),
                &format!("{clean}{}", self.tail),
                &opts,
            )
            .map_err(|e| e.to_string())?;
        let v = out.value;
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
