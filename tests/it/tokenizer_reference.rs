//! Our GGUF tokenizer against an independent reference: llama.cpp's tokenizer, whose ids
//! for the strings in tests/data/tokenizer/strings.json were written by
//! tests/tools/tokenizer_reference.py (one JSON file per model, see that script).

use crate::common;

use std::path::{Path, PathBuf};

use shopassist::llm::Model;
use shopassist::models::KnownModel;

#[derive(serde::Deserialize)]
struct Reference {
    reference: String,
    sha256: String,
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    text: String,
    ids: Vec<u32>,
}

fn reference_for(model_file: &str) -> Reference {
    let stem = Path::new(model_file).file_stem().unwrap().to_string_lossy();
    let path = common::repo_root()
        .join("tests/data/tokenizer")
        .join(format!("{stem}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// Every reference string encodes to the reference ids and decodes back to itself.
fn check(model_path: &Path, known: &KnownModel) {
    let reference = reference_for(known.file_name);
    assert_eq!(
        reference.sha256, known.sha256,
        "the reference was written for another file"
    );
    let strings: Vec<String> = serde_json::from_str(
        &std::fs::read_to_string(common::repo_root().join("tests/data/tokenizer/strings.json"))
            .unwrap(),
    )
    .unwrap();
    assert!(strings.len() >= 30);
    assert_eq!(
        reference.cases.iter().map(|c| &c.text).collect::<Vec<_>>(),
        strings.iter().collect::<Vec<_>>(),
        "strings.json changed: regenerate the reference"
    );
    let model = Model::load(model_path, &candle_core::Device::Cpu).unwrap();
    let mut wrong = Vec::new();
    for case in &reference.cases {
        let ids = model.encode(&case.text).unwrap();
        if ids != case.ids {
            wrong.push(format!(
                "{:?}\n   ours      {ids:?}\n   reference {:?}",
                case.text, case.ids
            ));
        }
        assert_eq!(
            model.decode(&ids).unwrap(),
            case.text,
            "round trip of {ids:?}"
        );
    }
    assert!(
        wrong.is_empty(),
        "{} of {} strings differ from {}:\n{}",
        wrong.len(),
        reference.cases.len(),
        reference.reference,
        wrong.join("\n")
    );
}

#[test]
fn the_test_model_tokenizes_like_llama_cpp() {
    let path = common::test_model();
    check(&path, KnownModel::by_name("test").unwrap());
}

/// The Qwen2.5 tokenizer, through the `small` model (0.5B, 491 MB; the default 1.5B
/// shares its vocabulary and merges). Not fetched by the tests; run `shopassist
/// models fetch small` first to include it.
#[test]
fn the_qwen_tokenizer_tokenizes_like_llama_cpp() {
    let known = KnownModel::by_name("small").unwrap();
    let path: PathBuf = known.path_in(&common::repo_root().join("models"));
    if !path.is_file() {
        eprintln!(
            "skipped: {} is absent (run `cargo run --release -- models fetch small`)",
            path.display()
        );
        return;
    }
    check(&path, known);
}

/// A tokenizer.json beside the GGUF is used instead of the GGUF's metadata.
#[test]
fn a_tokenizer_json_beside_the_model_wins() {
    let gguf = common::test_model();
    let dir = tempfile::tempdir().unwrap();
    let linked = dir.path().join("model.gguf");
    std::os::unix::fs::symlink(&gguf, &linked).unwrap();

    let mut tokenizer = Model::load(&gguf, &candle_core::Device::Cpu)
        .unwrap()
        .tokenizer;
    let plain = tokenizer.encode("<|shop|>", false).unwrap().get_ids().len();
    assert!(plain > 1, "not yet a special token");
    let _ = tokenizer.add_special_tokens([tokenizers::AddedToken::from("<|shop|>", true)]);
    tokenizer
        .save(dir.path().join("model.tokenizer.json"), false)
        .unwrap();

    let model = Model::load(&linked, &candle_core::Device::Cpu).unwrap();
    assert_eq!(model.encode("<|shop|>").unwrap().len(), 1);
    assert_eq!(
        model.encode("Größe 42 für 19,99 €").unwrap(),
        Model::load(&gguf, &candle_core::Device::Cpu)
            .unwrap()
            .encode("Größe 42 für 19,99 €")
            .unwrap()
    );
}
