//! Every JSON endpoint fuzzed from the daemon's own OpenAPI document with schemathesis
//! (PyPI): generated and mutated requests, valid and invalid, against the real daemon
//! (test model, demo catalogue). The check: no 5xx and no dropped connection, ever.
//! `.ci/run` installs schemathesis; without it the test says so and passes, except
//! under CI (`CI` set), where it fails.

use std::process::Command;
use std::time::{Duration, Instant};

use shopassist::config::{Config, ModelChoice};

mod common;

/// The schemathesis command line: `st`, else the module.
fn schemathesis() -> Option<Vec<String>> {
    if Command::new("st")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Some(vec!["st".into()]);
    }
    let module = Command::new("python3")
        .args(["-m", "schemathesis.cli", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    module.then(|| vec!["python3".into(), "-m".into(), "schemathesis.cli".into()])
}

#[tokio::test]
async fn no_generated_request_gets_a_server_error() {
    let Some(cmd) = schemathesis() else {
        let msg = "schemathesis is not installed (python3 -m pip install schemathesis)";
        if std::env::var_os("CI").is_some() {
            panic!("{msg}");
        }
        eprintln!("SKIPPED: {msg}");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: dir.path().join("data"),
        model: ModelChoice::Path(common::test_model()),
        ..Config::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(shopassist::daemon::run_on(listener, config, async {
        let _ = stopped.await;
    }));
    let c = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while c
        .get(format!("{url}/readyz"))
        .send()
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        assert!(Instant::now() < deadline, "daemon never became ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let out = tokio::time::timeout(
        Duration::from_secs(900),
        tokio::process::Command::new(&cmd[0])
            .args(&cmd[1..])
            .args([
                "run",
                &format!("{url}/openapi.json"),
                "--checks",
                "not_a_server_error",
                "--max-examples",
                "25",
                "--seed",
                "20261124",
                "--workers",
                "2",
                "--no-color",
            ])
            .env("SCHEMATHESIS_TELEMETRY", "false")
            // Its cache of found crashes stays out of the working tree.
            .current_dir(dir.path())
            .output(),
    )
    .await
    .expect("schemathesis hung")
    .expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "schemathesis found failures\n{stdout}\n{stderr}"
    );
    // It really ran the operations (a spec it could not read would test nothing).
    assert!(stdout.contains("generated"), "{stdout}");
    let _ = stop.send(());
}
