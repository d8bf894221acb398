//! Chat templates: the GGUF's own Jinja template rendered with minijinja, or ChatML
//! when the file has none.

use minijinja::{context, Environment};
use serde::Serialize;

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub role: String,
    pub content: String,
}

impl Message {
    pub fn system(c: impl Into<String>) -> Self {
        Message {
            role: "system".into(),
            content: c.into(),
        }
    }
    pub fn user(c: impl Into<String>) -> Self {
        Message {
            role: "user".into(),
            content: c.into(),
        }
    }
    pub fn assistant(c: impl Into<String>) -> Self {
        Message {
            role: "assistant".into(),
            content: c.into(),
        }
    }
}

/// ChatML, used when a GGUF carries no template.
pub const CHATML: &str = "{% for message in messages %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

/// Renders `messages` with `template` (or ChatML).
pub fn render(
    template: Option<&str>,
    messages: &[Message],
    add_generation_prompt: bool,
    bos_token: &str,
    eos_token: &str,
) -> Result<String, String> {
    let mut env = Environment::new();
    env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    env.add_template("chat", template.unwrap_or(CHATML))
        .map_err(|e| format!("chat template does not parse: {e}"))?;
    let t = env.get_template("chat").map_err(|e| e.to_string())?;
    t.render(context! {
        messages => messages,
        add_generation_prompt => add_generation_prompt,
        bos_token => bos_token,
        eos_token => eos_token,
    })
    .map_err(|e| format!("chat template failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chatml_fallback_renders_roles_and_generation_prompt() {
        let s = render(
            None,
            &[Message::system("S"), Message::user("Hallo")],
            true,
            "",
            "",
        )
        .unwrap();
        assert_eq!(
            s,
            "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nHallo<|im_end|>\n<|im_start|>assistant\n"
        );
    }

    #[test]
    fn a_broken_template_is_an_error_not_a_panic() {
        assert!(render(Some("{% for x in %}"), &[Message::user("x")], true, "", "").is_err());
    }
}
