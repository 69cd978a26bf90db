//! Building and running the server: state, middleware, routes.

use std::{net::TcpListener, sync::Arc};

use actix_web::{
    App, HttpMessage, HttpServer,
    body::MessageBody,
    cookie::{Cookie, SameSite},
    dev::{Server, ServiceRequest, ServiceResponse},
    middleware::{DefaultHeaders, Next, from_fn},
    web,
};
use sea_orm::DatabaseConnection;
use tracing_actix_web::TracingLogger;

use crate::{
    auth::{
        csrf::{self, CSRF_COOKIE, FreshCsrf},
        ratelimit::{IpLimiter, ip_limiter},
    },
    clock::Clock,
    db,
    domain::rulebook,
    error::AppError,
    i18n::{LANG_COOKIE, Lang, Msg},
    routes,
    settings::Settings,
    templates::Templates,
};

/// What every handler can reach.
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub clock: Clock,
    pub templates: Arc<Templates>,
    pub login_limiter: Arc<IpLimiter>,
    pub rulebook: rulebook::RulebookCache,
    pub figures: crate::domain::metrics::FiguresCache,
    pub dashboards: crate::domain::dashboard::DashboardCache,
}

impl AppState {
    /// What a workflow step reads besides its input, at the app clock's present.
    pub fn services(&self) -> crate::domain::accreditation::Services<'_> {
        crate::domain::accreditation::Services {
            db: &self.db,
            rulebook: &self.rulebook,
            figures: &self.figures,
            templates: &self.templates,
            today: self.clock.today(),
            now: self.clock.now(),
            public_url: &self.settings.public_url,
        }
    }
}

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
        let db = db::connect(&settings).await?;
        prepare_database(&db, &settings).await?;
        let state = Self::state(&settings, db.clone())?;
        crate::schedule::run_once(&state).await?;
        crate::schedule::start(state.clone());
        crate::schedule::start_mail_worker(&state)?;
        Self::bind(settings, db, state)
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
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(web::QueryConfig::default().error_handler(|err, _| {
                    AppError::field(
                        "query",
                        Msg::new(
                            format!("查询参数不正确：{err}"),
                            format!("invalid query parameter: {err}"),
                        ),
                    )
                    .into()
                }))
                .app_data(
                    web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()),
                )
                .wrap(from_fn(localize))
                .wrap(security_headers())
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

/// Applies migrations and writes rulebook version 1 if missing.
pub async fn prepare_database(db: &DatabaseConnection, settings: &Settings) -> anyhow::Result<()> {
    db::migrate(db).await?;
    rulebook::ensure_policy_version(db, settings.clock.now())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

/// Security headers on every response: a CSP without inline script, no sniffing, no framing.
fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
             connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
}

/// Picks the caller's language, mints a CSRF cookie for pages, remembers `?lang=`, and rewrites
/// every error in the caller's language: JSON under `/api` and `/health`, a page elsewhere.
async fn localize(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = req.path().to_string();
    let is_api = path.starts_with("/api/") || path == "/health";
    let lang = Lang::of_request(req.request());
    let chosen = Lang::from_query(req.query_string());
    req.extensions_mut().insert(lang);
    let fresh_csrf = (!is_api && req.cookie(CSRF_COOKIE).is_none()).then(csrf::new_token);
    if let Some(token) = &fresh_csrf {
        req.extensions_mut().insert(FreshCsrf(token.clone()));
    }
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let secure = state.as_ref().is_some_and(|s| s.settings.cookie_secure);
    let mut res = next.call(req).await?.map_into_boxed_body();
    let rewritten = res
        .response()
        .error()
        .map(|err| match err.as_error::<AppError>() {
            Some(app_err) if is_api => app_err.json_response(lang),
            Some(app_err) => {
                routes::pages::error_page(state.as_ref().map(|s| s.get_ref()), app_err, lang, &path)
            }
            None => AppError::from_status(res.status()).json_response(lang),
        });
    if let Some(response) = rewritten {
        res = res.into_response(response);
    }
    if let Some(lang) = chosen {
        let cookie = Cookie::build(LANG_COOKIE, lang.tag())
            .path("/")
            .same_site(SameSite::Lax)
            .max_age(actix_web::cookie::time::Duration::days(365))
            .finish();
        let _ = res.response_mut().add_cookie(&cookie);
    }
    if let Some(token) = fresh_csrf {
        let _ = res.response_mut().add_cookie(&csrf::cookie(token, secure));
    }
    Ok(res)
}
