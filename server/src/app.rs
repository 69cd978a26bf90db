//! Building and running the server: state, middleware, routes.

use std::{net::TcpListener, sync::Arc};

use actix_web::{App, HttpServer, dev::Server, middleware::from_fn, web};
use sea_orm::DatabaseConnection;
use tracing_actix_web::TracingLogger;

use crate::{
    auth::ratelimit::ip_limiter,
    db::{self, DbHealth},
    domain::rulebook,
    error::AppError,
    routes,
    settings::Settings,
    state::AppState,
    templates::Templates,
    web::middleware::{database_faults, localize, private_responses, security_headers},
};

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    db: DatabaseConnection,
}

impl Application {
    /// Connects, migrates, makes sure rulebook version 1 exists, runs the scheduled work once,
    /// starts the mail worker and the schedule, and binds `settings.bind` — so `/health` answers
    /// only after the start-up run.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        Ok(Self::build_with(settings, FirstStart::Nothing).await?.0)
    }

    /// [`Application::build`], adding `first_start`'s data if missing; returns what it added.
    pub async fn build_with(
        settings: Settings,
        first_start: FirstStart,
    ) -> anyhow::Result<(Application, Added)> {
        let db = db::connect(&settings).await?;
        let added = prepare_database(&db, &settings, first_start).await?;
        let state = Self::state(&settings, db.clone())?;
        if !settings.is_sqlite() {
            db::watch_reachability(
                settings.database_url.clone(),
                Arc::downgrade(&state.db_health),
            );
        }
        crate::schedule::run_once(&state).await?;
        crate::schedule::start(state.clone());
        crate::schedule::start_mail_worker(&state)?;
        let poll = std::time::Duration::from_millis(settings.search.poll_ms);
        tokio::spawn(crate::search::follow::run(
            state.search.clone(),
            db.clone(),
            poll,
        ));
        Ok((Self::bind(settings, db, state)?, added))
    }

    /// What every handler reaches.
    fn state(settings: &Settings, db: DatabaseConnection) -> anyhow::Result<web::Data<AppState>> {
        Ok(web::Data::new(AppState {
            db: db.clone(),
            clock: settings.clock,
            templates: Arc::new(Templates::load()?),
            login_limiter: Arc::new(ip_limiter(settings.logins_per_ip_per_minute)),
            rulebook: rulebook::RulebookCache::new(std::time::Duration::from_secs(5)),
            figures: crate::domain::metrics::FiguresCache::new(settings.figures_cache_entries),
            // one dashboard per scope (cnipa's and each local office's region) and day
            dashboards: crate::domain::dashboard::DashboardCache::new(
                settings.figures_cache_entries.min(256),
            ),
            settings: Arc::new(settings.clone()),
            db_health: Arc::new(DbHealth::default()),
            mail_domain: settings.mail_domain(),
            search: crate::search::SearchIndex::open(&settings.search)?,
        }))
    }

    /// Binds a server with `state` over an open, migrated database.
    fn bind(
        settings: Settings,
        db: DatabaseConnection,
        state: web::Data<AppState>,
    ) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("IPOC_BIND {}: {e}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let workers = settings.workers;
        let report_uri = settings.csp_report_uri.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(web::PayloadConfig::new(crate::web::extract::BODY_LIMIT))
                .app_data(web::QueryConfig::default().error_handler(|err, _| {
                    // routes read queries with `ApiQuery`, which names the parameter
                    let message = err.to_string();
                    let message = message.trim_start_matches("Query deserialize error: ");
                    crate::json::query_error("query", message).into()
                }))
                .app_data(
                    web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()),
                )
                .wrap(from_fn(database_faults))
                .wrap(from_fn(localize))
                .wrap(from_fn(private_responses))
                .wrap(security_headers(report_uri.as_deref()))
                .wrap(TracingLogger::default())
                .configure(routes::configure)
                .default_service(web::to(|| async {
                    Err::<actix_web::HttpResponse, AppError>(AppError::NotFound)
                }))
        })
        .workers(workers)
        .listen(listener)?
        .run();
        Ok(Application { port, server, db })
    }

    /// The bound port (useful with `IPOC_BIND=127.0.0.1:0`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's database pool.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until the process is stopped.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// What the first start of a database adds besides the schema and rulebook version 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstStart {
    /// Nothing more.
    Nothing,
    /// One admin (`IPOC_ADMIN_EMAIL`) with a one-time password, if the database has no user.
    InitialAdmin,
    /// The demo accounts, organizations and centers that are missing.
    Demo,
}

/// What preparing the database added.
#[derive(Debug)]
pub enum Added {
    Nothing,
    /// The first admin: its e-mail and one-time password (to be shown once).
    Admin {
        email: String,
        password: String,
    },
    /// The demo data.
    Demo(crate::seed::demo::SeedReport),
}

/// Applies migrations, writes rulebook version 1 if missing and adds `first_start`'s data, all
/// under the database's migration lock: instances started at once do this one after another,
/// and each later one finds nothing left to do.
pub async fn prepare_database(
    db: &DatabaseConnection,
    settings: &Settings,
    first_start: FirstStart,
) -> anyhow::Result<Added> {
    let lock = migration::MigrationLock::acquire(&settings.database_url).await?;
    let prepared = prepare_locked(db, settings, first_start).await;
    lock.release().await?;
    prepared
}

async fn prepare_locked(
    db: &DatabaseConnection,
    settings: &Settings,
    first_start: FirstStart,
) -> anyhow::Result<Added> {
    let fail = |e: AppError| anyhow::anyhow!("{e}");
    let now = settings.clock.now();
    db::migrate(db).await?;
    rulebook::ensure_policy_version(db, now)
        .await
        .map_err(fail)?;
    Ok(match first_start {
        FirstStart::Nothing => Added::Nothing,
        FirstStart::Demo => Added::Demo(crate::seed::demo::seed(db, now).await.map_err(fail)?),
        FirstStart::InitialAdmin => {
            match crate::domain::users::ensure_initial_admin(db, &settings.initial_admin_email, now)
                .await
                .map_err(fail)?
            {
                Some((email, password)) => Added::Admin { email, password },
                None => Added::Nothing,
            }
        }
    })
}
