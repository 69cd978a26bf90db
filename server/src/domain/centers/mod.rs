//! Operation centers: creation by their staff, profiles, the admin-managed industries list, and
//! the scoped list of centers.

use chrono::{DateTime, Utc};
use entities::{centers, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    audit::AuditEntry,
    identifiers::{RegionCode, Uscc},
    organizations::{self, OrganizationView},
    users::Role,
};
use crate::{
    auth::CurrentUser,
    error::{AppError, FieldErrors},
    i18n::Msg,
};

mod filter;
mod industries;

pub use filter::{CenterFilter, CenterSort};
use industries::industry_exists;
pub use industries::{IndustryView, add_industry, industries};

/// The level of a center.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CenterLevel {
    National,
    Provincial,
    Municipal,
}

impl CenterLevel {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CenterLevel::National => "national",
            CenterLevel::Provincial => "provincial",
            CenterLevel::Municipal => "municipal",
        }
    }
}

/// Where a center stands in its life; later issues add the workflow states.
pub mod status {
    /// Created, not yet applied.
    pub const DRAFT: &str = "draft";
    /// Accredited, under public notice (公示) until the accreditation takes effect.
    pub const UNDER_NOTICE: &str = "under_notice";
    /// Accredited, in a construction cycle.
    pub const ACCREDITED: &str = "accredited";
    /// Left after an exit decision.
    pub const EXITED: &str = "exited";
}

/// A new center: `{"name","level","industry","region_code","host_uscc"}` (or `host_organization_id`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewCenterInput {
    pub name: String,
    pub level: CenterLevel,
    /// The Chinese name of an industry from `GET /api/v1/industries`.
    pub industry: String,
    pub region_code: String,
    #[serde(default)]
    pub host_uscc: Option<String>,
    #[serde(default)]
    pub host_organization_id: Option<i32>,
}

/// A center as its readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CenterView {
    pub id: i32,
    pub name: String,
    pub level: String,
    pub industry: String,
    pub region_code: String,
    pub province: String,
    pub status: String,
    pub host: Option<OrganizationView>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

/// A center as everyone may see it (members looking for an alliance to join).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicCenterView {
    pub id: i32,
    pub name: String,
    pub level: String,
    pub industry: String,
    pub region_code: String,
    pub province: String,
    pub status: String,
}

/// The Chinese name of the province of a stored region code.
pub fn province_name(region_code: &str) -> String {
    RegionCode::parse(region_code)
        .map(|r| r.province_names().0.to_string())
        .unwrap_or_default()
}

impl CenterView {
    /// The view of `center` with its host.
    pub fn new(center: centers::Model, host: Option<entities::organizations::Model>) -> CenterView {
        CenterView {
            province: province_name(&center.region_code),
            id: center.id,
            name: center.name,
            level: center.level,
            industry: center.industry,
            region_code: center.region_code,
            status: center.status,
            host: host.map(OrganizationView::from),
            version: center.version,
            created_at: center.created_at,
        }
    }
}

impl From<centers::Model> for PublicCenterView {
    fn from(center: centers::Model) -> Self {
        PublicCenterView {
            province: province_name(&center.region_code),
            id: center.id,
            name: center.name,
            level: center.level,
            industry: center.industry,
            region_code: center.region_code,
            status: center.status,
        }
    }
}

/// Longest center name accepted.
const MAX_NAME_CHARS: usize = 200;

/// Creates a center in `draft`; a `center` user without a center becomes its staff in the same
/// transaction (409 if it already has one); admins create without joining.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &DatabaseConnection,
    user: &CurrentUser,
    input: NewCenterInput,
    now: DateTime<Utc>,
) -> Result<centers::Model, AppError> {
    user.require(&[Role::Center, Role::Admin])?;
    if let (Role::Center, Some(existing)) = (user.role, user.center_id) {
        return Err(AppError::Conflict(Msg::new(
            format!("您已是运营中心 {existing} 的工作人员"),
            format!("you are already staff of center {existing}"),
        )));
    }
    let mut errors = FieldErrors::default();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        errors.add(
            "name",
            Msg::new(
                format!("名称不能为空，且不超过 {MAX_NAME_CHARS} 个字符"),
                format!("name is required, at most {MAX_NAME_CHARS} characters"),
            ),
        );
    }
    let industry = input.industry.trim().to_string();
    if !industry_exists(db, &industry).await? {
        errors.add(
            "industry",
            Msg::new(
                format!("产业“{industry}”不在产业目录中"),
                format!("industry '{industry}' is not in the industries list"),
            ),
        );
    }
    let region = RegionCode::parse(&input.region_code)
        .map_err(|e| errors.add("region_code", e.0))
        .ok();
    let host = find_host(
        db,
        input.host_uscc.as_deref(),
        input.host_organization_id,
        &mut errors,
    )
    .await?;
    let (region, host) = match (region, host) {
        (Some(region), Some(host)) if errors.is_empty() => (region, host),
        _ => return Err(AppError::Validation(errors)),
    };
    crate::db::write(db, async |txn| {
        let center = centers::ActiveModel {
            name: Set(name),
            level: Set(input.level.as_str().to_string()),
            industry: Set(industry),
            region_code: Set(region.to_string()),
            host_organization_id: Set(host.id),
            status: Set(status::DRAFT.to_string()),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        if user.role == Role::Center {
            // guarded: two centers created at once by one user leave it staff of exactly one
            let joined = users::Entity::update_many()
                .col_expr(users::Column::CenterId, Expr::value(center.id))
                .filter(users::Column::Id.eq(user.id))
                .filter(users::Column::CenterId.is_null())
                .exec(txn)
                .await?;
            if joined.rows_affected == 0 {
                return Err(AppError::Conflict(Msg::new(
                    "您已是另一运营中心的工作人员",
                    "you are already staff of another center",
                )));
            }
        }
        AuditEntry::new(Some(user.id), "center.create", "center", center.id)
            .after(&CenterView::new(center.clone(), Some(host)))
            .write(txn, now)
            .await?;
        Ok(center)
    })
    .await
}

async fn find_host(
    db: &impl ConnectionTrait,
    uscc: Option<&str>,
    id: Option<i32>,
    errors: &mut FieldErrors,
) -> Result<Option<entities::organizations::Model>, AppError> {
    match (uscc.map(str::trim).filter(|u| !u.is_empty()), id) {
        (Some(raw), _) => match Uscc::parse(raw) {
            Ok(code) => {
                let found = organizations::find_by_uscc(db, &code).await?;
                if found.is_none() {
                    errors.add("host_uscc", Msg::new(format!("统一社会信用代码 {code} 的机构尚未登记，请先登记建设主体"), format!("no organization with code {code} is registered; register the host first")));
                }
                Ok(found)
            }
            Err(e) => {
                errors.add("host_uscc", e.message());
                Ok(None)
            }
        },
        (None, Some(id)) => {
            let found = organizations::find_by_id(db, id).await?;
            if found.is_none() {
                errors.add(
                    "host_organization_id",
                    Msg::new(
                        format!("机构 {id} 不存在"),
                        format!("organization {id} does not exist"),
                    ),
                );
            }
            Ok(found)
        }
        (None, None) => {
            errors.add(
                "host_uscc",
                Msg::new(
                    "请填写建设主体的统一社会信用代码",
                    "host_uscc (or host_organization_id) is required",
                ),
            );
            Ok(None)
        }
    }
}

/// The center with its host organization.
pub async fn view(
    db: &impl ConnectionTrait,
    center: centers::Model,
) -> Result<CenterView, AppError> {
    let host = organizations::find_by_id(db, center.host_organization_id).await?;
    Ok(CenterView::new(center, host))
}

/// Moves the center's `version` (inside the transaction of a change that alters what its readers
/// see beyond its own row, e.g. a decision that opens a proposal), so cached renderings are
/// made anew.
pub async fn touch(
    db: &impl ConnectionTrait,
    center_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    centers::Entity::update_many()
        .col_expr(
            centers::Column::Version,
            Expr::col(centers::Column::Version).add(1),
        )
        .col_expr(centers::Column::UpdatedAt, Expr::value(now))
        .filter(centers::Column::Id.eq(center_id))
        .exec(db)
        .await?;
    Ok(())
}
