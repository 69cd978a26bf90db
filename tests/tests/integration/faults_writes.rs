//! Writes under a fault of the database, against the real `ipoc` binary with 4 writing clients:
//! on SQLite the disk fills up (a small tmpfs), on PostgreSQL the connection is cut (a proxy the
//! test owns). Every refused write is 503 `unavailable` with `Retry-After`, `/health` says why,
//! writes succeed again once the fault is gone, and after `kill -9` every 201 is in the database.

use std::{
    collections::BTreeSet,
    path::PathBuf,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use ipoc_tests::{
    Backend, FreshDatabase, ServerProcess, TcpProxy, TestApp, Tmpfs, backends, spawn_app_on, uscc,
};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

/// What one write was answered, and how long the answer took.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub contract_no: String,
    pub status: u16,
    pub code: Option<String>,
    pub retry_after: Option<String>,
    pub took: Duration,
}

/// Posts one deal numbered `contract_no` to `base` and records the answer.
pub async fn post_deal(
    client: &reqwest::Client,
    base: &str,
    center_id: i64,
    token: &str,
    contract_no: String,
) -> Outcome {
    let body = json!({"kind": "license", "amount": "1000.00", "contract_date": "2026-01-05",
        "patent_numbers": ["201710601862.3"], "counterparty_uscc": [uscc(999_999)], "contract_no": contract_no});
    let started = Instant::now();
    let response = client
        .post(format!("{base}/api/v1/centers/{center_id}/transactions"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await;
    let Ok(response) = response else {
        return Outcome {
            contract_no,
            status: 0,
            code: None,
            retry_after: None,
            took: started.elapsed(),
        };
    };
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body: Value = response.json().await.unwrap_or(Value::Null);
    Outcome {
        contract_no,
        status,
        code: body["error"]["code"].as_str().map(str::to_string),
        retry_after,
        took: started.elapsed(),
    }
}

/// `writers` loops posting deals to `base` until `stop`; every answer lands in `outcomes`.
fn start_writers(
    writers: usize,
    base: &str,
    center_id: i64,
    token: &str,
    stop: &Arc<AtomicBool>,
    outcomes: &Arc<Mutex<Vec<Outcome>>>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..writers)
        .map(|w| {
            let (base, token) = (base.to_string(), token.to_string());
            let (stop, outcomes) = (stop.clone(), outcomes.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let outcome =
                        post_deal(&client, &base, center_id, &token, format!("W{w}-{i}")).await;
                    outcomes.lock().unwrap().push(outcome);
                    i += 1;
                }
            })
        })
        .collect()
}

/// The contract numbers of a center's stored deals, read over a fresh connection.
async fn stored_contracts(url: &str, center_id: i64) -> BTreeSet<String> {
    let db = Database::connect(url).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT contract_no FROM transactions WHERE center_id = $1",
            [center_id.into()],
        ))
        .await
        .unwrap();
    let stored = rows
        .iter()
        .map(|r| r.try_get::<String>("", "contract_no").unwrap())
        .collect();
    db.close().await.unwrap();
    stored
}

/// The fault of a backend: a full disk under SQLite, a cut connection to PostgreSQL.
enum Injector {
    Disk(Tmpfs, Option<PathBuf>),
    Network(TcpProxy),
}

impl Injector {
    fn inject(&mut self) {
        match self {
            Injector::Disk(disk, filler) => *filler = Some(disk.fill()),
            Injector::Network(proxy) => proxy.cut(),
        }
    }

    fn clear(&mut self) {
        match self {
            Injector::Disk(disk, filler) => {
                if let Some(filler) = filler.take() {
                    disk.free(&filler);
                }
            }
            Injector::Network(proxy) => proxy.restore(),
        }
    }

    /// What `/health` says during the fault.
    fn health_label(&self) -> &'static str {
        match self {
            Injector::Disk(..) => "storage_full",
            Injector::Network(_) => "unreachable",
        }
    }
}

/// A test app for `backend` and, over the same database, the `ipoc` process under test (reaching
/// PostgreSQL through a proxy), with the fault to inject and the database's direct URL.
async fn setup(backend: &Backend) -> (TestApp, ServerProcess, Injector, String) {
    let (database, injector) = match backend {
        Backend::Sqlite => {
            let disk = Tmpfs::mount(24);
            let database = FreshDatabase::create_in(backend, disk.tempdir()).await;
            (database, Injector::Disk(disk, None))
        }
        Backend::Postgres(admin) => {
            let upstream = admin
                .split_once('@')
                .and_then(|(_, rest)| rest.split('/').next())
                .unwrap_or("127.0.0.1:5432")
                .to_string();
            let database = FreshDatabase::create(backend).await;
            (
                database,
                Injector::Network(TcpProxy::start(&upstream).await),
            )
        }
    };
    let url = database.url.clone();
    let app = spawn_app_on(database, backend, &[]).await;
    let through = match &injector {
        Injector::Network(proxy) => proxy.url_through(&url),
        Injector::Disk(..) => url.clone(),
    };
    let program = env!("CARGO_BIN_EXE_ipoc-process");
    let server = app
        .server_process(
            program,
            &[
                ("IPOC_DATABASE_URL", through.as_str()),
                ("IPOC_DB_MAX_CONNECTIONS", "4"),
                ("IPOC_WORKERS", "2"),
            ],
        )
        .await;
    (app, server, injector, url)
}

async fn health_of(client: &reqwest::Client, base: &str) -> (u16, Value, Option<String>) {
    let response = client.get(format!("{base}/health")).send().await.unwrap();
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    (status, response.json().await.unwrap(), retry)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_write_is_acknowledged_that_a_database_fault_then_loses() {
    for backend in backends() {
        let (app, mut server, mut fault, url) = setup(&backend).await;
        let center = app.center(1, "national", "320505").await;
        let (stop, outcomes) = (Arc::new(AtomicBool::new(false)), Arc::default());
        let writers = start_writers(
            4,
            &server.address,
            center.id,
            &center.token,
            &stop,
            &outcomes,
        );
        tokio::time::sleep(Duration::from_secs(1)).await;

        let (browser, csrf) = app.browser_login(&staff_email(&app, &center).await).await;
        fault.inject();
        let injected = outcomes.lock().unwrap().len();
        tokio::time::sleep(Duration::from_secs(3)).await;
        let (health, health_body, health_retry) = health_of(&app.api, &server.address).await;
        // a page during the fault: a read on PostgreSQL (unreachable); on SQLite a write (some
        // still fit a full disk, so until one is refused; those that fit are acknowledged deals)
        let mut page_acknowledged = Vec::new();
        let (mut page_status, mut page_text) = (0, String::new());
        for i in 0..20 {
            let page = match &fault {
                Injector::Network(_) => browser
                    .get(format!("{}/centers/{}", server.address, center.id))
                    .send()
                    .await
                    .unwrap(),
                Injector::Disk(..) => browser
                    .post(format!(
                        "{}/centers/{}/transactions",
                        server.address, center.id
                    ))
                    .form(&[
                        ("csrf_token", csrf.as_str()),
                        ("kind", "license"),
                        ("amount", "10.00"),
                        ("contract_date", "2026-01-05"),
                        ("counterparty_uscc", &uscc(999_999)),
                        ("contract_no", &format!("PAGE-{i}")),
                    ])
                    .send()
                    .await
                    .unwrap(),
            };
            page_status = page.status().as_u16();
            page_text = page.text().await.unwrap();
            if page_status == 503 {
                break;
            }
            assert_eq!(page_status, 303, "a page write that fit: {page_text}");
            page_acknowledged.push(format!("PAGE-{i}"));
        }
        fault.clear();
        let cleared = outcomes.lock().unwrap().len();
        tokio::time::sleep(Duration::from_secs(2)).await;
        stop.store(true, Ordering::Relaxed);
        for writer in writers {
            writer.await.unwrap();
        }

        // once the fault is gone, every write succeeds, one at a time
        let client = reqwest::Client::new();
        let mut after = Vec::new();
        for i in 0..10 {
            let outcome = post_deal(
                &client,
                &server.address,
                center.id,
                &center.token,
                format!("A-{i}"),
            )
            .await;
            assert_eq!(outcome.status, 201, "a write after the fault: {outcome:?}");
            after.push(outcome);
        }
        let recovering = Instant::now();
        let mut healthy_after = None;
        while healthy_after.is_none() && recovering.elapsed() < Duration::from_secs(20) {
            if health_of(&app.api, &server.address).await.0 == 200 {
                healthy_after = Some(recovering.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            healthy_after.is_some(),
            "healthy again once the fault is gone"
        );

        let outcomes = outcomes.lock().unwrap().clone();
        let refused: Vec<&Outcome> = outcomes.iter().filter(|o| o.status != 201).collect();
        assert!(
            !refused.is_empty(),
            "the fault refused some of {} writes",
            outcomes.len()
        );
        for outcome in &refused {
            assert_eq!(outcome.status, 503, "a refused write: {outcome:?}");
            assert_eq!(outcome.code.as_deref(), Some("unavailable"), "{outcome:?}");
            assert!(outcome.retry_after.is_some(), "Retry-After on {outcome:?}");
        }
        assert_eq!(health, 503, "/health during the fault: {health_body}");
        assert_eq!(
            health_body["database"],
            fault.health_label(),
            "{health_body}"
        );
        assert!(health_retry.is_some(), "Retry-After on /health");
        assert_eq!(page_status, 503, "a page during the fault");
        assert!(
            page_text.contains("服务暂时不可用"),
            "the unavailable page: {page_text}"
        );
        assert!(server.is_running(), "the ipoc process survived the fault");
        let stall_acknowledged = match &fault {
            Injector::Network(proxy) => stalled_network(proxy, &server.address, &center).await,
            Injector::Disk(..) => Vec::new(),
        };

        // kill -9, then read the database: every 201 is there
        server.kill();
        let acknowledged: BTreeSet<String> = outcomes
            .iter()
            .chain(&after)
            .filter(|o| o.status == 201)
            .map(|o| o.contract_no.clone())
            .chain(page_acknowledged)
            .chain(stall_acknowledged)
            .collect();
        let stored = stored_contracts(&url, center.id).await;
        let lost: Vec<&String> = acknowledged.difference(&stored).collect();
        assert!(
            lost.is_empty(),
            "{} acknowledged deals lost: {lost:?}",
            lost.len()
        );
        // the stalled request's outcome is unknown to its client (see `stalled_network`)
        let unacknowledged: Vec<&String> = stored
            .difference(&acknowledged)
            .filter(|c| !c.starts_with("S-"))
            .collect();
        match backend {
            // a COMMIT that SQLite refused wrote nothing
            Backend::Sqlite => assert!(
                unacknowledged.is_empty(),
                "refused yet stored: {unacknowledged:?}"
            ),
            // a COMMIT may reach PostgreSQL while its answer is cut: stored, yet answered 503
            Backend::Postgres(_) => assert!(
                unacknowledged.len() <= 4,
                "stored without an answer: {unacknowledged:?}"
            ),
        }
        let during: Vec<Duration> = outcomes[injected..cleared.max(injected)]
            .iter()
            .filter(|o| o.status == 503)
            .map(|o| o.took)
            .collect();
        eprintln!(
            "{backend:?}: {} writes, {} refused with 503 (slowest answer during the fault {:?}), {} stored, then healthy within {:?}",
            outcomes.len() + after.len(),
            refused.len(),
            during.iter().max(),
            stored.len(),
            healthy_after
        );
    }
}

/// The e-mail of the center's staff account (the fixture makes one per center).
async fn staff_email(app: &TestApp, center: &ipoc_tests::CenterFixture) -> String {
    let me: Value = app
        .get("/api/v1/me", Some(&center.token))
        .await
        .json()
        .await
        .unwrap();
    me["email"].as_str().unwrap().to_string()
}

/// Packets dropped between ipoc and PostgreSQL (nothing refused, nothing answered): a request
/// that waits on the database ends with 503 once the probe has found the database unreachable
/// (two probe timeouts), not at some connection timeout, and the next ones are answered 503 at
/// once; when the network is back, writes succeed again.
/// Returns the contract numbers it saw acknowledged.
async fn stalled_network(
    proxy: &TcpProxy,
    base: &str,
    center: &ipoc_tests::CenterFixture,
) -> Vec<String> {
    let client = reqwest::Client::new();
    proxy.stall();
    let waiting = post_deal(&client, base, center.id, &center.token, "S-1".into()).await;
    assert_eq!(
        (waiting.status, waiting.code.as_deref()),
        (503, Some("unavailable")),
        "{waiting:?}"
    );
    let next = post_deal(&client, base, center.id, &center.token, "S-2".into()).await;
    assert_eq!(next.status, 503, "{next:?}");
    proxy.restore();
    let back = Instant::now();
    let mut outcome = next.clone();
    for i in 0.. {
        outcome = post_deal(
            &client,
            base,
            center.id,
            &center.token,
            format!("A-back-{i}"),
        )
        .await;
        if outcome.status == 201 || back.elapsed() > Duration::from_secs(20) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        outcome.status, 201,
        "writes succeed again after the stall: {outcome:?}"
    );
    let acknowledged = vec![outcome.contract_no.clone()];
    eprintln!(
        "stalled network: the waiting request answered 503 after {:?}, the next in {:?}; a write succeeded {:?} after the network was back",
        waiting.took,
        next.took,
        back.elapsed()
    );
    acknowledged
}
