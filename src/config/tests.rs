use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn write(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("shopassist.toml");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn defaults_bind_to_loopback_8080() {
    let cfg = Config::load(None, env(&[]), Overrides::default()).unwrap();
    assert_eq!(cfg.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(cfg.model, ModelChoice::Named("default".into()));
    assert_eq!(cfg.device, DeviceChoice::Cpu);
}

#[test]
fn cli_beats_env_beats_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "bind = \"127.0.0.1:1111\"\nthreads = 1\nmodel = \"test\"\n",
    );
    let cfg = Config::load(
        Some(&f),
        env(&[
            ("SHOPASSIST_BIND", "127.0.0.1:2222"),
            ("SHOPASSIST_THREADS", "2"),
        ]),
        Overrides {
            bind: Some("127.0.0.1:3333".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(cfg.bind.port(), 3333, "CLI wins over env and file");
    assert_eq!(cfg.threads, 2, "env wins over file");
    assert_eq!(
        cfg.model,
        ModelChoice::Named("test".into()),
        "file wins over default"
    );
}

#[test]
fn unknown_key_in_file_names_key_and_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "bnid = \"127.0.0.1:1\"\n");
    let e = Config::load(Some(&f), env(&[]), Overrides::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("bnid"), "{e}");
    assert!(e.contains(&f.display().to_string()), "{e}");
}

#[test]
fn bad_value_in_file_names_key_and_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "bind = \"localhost\"\n");
    let e = Config::load(Some(&f), env(&[]), Overrides::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("`bind`"), "{e}");
    assert!(e.contains(&f.display().to_string()), "{e}");
    let f = write(dir.path(), "threads = \"many\"\n");
    let e = Config::load(Some(&f), env(&[]), Overrides::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("threads"), "{e}");
}

#[test]
fn named_config_file_must_exist() {
    let e = Config::load(
        Some(Path::new("/definitely/missing.toml")),
        env(&[]),
        Overrides::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("/definitely/missing.toml"), "{e}");
}

#[test]
fn unknown_env_variable_is_an_error() {
    let e = Config::load(
        None,
        env(&[("SHOPASSIST_BINDD", "x")]),
        Overrides::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("SHOPASSIST_BINDD"), "{e}");
    // The test suite's own variables reach the daemons it starts; they are not settings.
    let c = Config::load(
        None,
        env(&[
            ("SHOPASSIST_TEST_DATABASE_URL", "postgres://x/y"),
            ("SHOPASSIST_TEST_MODEL", "default"),
        ]),
        Overrides::default(),
    )
    .unwrap();
    assert_eq!(c.database_url, None);
}

#[test]
fn database_url_takes_postgres_only() {
    let c = Config::load(
        None,
        env(&[("SHOPASSIST_DATABASE_URL", "postgres://shop:pw@db/shop")]),
        Overrides::default(),
    )
    .unwrap();
    assert_eq!(
        c.database_url.as_deref(),
        Some("postgres://shop:pw@db/shop")
    );
    let e = Config::load(
        None,
        env(&[("SHOPASSIST_DATABASE_URL", "mysql://shop:pw@db/shop")]),
        Overrides::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("SHOPASSIST_DATABASE_URL") && e.contains("postgres://"),
        "{e}"
    );
    assert!(
        !e.contains(":pw@"),
        "the password stays out of messages: {e}"
    );
}

#[test]
fn bad_env_value_names_the_variable() {
    let e = Config::load(
        None,
        env(&[("SHOPASSIST_DEVICE", "tpu")]),
        Overrides::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("SHOPASSIST_DEVICE"), "{e}");
    let e = Config::load(
        None,
        env(&[("SHOPASSIST_THREADS", "x")]),
        Overrides::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("SHOPASSIST_THREADS"), "{e}");
}

/// A Shopify export names no currency: the shop says which, and a typo is refused.
#[test]
fn the_catalogue_currency_is_an_iso_code() {
    let cfg = Config::load(
        None,
        env(&[("SHOPASSIST_CURRENCY", "usd")]),
        Overrides::default(),
    )
    .unwrap();
    assert_eq!(cfg.currency, "USD");
    assert_eq!(cfg.import_options().default_currency, "USD");
    assert_eq!(Config::default().currency, "EUR");
    let e = Config::load(
        None,
        env(&[("SHOPASSIST_CURRENCY", "dollars")]),
        Overrides::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("SHOPASSIST_CURRENCY") && e.contains("ISO"),
        "{e}"
    );
}

#[test]
fn model_choices_parse() {
    assert_eq!(
        "test".parse::<ModelChoice>(),
        Ok(ModelChoice::Named("test".into()))
    );
    assert_eq!(
        "models/x.gguf".parse::<ModelChoice>(),
        Ok(ModelChoice::Path("models/x.gguf".into()))
    );
    assert_eq!(
        "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf"
            .parse::<ModelChoice>(),
        Ok(ModelChoice::HuggingFace {
            repo: "Qwen/Qwen2.5-0.5B-Instruct-GGUF".into(),
            file: "qwen2.5-0.5b-instruct-q4_k_m.gguf".into()
        })
    );
    assert!("hf:onlyowner".parse::<ModelChoice>().is_err());
    assert!("gpt-5".parse::<ModelChoice>().is_err());
}

#[test]
fn device_choices_parse() {
    assert_eq!("cuda:1".parse::<DeviceChoice>(), Ok(DeviceChoice::Cuda(1)));
    assert_eq!("metal".parse::<DeviceChoice>(), Ok(DeviceChoice::Metal));
    assert!("cuda:x".parse::<DeviceChoice>().is_err());
}

#[test]
fn api_keys_parse_with_scopes_and_refuse_weak_or_unknown_ones() {
    let cfg = Config::load(
        None,
        env(&[(
            "SHOPASSIST_API_KEYS",
            "admin:aaaaaaaaaaaaaaaa1, storefront:bbbbbbbbbbbbbbbb2",
        )]),
        Overrides::default(),
    )
    .unwrap();
    assert_eq!(cfg.api_keys.len(), 2);
    assert_eq!(cfg.api_keys[0].scope, Scope::Admin);
    assert_eq!(cfg.api_keys[1].scope, Scope::Storefront);
    assert_eq!(cfg.api_keys[1].key, "bbbbbbbbbbbbbbbb2");
    // A key never shows in debug output (logs).
    assert!(!format!("{:?}", cfg.api_keys).contains("bbbb"));

    for bad in [
        "admin:short",
        "root:cccccccccccccccccccc",
        "dddddddddddddddddddd",
    ] {
        let e = Config::load(
            None,
            env(&[("SHOPASSIST_API_KEYS", bad)]),
            Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("SHOPASSIST_API_KEYS"), "{bad}: {e}");
        assert!(
            !e.contains("cccccccccc") && !e.contains("dddddddddd"),
            "{e}"
        );
    }
}

#[test]
fn example_config_file_is_valid_and_complete() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("shopassist.example.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // Every key is documented in the example, commented out or not.
    for key in KEYS {
        assert!(text.contains(&format!("{key} =")), "example lacks `{key}`");
    }
    // The example, uncommented, parses.
    let uncommented: String = text
        .lines()
        .map(|l| {
            l.strip_prefix("# ")
                .filter(|r| r.contains(" = "))
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), uncommented).unwrap();
    Config::load(Some(f.path()), env(&[]), Overrides::default()).unwrap();
}
