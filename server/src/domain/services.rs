//! What a step of any subject reads besides its input: the database, the rulebook and figures
//! caches, the mail templates and sender, the app's clock and the public address of the site.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use super::{metrics, rulebook::RulebookCache};
use crate::templates::Templates;

/// What a workflow step reads besides its input: the database, the rulebook and figures caches,
/// the mail templates, the app's clock and the public address links in mail point to.
pub struct Services<'a> {
    pub db: &'a DatabaseConnection,
    pub rulebook: &'a RulebookCache,
    pub figures: &'a metrics::FiguresCache,
    pub templates: &'a Templates,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    pub public_url: &'a str,
    /// The domain of the sender's address, where each mail's `Message-ID` is made.
    pub mail_domain: &'a str,
}

impl<'a> Services<'a> {
    /// What a step needs to write mail into the outbox.
    pub fn mail(&self) -> crate::mail::Mail<'a> {
        crate::mail::Mail {
            templates: self.templates,
            domain: self.mail_domain,
        }
    }
}
