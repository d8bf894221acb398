//! Every JSON endpoint fuzzed from the daemon's own OpenAPI document with schemathesis
//! (PyPI): generated and mutated requests, valid and invalid, against the real daemon
//! (test model, demo catalogue). The check: no 5xx and no dropped connection, ever.
//! `.ci/run` installs schemathesis; without it the test says so and passes, except
//! under CI (`CI` set), where it fails.

use std::process::Command;
use std::time::Duration;

use crate::common;

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
        common::skip_unless_ci(msg);
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (url, stop) = common::daemon_ready(&dir.path().join("data")).await;

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
                // The check is no 5xx and no dropped connection, not speed: a message
                // the test model reads can take over schemathesis's 10 s default on
                // two cores busy with the other tests.
                "--request-timeout",
                "60",
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
