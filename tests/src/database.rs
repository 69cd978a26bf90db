//! The databases tests run on: a temporary SQLite file, and a fresh PostgreSQL database (dropped
//! afterwards) when `IPOC_TEST_POSTGRES_URL` is set.

use sea_orm::{ConnectionTrait, Database};

/// A database backend the tests run on.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    /// The administrative URL (`IPOC_TEST_POSTGRES_URL`) under which fresh databases are created.
    Postgres(String),
}

/// SQLite always; PostgreSQL too when `IPOC_TEST_POSTGRES_URL` is set.
pub fn backends() -> Vec<Backend> {
    let mut all = vec![Backend::Sqlite];
    if let Ok(url) = std::env::var("IPOC_TEST_POSTGRES_URL")
        && !url.is_empty()
    {
        all.push(Backend::Postgres(url));
    }
    all
}

/// Runs a test body once per backend, each time against a freshly spawned server `$app`.
#[macro_export]
macro_rules! each_backend {
    (async fn $name:ident($app:ident) $body:block) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            for backend in $crate::backends() {
                let $app = $crate::spawn_app(&backend).await;
                $body
            }
        }
    };
}

/// A fresh database of its own, dropped with this value (PostgreSQL) or with its folder (SQLite).
pub struct FreshDatabase {
    pub url: String,
    pub dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl FreshDatabase {
    /// Creates the database.
    pub async fn create(backend: &Backend) -> FreshDatabase {
        Self::create_in(backend, tempfile::tempdir().expect("temp dir")).await
    }

    /// Creates the database with `dir` as its data folder (and, on SQLite, the file's folder).
    pub async fn create_in(backend: &Backend, dir: tempfile::TempDir) -> FreshDatabase {
        match backend {
            Backend::Sqlite => FreshDatabase {
                url: format!("sqlite://{}?mode=rwc", dir.path().join("ipoc.db").display()),
                dir,
                postgres: None,
            },
            Backend::Postgres(admin_url) => {
                let name = format!("ipoc_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(admin_url)
                    .await
                    .expect("connect to IPOC_TEST_POSTGRES_URL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .unwrap_or(admin_url);
                FreshDatabase {
                    url: format!("{base}/{name}"),
                    dir,
                    postgres: Some((admin_url.clone(), name)),
                }
            }
        }
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.postgres.take() {
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                runtime.block_on(async {
                    if let Ok(admin) = Database::connect(&admin_url).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}
