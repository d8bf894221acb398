//! A PostgreSQL database of its own for a test, on the server
//! `SHOPASSIST_TEST_DATABASE_URL` names (`.ci/run` starts one and sets it). Without
//! it the PostgreSQL tests skip with a message; under CI they fail.

/// The variable naming a server the tests may create databases on.
pub const URL_VAR: &str = "SHOPASSIST_TEST_DATABASE_URL";

/// A fresh database, dropped when this goes.
pub struct TestDb {
    pub url: String,
    admin: String,
    name: String,
}

/// A new empty database, or `None` (after saying so) when no server is configured.
pub fn database() -> Option<TestDb> {
    let Ok(admin) = std::env::var(URL_VAR) else {
        super::skip_unless_ci(&format!(
            "PostgreSQL tests need {URL_VAR}=postgres://… (a role that may create databases)"
        ));
        return None;
    };
    let name = format!("shopassist_t_{}", uuid::Uuid::new_v4().simple());
    execute(&admin, &format!("CREATE DATABASE {name}"))
        .unwrap_or_else(|e| panic!("{URL_VAR}: cannot create a database: {e}"));
    // The same server and role, the new database: replace the URL's path.
    let base = match admin.rfind('/') {
        Some(i) if admin[..i].contains("://") && i > admin.find("://").unwrap() + 2 => &admin[..i],
        _ => admin.as_str(),
    };
    let (base, query) = match admin.split_once('?') {
        Some((_, q)) => (base.split('?').next().unwrap(), format!("?{q}")),
        None => (base, String::new()),
    };
    Some(TestDb {
        url: format!("{base}/{name}{query}"),
        admin,
        name,
    })
}

impl TestDb {
    /// The first column of the first row of `sql`, as an integer.
    pub fn query_i64(&self, sql: &str) -> i64 {
        let (url, sql) = (self.url.clone(), sql.to_string());
        off_runtime(move || {
            let mut c = postgres::Client::connect(&url, postgres::NoTls)?;
            c.query_one(&sql, &[]).map(|r| r.get::<_, i64>(0))
        })
        .unwrap()
    }

    /// Runs `sql` (statements without results).
    pub fn execute(&self, sql: &str) {
        execute(&self.url, sql).unwrap();
    }

    /// The first column of the first row of `sql`, as text.
    pub fn query_text(&self, sql: &str) -> String {
        let (url, sql) = (self.url.clone(), sql.to_string());
        off_runtime(move || {
            let mut c = postgres::Client::connect(&url, postgres::NoTls)?;
            c.query_one(&sql, &[]).map(|r| r.get::<_, String>(0))
        })
        .unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = execute(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn execute(url: &str, sql: &str) -> Result<(), postgres::Error> {
    let (url, sql) = (url.to_string(), sql.to_string());
    off_runtime(move || postgres::Client::connect(&url, postgres::NoTls)?.batch_execute(&sql))
}

/// Runs `f` on a thread of its own: the blocking client refuses to run inside the
/// async tests' runtime.
fn off_runtime<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(f)
        .join()
        .expect("a database call panicked")
}
