//! Market evaluations (市场评价): an enterprise records, per listing, its industrialization
//! prospect, the technical improvements it needs and its cooperation intent — one current
//! evaluation per enterprise and listing. The enterprise, the listing's owner and the centers
//! whose alliance holds the owner see each evaluation; everyone else the count and the average.

use chrono::{DateTime, Utc};
use entities::{listing_evaluations as evaluations, organizations};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{input::Contact, reads::get, rows::manages};
use crate::{
    auth::CurrentUser,
    domain::{audit::AuditEntry, users::Role},
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// What an enterprise would do with a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Transfer,
    License,
    JointRd,
    None,
}

/// An evaluation as sent: `{"prospect":1..5,"improvement_needs","intent"}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct EvaluationInput {
    /// Industrialization prospect, 1 (poor) to 5 (excellent).
    pub prospect: Option<i32>,
    #[serde(default)]
    pub improvement_needs: String,
    pub intent: Option<Intent>,
    /// The enterprise's own contact, for the owner and the centers holding it (optional).
    #[serde(default)]
    pub contact: Option<Contact>,
}

/// A correction of the caller's own evaluation at its `version`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EvaluationUpdate {
    pub version: i32,
    #[serde(flatten)]
    pub input: EvaluationInput,
}

/// One evaluation as those who may see it read it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvaluationView {
    pub id: i32,
    pub listing_id: i32,
    pub enterprise: String,
    pub prospect: i32,
    pub improvement_needs: String,
    pub intent: Intent,
    pub contact: Option<Contact>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A listing's evaluations as the caller may see them: the count and the average prospect for
/// everyone, each evaluation for the owner's side, one's own for an enterprise.
#[derive(Debug, Serialize, ToSchema)]
pub struct Evaluations {
    pub count: usize,
    /// The average prospect, one decimal (`"3.5"`), none before the first evaluation.
    pub average_prospect: Option<String>,
    pub items: Vec<EvaluationView>,
    pub mine: Option<EvaluationView>,
}

/// An evaluation once every field is checked.
struct Checked {
    prospect: i32,
    needs: String,
    intent: Intent,
    contact: Option<Contact>,
}

impl Checked {
    /// The checked values as a row's columns.
    fn fill(self, row: &mut evaluations::ActiveModel) {
        row.prospect = Set(self.prospect);
        row.improvement_needs = Set(self.needs);
        row.intent = Set(crate::json::word(&self.intent));
        let contact = self.contact.unwrap_or_default();
        let some = |v: String| Some(v).filter(|v| !v.is_empty());
        row.contact_name = Set(some(contact.name));
        row.contact_phone = Set(some(contact.phone));
        row.contact_email = Set(some(contact.email));
    }
}

impl EvaluationInput {
    /// Every field checked at once.
    fn check(&self) -> Result<Checked, AppError> {
        let mut errors = FieldErrors::default();
        let prospect = self.prospect.filter(|p| (1..=5).contains(p));
        if prospect.is_none() {
            errors.add(
                "prospect",
                Msg::new("请选择产业化前景（1 到 5）", "choose the prospect (1 to 5)"),
            );
        }
        let needs = self.improvement_needs.trim().to_string();
        if needs.chars().count() > 2_000 {
            errors.add(
                "improvement_needs",
                Msg::new(
                    "技术改进需求最多 2000 个字符",
                    "improvement needs hold at most 2,000 characters",
                ),
            );
        }
        if self.intent.is_none() {
            errors.add(
                "intent",
                Msg::new("请选择合作意向", "choose the cooperation intent"),
            );
        }
        let contact = (self.contact.as_ref())
            .filter(|c| {
                !(c.name.trim().is_empty()
                    && c.phone.trim().is_empty()
                    && c.email.trim().is_empty())
            })
            .map(|c| c.checked(&mut errors));
        errors.into_result(())?;
        Ok(Checked {
            prospect: prospect.unwrap_or(1),
            needs,
            intent: self.intent.unwrap_or(Intent::None),
            contact,
        })
    }
}

/// The enterprise `user` evaluates for: 403 unless a member of an enterprise other than the owner.
async fn enterprise_of(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    owner_id: i32,
) -> Result<organizations::Model, AppError> {
    let only = || {
        AppError::ForbiddenBecause(Msg::new(
            "企业用户可以评价其他机构的专利",
            "members of an enterprise evaluate other organizations' patents",
        ))
    };
    let org_id = match (user.role, user.organization_id) {
        (Role::Member, Some(org)) if org != owner_id => org,
        _ => return Err(only()),
    };
    let org = organizations::Entity::find_by_id(org_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if org.kind != "enterprise" {
        return Err(only());
    }
    Ok(org)
}

/// Whether `user` may evaluate what `owner_id` lists (a member of another enterprise).
pub async fn may_evaluate(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    owner_id: i32,
) -> Result<bool, AppError> {
    match enterprise_of(db, user, owner_id).await {
        Ok(_) => Ok(true),
        Err(AppError::ForbiddenBecause(_)) => Ok(false),
        Err(other) => Err(other),
    }
}

/// Records `user`'s enterprise's evaluation of listing `listing_id`: 409 when it has one already
/// (correct that one), 404 for a listing the caller cannot read.
pub async fn evaluate(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    listing_id: i32,
    input: &EvaluationInput,
    now: DateTime<Utc>,
) -> Result<EvaluationView, AppError> {
    let listing = get(txn, user, listing_id).await?;
    let org = enterprise_of(txn, user, listing.owner.id).await?;
    let mut row = evaluations::ActiveModel {
        listing_id: Set(listing_id),
        organization_id: Set(org.id),
        evaluated_by: Set(user.id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    input.check()?.fill(&mut row);
    let saved = row.insert(txn).await.map_err(evaluated_already)?;
    AuditEntry::new(
        Some(user.id),
        "evaluation.create",
        "listing_evaluation",
        saved.id,
    )
    .write(txn, now)
    .await?;
    view(saved, org.name)
}

/// Corrects `user`'s enterprise's own evaluation of listing `listing_id` at its version (404
/// when it has none, 409 when stale).
pub async fn update_mine(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    listing_id: i32,
    update: &EvaluationUpdate,
    now: DateTime<Utc>,
) -> Result<EvaluationView, AppError> {
    let listing = get(txn, user, listing_id).await?;
    let org = enterprise_of(txn, user, listing.owner.id).await?;
    let mine = evaluations::Entity::find()
        .filter(evaluations::Column::ListingId.eq(listing_id))
        .filter(evaluations::Column::OrganizationId.eq(org.id))
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut next = evaluations::ActiveModel {
        evaluated_by: Set(user.id),
        version: Set(mine.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    update.input.check()?.fill(&mut next);
    let changed = evaluations::Entity::update_many()
        .set(next)
        .filter(evaluations::Column::Id.eq(mine.id))
        .filter(evaluations::Column::Version.eq(update.version))
        .exec(txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(AppError::Conflict(Msg::new(
            format!("评价已被修改（当前版本 {}），请刷新后重试", mine.version),
            format!(
                "the evaluation has changed (now version {}); reload and try again",
                mine.version
            ),
        )));
    }
    AuditEntry::new(
        Some(user.id),
        "evaluation.update",
        "listing_evaluation",
        mine.id,
    )
    .write(txn, now)
    .await?;
    let saved = evaluations::Entity::find_by_id(mine.id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    view(saved, org.name)
}

/// Listing `listing_id`'s evaluations as `user` may see them.
pub async fn of_listing(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    listing_id: i32,
) -> Result<Evaluations, AppError> {
    let listing = get(db, user, listing_id).await?;
    let all = evaluations::Entity::find()
        .filter(evaluations::Column::ListingId.eq(listing_id))
        .order_by_desc(evaluations::Column::UpdatedAt)
        .all(db)
        .await?;
    let count = all.len();
    let sum: i64 = all.iter().map(|e| i64::from(e.prospect)).sum();
    let average_prospect = (count > 0).then(|| format!("{:.1}", sum as f64 / count as f64));
    let sees_all = manages(db, user, listing.owner.id).await?;
    let ids: Vec<i32> = all.iter().map(|e| e.organization_id).collect();
    let names: std::collections::HashMap<i32, String> = organizations::Entity::find()
        .filter(organizations::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut items = Vec::new();
    let mut mine = None;
    for row in all {
        let own = user.role == Role::Member && user.organization_id == Some(row.organization_id);
        let name = names.get(&row.organization_id).cloned().unwrap_or_default();
        let seen = view(row, name)?;
        if own {
            mine = Some(seen.clone());
        }
        if sees_all || own {
            items.push(seen);
        }
    }
    Ok(Evaluations {
        count,
        average_prospect,
        items,
        mine,
    })
}

/// A second evaluation by one enterprise (the unique index refused it) is 409.
fn evaluated_already(err: sea_orm::DbErr) -> AppError {
    let text = err.to_string();
    if text.contains("ux_listing_evaluations_once")
        || text.contains("listing_evaluations.listing_id")
    {
        let why = Msg::new(
            "本企业已评价过这项专利，请修改原来的评价",
            "your enterprise has evaluated this patent already; correct that evaluation",
        );
        return AppError::Conflict(why);
    }
    err.into()
}

/// The row as a reader sees it.
fn view(row: evaluations::Model, enterprise: String) -> Result<EvaluationView, AppError> {
    let intent = serde_json::from_value(serde_json::Value::String(row.intent.clone()))
        .map_err(|_| AppError::Internal(anyhow::anyhow!("stored intent unknown")))?;
    Ok(EvaluationView {
        id: row.id,
        listing_id: row.listing_id,
        enterprise,
        prospect: row.prospect,
        improvement_needs: row.improvement_needs,
        intent,
        contact: row.contact_name.map(|name| Contact {
            name,
            phone: row.contact_phone.unwrap_or_default(),
            email: row.contact_email.unwrap_or_default(),
        }),
        version: row.version,
        updated_at: row.updated_at,
    })
}
