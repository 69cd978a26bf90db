//! What waits on an expert: each active assignment not yet scored, on an application or an
//! annual report still open, summarized (center, host, what, since when) — nothing of its content,
//! which the expert reads after declaring.

use chrono::NaiveDate;
use entities::{annual_reports, applications, centers, organizations, review_assignments};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::HashMap;

use crate::domain::{accreditation::status, reports};
use crate::error::AppError;

/// One assignment waiting on its expert.
#[derive(Debug, Serialize)]
pub struct ExpertTask {
    pub center_name: String,
    pub host_name: String,
    /// `application` or `report`.
    pub subject: &'static str,
    /// The report's year (none for an application).
    pub year: Option<i32>,
    /// Whether the conflict declaration is made (then the scores wait).
    pub declared: bool,
    pub assigned_on: NaiveDate,
    pub href: String,
}

/// The assignments of `expert_id` still to be declared or scored on applications under review
/// and submitted reports, oldest first.
pub async fn expert_tasks(
    db: &impl ConnectionTrait,
    expert_id: i32,
) -> Result<Vec<ExpertTask>, AppError> {
    let open = review_assignments::Entity::find()
        .filter(review_assignments::Column::ExpertId.eq(expert_id))
        .filter(review_assignments::Column::Active.eq(true))
        .filter(review_assignments::Column::ScoredAt.is_null())
        .order_by_asc(review_assignments::Column::AssignedAt)
        .all(db)
        .await?;
    let ids = |kind: &str| -> Vec<i32> {
        let of_kind = open.iter().filter(|a| a.subject_kind == kind);
        of_kind.map(|a| a.subject_id).collect()
    };
    let applications: HashMap<i32, applications::Model> = applications::Entity::find()
        .filter(applications::Column::Id.is_in(ids("application")))
        .filter(applications::Column::Status.is_in([status::RECOMMENDED, status::UNDER_REVIEW]))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let reports: HashMap<i32, annual_reports::Model> = annual_reports::Entity::find()
        .filter(annual_reports::Column::Id.is_in(ids("report")))
        .filter(annual_reports::Column::Status.eq(reports::status::SUBMITTED))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let center_ids =
        (applications.values().map(|a| a.center_id)).chain(reports.values().map(|r| r.center_id));
    let centers = centers_with_hosts(db, center_ids.collect()).await?;
    let task = |a: &review_assignments::Model| {
        let (center_id, year, href) = match a.subject_kind.as_str() {
            "application" => {
                let app = applications.get(&a.subject_id)?;
                (app.center_id, None, format!("/applications/{}", app.id))
            }
            _ => {
                let report = reports.get(&a.subject_id)?;
                let href = format!("/centers/{}/reports/{}", report.center_id, report.year);
                (report.center_id, Some(report.year), href)
            }
        };
        let (center_name, host_name) = centers.get(&center_id)?.clone();
        Some(ExpertTask {
            center_name,
            host_name,
            subject: if year.is_some() {
                "report"
            } else {
                "application"
            },
            year,
            declared: a.declared_at.is_some(),
            assigned_on: crate::clock::china_date(a.assigned_at),
            href,
        })
    };
    Ok(open.iter().filter_map(task).collect())
}

/// The names of the centers `ids` and of their hosts, by center id.
async fn centers_with_hosts(
    db: &impl ConnectionTrait,
    ids: Vec<i32>,
) -> Result<HashMap<i32, (String, String)>, AppError> {
    let centers = centers::Entity::find()
        .filter(centers::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let hosts: HashMap<i32, String> = organizations::Entity::find()
        .filter(organizations::Column::Id.is_in(centers.iter().map(|c| c.host_organization_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let named = |c: centers::Model| {
        let host = hosts
            .get(&c.host_organization_id)
            .cloned()
            .unwrap_or_default();
        (c.id, (c.name, host))
    };
    Ok(centers.into_iter().map(named).collect())
}
