//! What a member's home shows: the alliances its organization belongs to, its join requests and
//! their states, and the centers of the public list it may ask to join.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entities::{centers, join_requests, memberships};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::domain::public::{self, PublicListedCenter};
use crate::error::AppError;

/// An alliance the organization belongs to.
#[derive(Debug, Serialize)]
pub struct AllianceRow {
    pub center_id: i32,
    pub center_name: String,
    pub joined_on: NaiveDate,
}

/// A join request of the organization.
#[derive(Debug, Serialize)]
pub struct RequestRow {
    pub center_name: String,
    /// `pending`, `approved` or `declined`.
    pub status: String,
    pub reason: Option<String>,
    pub asked_on: NaiveDate,
}

/// A member's home.
#[derive(Debug, Serialize)]
pub struct MemberHome {
    pub alliances: Vec<AllianceRow>,
    pub requests: Vec<RequestRow>,
    /// Centers of the public list whose alliance neither holds the organization nor has its
    /// request waiting.
    pub joinable: Vec<PublicListedCenter>,
}

/// The home of a member of `organization_id`.
pub async fn member_home(
    db: &impl ConnectionTrait,
    organization_id: i32,
) -> Result<MemberHome, AppError> {
    let held = memberships::Entity::find()
        .filter(memberships::Column::OrganizationId.eq(organization_id))
        .filter(memberships::Column::LeftOn.is_null())
        .filter(memberships::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    let asked = join_requests::Entity::find()
        .filter(join_requests::Column::OrganizationId.eq(organization_id))
        .order_by_desc(join_requests::Column::CreatedAt)
        .all(db)
        .await?;
    let ids: HashSet<i32> = held
        .iter()
        .map(|m| m.center_id)
        .chain(asked.iter().map(|r| r.center_id))
        .collect();
    let names: HashMap<i32, String> = centers::Entity::find()
        .filter(centers::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let name = |id: i32| names.get(&id).cloned().unwrap_or_default();
    let taken: HashSet<i32> = held
        .iter()
        .map(|m| m.center_id)
        .chain(
            asked
                .iter()
                .filter(|r| r.status == "pending")
                .map(|r| r.center_id),
        )
        .collect();
    let joinable = public::public_list(db)
        .await?
        .into_iter()
        .filter(|c| !taken.contains(&c.id))
        .collect();
    Ok(MemberHome {
        alliances: held
            .iter()
            .map(|m| AllianceRow {
                center_id: m.center_id,
                center_name: name(m.center_id),
                joined_on: m.joined_on,
            })
            .collect(),
        requests: asked
            .iter()
            .map(|r| RequestRow {
                center_name: name(r.center_id),
                status: r.status.clone(),
                reason: r.reason.clone(),
                asked_on: crate::clock::china_date(r.created_at),
            })
            .collect(),
        joinable,
    })
}
