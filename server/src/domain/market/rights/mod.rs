//! A listed patent's rights: the recorded facts an open licence depends on (licences, pledges,
//! suspensions, the evaluation report), what bars a declaration, and the declarations.

pub mod bars;
pub mod declaration;
pub mod facts;
pub mod report;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{auth::CurrentUser, error::AppError, i18n::Lang};

/// A listing's rights as its reader sees them: the declaration in force, the earlier ones, the
/// recorded facts and — in the reader's language — what bars a declaration today.
#[derive(Debug, Serialize, ToSchema)]
pub struct Rights {
    pub open_licence: Option<declaration::DeclarationView>,
    pub declarations: Vec<declaration::DeclarationView>,
    pub facts: Vec<facts::FactView>,
    /// The conditions barring a declaration today (co-owners' consent is asked with it).
    pub bars: Vec<String>,
}

/// The rights of listing `id` on `today`, as `user` may read the listing.
pub async fn of_listing(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
    (today, lang): (NaiveDate, Lang),
) -> Result<Rights, AppError> {
    let declarations = declaration::history(db, user, id).await?;
    let recorded = facts::recorded(db, id, None).await?;
    let listing = entities::patent_listings::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let bars = bars::bars(&listing, &recorded, None, today)
        .iter()
        .map(|b| b.message().text(lang).to_string())
        .collect();
    Ok(Rights {
        open_licence: declarations
            .iter()
            .find(|d| d.ended_on.is_none() && d.until >= today)
            .cloned(),
        declarations,
        facts: recorded
            .into_iter()
            .map(|f| facts::view(f, today))
            .collect(),
        bars,
    })
}
