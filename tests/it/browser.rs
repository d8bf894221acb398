//! The chat widget end to end in headless Chromium: the real daemon (test model, demo
//! catalogue) on an ephemeral port, driven by tests/browser/widget.mjs through
//! playwright-core. `.ci/run` installs Debian's chromium and the npm package; without
//! them the test says so and passes, except under CI (`CI` set), where it fails.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::common;

fn missing_tools(root: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        missing.push(format!("chromium at {chromium} (apt-get install chromium)"));
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node".into());
    }
    if !root
        .join("tests/browser/node_modules/playwright-core")
        .is_dir()
    {
        missing.push("playwright-core (npm install --prefix tests/browser)".into());
    }
    missing
}

#[tokio::test]
async fn a_shopper_asks_in_german_sees_cards_and_fills_the_cart() {
    let root = common::repo_root();
    let missing = missing_tools(&root);
    if !missing.is_empty() {
        let msg = format!("browser test needs: {}", missing.join(", "));
        common::skip_unless_ci(&msg);
        return;
    }

    let dir = tempfile::tempdir().unwrap();
    let (url, stop) = common::daemon_ready(&dir.path().join("data")).await;

    let shot = dir.path().join("widget.png");
    let script = root.join("tests/browser/widget.mjs");
    let out = tokio::time::timeout(
        Duration::from_secs(180),
        tokio::process::Command::new("node")
            .arg(&script)
            .arg(&url)
            .arg(&shot)
            .output(),
    )
    .await
    .expect("the browser test hung")
    .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "widget test failed\nstdout: {stdout}\nstderr: {stderr}"
    );
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).expect("summary JSON");
    assert!(!summary["cards"].as_array().unwrap().is_empty());
    assert!(shot.exists(), "a screenshot was taken");
    let _ = stop.send(());
}
