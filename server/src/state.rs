//! What every handler can reach: the database and its health, the settings and clock, the
//! templates, the rate limiter and the caches.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{
    auth::ratelimit::IpLimiter, clock::Clock, db::DbHealth, domain::rulebook, settings::Settings,
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
    /// The database's health as this instance sees it (`/health`, 503 while unreachable).
    pub db_health: Arc<DbHealth>,
    /// The domain of `IPOC_MAIL_FROM`.
    pub mail_domain: String,
    /// This instance's search index (a cache of the database).
    pub search: Arc<crate::search::SearchIndex>,
}

impl AppState {
    /// What a workflow step reads besides its input, at the app clock's present.
    pub fn services(&self) -> crate::domain::services::Services<'_> {
        crate::domain::services::Services {
            db: &self.db,
            rulebook: &self.rulebook,
            figures: &self.figures,
            templates: &self.templates,
            today: self.clock.today(),
            now: self.clock.now(),
            public_url: &self.settings.public_url,
            mail_domain: &self.mail_domain,
        }
    }
}
