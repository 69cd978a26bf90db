//! The integration-test harness: `spawn_app` starts the real ipoc server on port 0 with a fresh
//! database — a temp SQLite file, and a fresh PostgreSQL database (dropped afterwards) when
//! `IPOC_TEST_POSTGRES_URL` is set — and tests talk to it over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

pub mod browser;
mod database;
mod faults;
mod fixtures;
mod process;
mod smtp;

pub use database::{Backend, FreshDatabase, backends};
pub use faults::{TcpProxy, Tmpfs};
pub use fixtures::{CenterFixture, criterion, uscc};
pub use process::ServerProcess;
pub use smtp::SmtpServer;

use ipoc::{
    app::{Application, FirstStart},
    domain::users::{self, NewUserInput, Role},
    settings::Settings,
};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};

/// The fixed "today" of the app's clock in tests.
pub const TODAY: &str = "2026-11-21";
/// The password of every account the harness creates.
pub const PASSWORD: &str = "correct-horse-battery";

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub backend: Backend,
    /// A handle on the server's own pool (tests use it for setup and to inspect rows).
    pub db: DatabaseConnection,
    /// A client without cookies, as a script would use the API.
    pub api: reqwest::Client,
    pub settings: Settings,
    /// The settings overrides the app was started with (other instances inherit them).
    pub overrides: Vec<(String, String)>,
    _database: FreshDatabase,
}

/// The settings of a test server over `database_url`, with `overrides` on top.
pub fn test_settings(database: &FreshDatabase, overrides: &[(&str, &str)]) -> Settings {
    let mut vars: HashMap<String, String> = [
        ("IPOC_BIND", "127.0.0.1:0".to_string()),
        ("IPOC_DATABASE_URL", database.url.clone()),
        ("IPOC_DATA_DIR", database.dir.path().display().to_string()),
        ("IPOC_NOW", TODAY.to_string()),
        ("IPOC_WORKERS", "1".to_string()),
        ("IPOC_DB_MAX_CONNECTIONS", "5".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    for (k, v) in overrides {
        vars.insert(k.to_string(), v.to_string());
    }
    Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings")
}

/// Starts ipoc on a fresh database of `backend`.
pub async fn spawn_app(backend: &Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// Starts ipoc on a fresh database of `backend` with settings `overrides` (`IPOC_*` variables).
pub async fn spawn_app_with(backend: &Backend, overrides: &[(&str, &str)]) -> TestApp {
    spawn_app_on(FreshDatabase::create(backend).await, backend, overrides).await
}

/// Starts ipoc with its demo data (as `ipoc serve --demo` does) on a fresh database of
/// `backend` with settings `overrides`; the clock stays at [`TODAY`].
pub async fn spawn_demo_app(backend: &Backend, overrides: &[(&str, &str)]) -> TestApp {
    let database = FreshDatabase::create(backend).await;
    start(database, backend, overrides, FirstStart::Demo).await
}

/// Starts ipoc on `database` (of `backend`) with settings `overrides`.
pub async fn spawn_app_on(
    database: FreshDatabase,
    backend: &Backend,
    overrides: &[(&str, &str)],
) -> TestApp {
    start(database, backend, overrides, FirstStart::Nothing).await
}

async fn start(
    database: FreshDatabase,
    backend: &Backend,
    overrides: &[(&str, &str)],
    first_start: FirstStart,
) -> TestApp {
    eprintln!("-- backend: {backend:?}");
    // the server's own error log, shown with a failing test's output
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter(std::env::var("IPOC_LOG").unwrap_or_else(|_| "error".into()))
        .try_init();
    let settings = test_settings(&database, overrides);
    let (application, _) = Application::build_with(settings.clone(), first_start)
        .await
        .expect("build application");
    let address = format!("http://127.0.0.1:{}", application.port());
    let db = application.db().clone();
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address,
        backend: backend.clone(),
        db,
        api: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        settings,
        overrides: overrides
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        _database: database,
    }
}

impl TestApp {
    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A browser session logged in as `email` (password `PASSWORD`) and its CSRF token.
    pub async fn browser_login(&self, email: &str) -> (reqwest::Client, String) {
        self.browser_login_with(email, PASSWORD).await
    }

    /// A browser session logged in as `email` with `password`, and its CSRF token.
    pub async fn browser_login_with(
        &self,
        email: &str,
        password: &str,
    ) -> (reqwest::Client, String) {
        let browser = self.browser();
        let login_page = browser
            .get(self.url("/login"))
            .send()
            .await
            .expect("login page")
            .text()
            .await
            .expect("login page text");
        let csrf = csrf_from(&login_page);
        let r = browser
            .post(self.url("/login"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .expect("login");
        assert_eq!(r.status(), 303, "login as {email}");
        (browser, csrf)
    }

    /// A client that keeps cookies and does not follow redirects, as a browser session would.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Starts a second ipoc on this app's database (as a second instance behind a load balancer
    /// would run) and returns its base URL.
    pub async fn another_instance(&self) -> String {
        self.another_instance_with(&[]).await
    }

    /// Starts another ipoc on this app's database with settings `overrides` (e.g. a later
    /// `IPOC_NOW`: the same data on a later day) and returns its base URL once it answers.
    pub async fn another_instance_with(&self, overrides: &[(&str, &str)]) -> String {
        let mut vars: HashMap<String, String> = [
            ("IPOC_BIND", "127.0.0.1:0".to_string()),
            ("IPOC_DATABASE_URL", self.settings.database_url.clone()),
            (
                "IPOC_DATA_DIR",
                self.settings.data_dir.display().to_string(),
            ),
            ("IPOC_NOW", TODAY.to_string()),
            ("IPOC_WORKERS", "1".to_string()),
            ("IPOC_DB_MAX_CONNECTIONS", "5".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        for (k, v) in self
            .overrides
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(overrides.iter().copied())
        {
            vars.insert(k.to_string(), v.to_string());
        }
        let settings = Settings::from_lookup(|k| vars.get(k).cloned()).expect("settings");
        let application = Application::build(settings)
            .await
            .expect("build another instance");
        let address = format!("http://127.0.0.1:{}", application.port());
        tokio::spawn(application.run_until_stopped());
        address
    }

    /// Starts `program` (the `ipoc` binary) as a separate server process on this app's database
    /// with settings `overrides`, and returns once it listens: its start-up run has finished.
    pub async fn server_process(&self, program: &str, overrides: &[(&str, &str)]) -> ServerProcess {
        let mut vars =
            ServerProcess::settings(&self.settings.database_url, &self.settings.data_dir);
        vars.extend(self.overrides.iter().cloned());
        vars.extend(
            overrides
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        ServerProcess::start(program, &["serve"], vars).await
    }

    /// The HTML of the page `path` as the page session of `token` (the API token in its cookie).
    pub async fn page_as(&self, token: &str, path: &str) -> String {
        self.api
            .get(self.url(path))
            .header("Cookie", format!("ipoc_session={token}"))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("page text")
    }

    /// `GET path` with an optional Bearer token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.api.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    /// `method path` with a JSON body and an optional Bearer token.
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> reqwest::Response {
        let mut request = self.api.request(method, self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    /// `POST path` with a JSON body and an optional Bearer token.
    pub async fn post_json(
        &self,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> reqwest::Response {
        self.send_json(reqwest::Method::POST, path, token, body)
            .await
    }

    /// Logs in over the API and returns the token (panics unless 200).
    pub async fn login(&self, email: &str, password: &str) -> String {
        let response = self
            .post_json(
                "/api/v1/auth/login",
                None,
                &json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(response.status(), 200, "login of {email}");
        let body: Value = response.json().await.expect("json");
        body["token"].as_str().expect("token").to_string()
    }

    /// Creates an account with `role` (through the domain, as setup) and returns its id.
    pub async fn create_user(&self, email: &str, role: Role, region_code: Option<&str>) -> i32 {
        let input = NewUserInput {
            email: email.to_string(),
            name: String::new(),
            password: PASSWORD.to_string(),
            role,
            organization_id: None,
            center_id: None,
            region_code: region_code.map(str::to_string),
        };
        users::create(&self.db, None, input, chrono::Utc::now())
            .await
            .expect("create user")
            .id
    }

    /// A new expert working at organization `organization_id` (if any), logged in: its token,
    /// id and e-mail.
    pub async fn expert(&self, organization_id: Option<i32>) -> (String, i32, String) {
        let email = format!("expert-{}@test.ipoc.cn", uuid::Uuid::new_v4().simple());
        let input = NewUserInput {
            email: email.clone(),
            name: String::new(),
            password: PASSWORD.to_string(),
            role: Role::Expert,
            organization_id,
            center_id: None,
            region_code: None,
        };
        let id = users::create(&self.db, None, input, chrono::Utc::now())
            .await
            .expect("create expert")
            .id;
        (self.login(&email, PASSWORD).await, id, email)
    }

    /// The id of the organization with `uscc`.
    pub async fn organization_id(&self, uscc: &str) -> i32 {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        entities::organizations::Entity::find()
            .filter(entities::organizations::Column::Uscc.eq(uscc))
            .one(&self.db)
            .await
            .expect("query")
            .expect("organization")
            .id
    }

    /// A new local office of `region`, logged in: its token and e-mail.
    pub async fn office(&self, region: &str) -> (String, String) {
        let email = format!(
            "office-{region}-{}@test.ipoc.cn",
            uuid::Uuid::new_v4().simple()
        );
        self.create_user(&email, Role::LocalOffice, Some(region))
            .await;
        (self.login(&email, PASSWORD).await, email)
    }

    /// A new account with `role`, logged in: its token and id.
    pub async fn login_as(&self, role: Role) -> (String, i32) {
        let email = format!(
            "{}-{}@test.ipoc.cn",
            role.as_str(),
            uuid::Uuid::new_v4().simple()
        );
        let region = (role == Role::LocalOffice).then_some("320000");
        let id = self.create_user(&email, role, region).await;
        (self.login(&email, PASSWORD).await, id)
    }

    /// The number of audit rows with `action`.
    pub async fn audit_count(&self, action: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                self.db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = $1",
                [action.into()],
            ))
            .await
            .expect("count audit rows")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

/// The value of the hidden `csrf_token` field in a page.
pub fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("a form with a CSRF token") + marker.len();
    html[start..].split('"').next().expect("token").to_string()
}
