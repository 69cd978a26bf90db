//! A listing's row and what readers see of it: the columns from checked values, the stored row
//! back as input (for a correction of some fields), and the view with its contact only for those
//! who may see it.

use chrono::{DateTime, NaiveDate, Utc};
use entities::{organizations, patent_listings as listings};
use sea_orm::{ConnectionTrait, Set};
use serde::Serialize;
use utoipa::ToSchema;

use super::input::{Checked, Contact, LegalStatus, ListingInput, OfferedMode};
use crate::{
    auth::CurrentUser,
    domain::{alliance::active_organization_ids, organizations::OrganizationView, users::Role},
    error::AppError,
};

/// A listing as its reader sees it (`contact` only for those who may see it).
#[derive(Debug, Serialize, ToSchema)]
pub struct ListingView {
    pub id: i32,
    pub application_number: String,
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    pub claims: Option<String>,
    pub ipc: Vec<String>,
    /// `invention`, `utility_model` or `design`.
    pub patent_type: String,
    pub owner: OrganizationView,
    pub co_owner_uscc: Vec<String>,
    pub inventors: Vec<String>,
    pub application_date: Option<NaiveDate>,
    pub grant_date: Option<NaiveDate>,
    pub legal_status: LegalStatus,
    pub legal_status_since: NaiveDate,
    pub annual_fee_paid_until: Option<NaiveDate>,
    pub industry: String,
    pub maturity: Option<i32>,
    pub offered_modes: Vec<OfferedMode>,
    /// Yuan, two decimals.
    pub asking_price: Option<String>,
    pub contact: Option<Contact>,
    /// `listed` or `withdrawn`.
    pub status: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Who may manage (and see the contact of) what `owner_id` lists: its own people, and the staff
/// of a center whose alliance holds it.
pub async fn manages(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    owner_id: i32,
) -> Result<bool, AppError> {
    Ok(managed_owners(db, user).await?.contains(&owner_id))
}

/// The organizations whose listings `user` manages (its own; a center's alliance today).
pub(super) async fn managed_owners(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
) -> Result<std::collections::HashSet<i32>, AppError> {
    Ok(match (user.role, user.center_id, user.organization_id) {
        (Role::Center, Some(center), _) => active_organization_ids(db, center).await?,
        (Role::Member, _, Some(org)) => std::collections::HashSet::from([org]),
        _ => std::collections::HashSet::new(),
    })
}

/// The checked values as a row's columns (`open`: an open licence is in force, so its mode is
/// offered too).
pub(super) fn fill(row: &mut listings::ActiveModel, c: Checked, open: bool) {
    let mut modes = c.offered_modes.clone();
    if open {
        modes.push(OfferedMode::OpenLicense);
    }
    row.application_number = Set(c.number.to_string());
    row.patent_type = Set(c.patent_type.to_string());
    row.title = Set(c.title);
    row.abstract_text = Set(c.abstract_text);
    row.claims = Set(c.claims);
    row.ipc = Set(json(&c.ipc));
    row.co_owner_uscc = Set(json(&c.co_owner_uscc));
    row.inventors = Set(json(&c.inventors));
    row.industry = Set(c.industry);
    row.legal_status = Set(c.legal_status.as_str().to_string());
    row.application_date = Set(c.application_date);
    row.grant_date = Set(c.grant_date);
    row.annual_fee_paid_until = Set(c.annual_fee_paid_until);
    row.maturity = Set(c.maturity);
    row.offered_modes = Set(json(&modes));
    row.asking_price_fen = Set(c.asking_price.map(|p| p.fen()));
    row.contact_name = Set(c.contact.as_ref().map(|k| k.name.clone()));
    row.contact_phone = Set(c
        .contact
        .as_ref()
        .map(|k| k.phone.clone())
        .filter(|p| !p.is_empty()));
    row.contact_email = Set(c.contact.map(|k| k.email).filter(|e| !e.is_empty()));
}

/// A list as the JSON text its column holds.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// The stored listing as the input that would make it (for a correction of some fields).
pub(super) fn input_of(row: &listings::Model) -> ListingInput {
    let list = |text: &str| serde_json::from_str::<Vec<String>>(text).unwrap_or_default();
    ListingInput {
        application_number: row.application_number.clone(),
        title: row.title.clone(),
        abstract_text: row.abstract_text.clone(),
        claims: row.claims.clone(),
        ipc: list(&row.ipc),
        owner_uscc: None,
        co_owner_uscc: list(&row.co_owner_uscc),
        inventors: list(&row.inventors),
        industry: row.industry.clone(),
        legal_status: serde_json::from_value(serde_json::Value::String(row.legal_status.clone()))
            .ok(),
        application_date: row.application_date.map(|d| d.to_string()),
        grant_date: row.grant_date.map(|d| d.to_string()),
        annual_fee_paid_until: row.annual_fee_paid_until.map(|d| d.to_string()),
        offered_modes: serde_json::from_str(&row.offered_modes).unwrap_or_default(),
        maturity: row.maturity,
        asking_price: row
            .asking_price_fen
            .and_then(crate::domain::identifiers::Yuan::from_fen)
            .map(|y| y.to_string()),
        contact: row.contact_name.as_ref().map(|name| Contact {
            name: name.clone(),
            phone: row.contact_phone.clone().unwrap_or_default(),
            email: row.contact_email.clone().unwrap_or_default(),
        }),
    }
}

/// The row as a reader sees it, with its contact when `sees_contact`.
pub(super) fn view(
    row: listings::Model,
    owner: organizations::Model,
    sees_contact: bool,
) -> Result<ListingView, AppError> {
    let input = input_of(&row);
    Ok(ListingView {
        id: row.id,
        application_number: row.application_number,
        title: row.title,
        abstract_text: row.abstract_text,
        claims: row.claims,
        ipc: input.ipc,
        patent_type: row.patent_type,
        owner: owner.into(),
        co_owner_uscc: input.co_owner_uscc,
        inventors: input.inventors,
        application_date: row.application_date,
        grant_date: row.grant_date,
        legal_status: input
            .legal_status
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("stored legal status unknown")))?,
        legal_status_since: row.legal_status_since,
        annual_fee_paid_until: row.annual_fee_paid_until,
        industry: row.industry,
        maturity: row.maturity,
        offered_modes: input.offered_modes,
        asking_price: input.asking_price,
        contact: input.contact.filter(|_| sees_contact),
        status: row.status,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}
