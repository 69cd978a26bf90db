//! A demand as its reader sees it: its state read from its last valid day, the member's name
//! unless anonymous to the reader, the contact only for those who may see it.

use chrono::{DateTime, NaiveDate, Utc};
use entities::{centers, demands, organizations};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde::Serialize;
use utoipa::ToSchema;

use super::input::{Checked, DemandInput, DemandStatus, Visibility, WantedMode};
use crate::{
    domain::{identifiers::Yuan, market::Contact},
    error::AppError,
};

/// The member a demand belongs to, as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DemandMember {
    pub id: i32,
    pub name: String,
    pub uscc: String,
}

/// The center whose staff registered a demand on its member's behalf.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OnBehalf {
    pub center_id: i32,
    pub center_name: String,
}

/// A demand as its reader sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DemandView {
    pub id: i32,
    pub title: String,
    pub description: String,
    pub industry: String,
    pub ipc: Vec<String>,
    pub keywords: Vec<String>,
    pub wanted_mode: WantedMode,
    /// Yuan, two decimals.
    pub budget_min: Option<String>,
    pub budget_max: Option<String>,
    pub valid_until: NaiveDate,
    pub visibility: Visibility,
    pub anonymous: bool,
    /// `null` when the demand is anonymous to the reader.
    pub member: Option<DemandMember>,
    pub contact: Option<Contact>,
    pub status: DemandStatus,
    pub registered_on_behalf: Option<OnBehalf>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The state of `row` on `today`: an open or matched demand past its last valid day is expired.
pub fn status_of(row: &demands::Model, today: NaiveDate) -> DemandStatus {
    match row.status.as_str() {
        "closed" => DemandStatus::Closed,
        _ if row.valid_until < today => DemandStatus::Expired,
        "matched" => DemandStatus::Matched,
        _ => DemandStatus::Open,
    }
}

/// A list as the JSON text its column holds.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// The checked values as a row's columns.
pub(super) fn fill(row: &mut demands::ActiveModel, c: Checked) {
    row.title = Set(c.title);
    row.description = Set(c.description);
    row.industry = Set(c.industry);
    row.ipc = Set(json(&c.ipc));
    row.keywords = Set(json(&c.keywords));
    row.wanted_mode = Set(crate::json::word(&c.wanted_mode));
    row.budget_min_fen = Set(c.budget_min.map(|y| y.fen()));
    row.budget_max_fen = Set(c.budget_max.map(|y| y.fen()));
    row.valid_until = Set(c.valid_until);
    row.visibility = Set(crate::json::word(&c.visibility));
    row.anonymous = Set(c.anonymous);
    row.contact_name = Set(c.contact.as_ref().map(|k| k.name.clone()));
    row.contact_phone = Set(c
        .contact
        .as_ref()
        .map(|k| k.phone.clone())
        .filter(|p| !p.is_empty()));
    row.contact_email = Set(c.contact.map(|k| k.email).filter(|e| !e.is_empty()));
}

/// A stored word as its enum.
fn parsed<T: serde::de::DeserializeOwned>(word: &str) -> Result<T, AppError> {
    serde_json::from_value(serde_json::Value::String(word.to_string()))
        .map_err(|_| AppError::Internal(anyhow::anyhow!("stored demand word unknown: {word}")))
}

/// The stored demand as the input that would make it (for a correction of some fields).
pub(super) fn input_of(row: &demands::Model) -> DemandInput {
    let list = |text: &str| serde_json::from_str::<Vec<String>>(text).unwrap_or_default();
    let yuan = |fen: Option<i64>| fen.and_then(Yuan::from_fen).map(|y| y.to_string());
    DemandInput {
        title: row.title.clone(),
        description: row.description.clone(),
        industry: row.industry.clone(),
        ipc: list(&row.ipc),
        keywords: list(&row.keywords),
        wanted_mode: parsed(&row.wanted_mode).ok(),
        budget_min: yuan(row.budget_min_fen),
        budget_max: yuan(row.budget_max_fen),
        valid_until: row.valid_until.to_string(),
        visibility: parsed(&row.visibility).ok(),
        anonymous: row.anonymous,
        contact: row.contact_name.as_ref().map(|name| Contact {
            name: name.clone(),
            phone: row.contact_phone.clone().unwrap_or_default(),
            email: row.contact_email.clone().unwrap_or_default(),
        }),
        member_uscc: None,
    }
}

/// What a reader may see of a demand beyond its public fields.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sight {
    /// Its own organization or a center holding it: the contact and the name.
    pub manages: bool,
    pub today: NaiveDate,
}

/// The row as a reader sees it; `member` and `center` as read for it.
pub(super) fn view(
    row: demands::Model,
    (member, center): (&organizations::Model, Option<&centers::Model>),
    sight: Sight,
) -> Result<DemandView, AppError> {
    let input = input_of(&row);
    let shows_name = sight.manages || !row.anonymous;
    Ok(DemandView {
        id: row.id,
        status: status_of(&row, sight.today),
        title: row.title,
        description: row.description,
        industry: row.industry,
        ipc: input.ipc,
        keywords: input.keywords,
        wanted_mode: parsed(&row.wanted_mode)?,
        budget_min: input.budget_min,
        budget_max: input.budget_max,
        valid_until: row.valid_until,
        visibility: parsed(&row.visibility)?,
        anonymous: row.anonymous,
        member: shows_name.then(|| DemandMember {
            id: member.id,
            name: member.name.clone(),
            uscc: member.uscc.clone(),
        }),
        contact: input.contact.filter(|_| sight.manages),
        registered_on_behalf: center.map(|c| OnBehalf {
            center_id: c.id,
            center_name: c.name.clone(),
        }),
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// `rows` as a reader sees them, their members and centers read in one query each;
/// `manages` tells whether the reader manages a member.
pub(super) async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<demands::Model>,
    manages: impl Fn(i32) -> bool,
    today: NaiveDate,
) -> Result<Vec<DemandView>, AppError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let member_ids: Vec<i32> = rows.iter().map(|r| r.member_organization_id).collect();
    let center_ids: Vec<i32> = rows.iter().filter_map(|r| r.on_behalf_center_id).collect();
    let members: std::collections::HashMap<i32, organizations::Model> =
        organizations::Entity::find()
            .filter(organizations::Column::Id.is_in(member_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
    let centers: std::collections::HashMap<i32, centers::Model> = centers::Entity::find()
        .filter(centers::Column::Id.is_in(center_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    rows.into_iter()
        .map(|row| {
            let member = members
                .get(&row.member_organization_id)
                .ok_or(AppError::NotFound)?;
            let center = row.on_behalf_center_id.and_then(|c| centers.get(&c));
            let sight = Sight {
                manages: manages(member.id),
                today,
            };
            view(row, (member, center), sight)
        })
        .collect()
}
