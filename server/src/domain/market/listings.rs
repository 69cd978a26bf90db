//! Listing a patent in the conversion resource library (an owner, or a center's staff for an
//! organization of its alliance), correcting it at a version, withdrawing and relisting it.

use chrono::{DateTime, NaiveDate, Utc};
use entities::{organizations, patent_listings as listings};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::input::{Checked, ListingInput, ListingPatch};
pub use super::reads::{all, get, list};
use super::rows::{ListingView, fill, input_of, manages, view};
use crate::{
    auth::CurrentUser,
    domain::{audit::AuditEntry, centers::industries, identifiers::Uscc, users::Role},
    error::{AppError, FieldErrors},
    i18n::Msg,
    search::{Kind, follow::changed},
};

/// The organization kinds that own what they list.
pub(super) const OWNER_KINDS: [&str; 4] =
    ["university", "research_institute", "hospital", "enterprise"];

/// The organization a new listing belongs to, as `user` may list for it.
async fn owner_for(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    owner_uscc: Option<&str>,
) -> Result<organizations::Model, AppError> {
    let named = match owner_uscc.map(str::trim).filter(|u| !u.is_empty()) {
        Some(raw) => {
            let code = Uscc::parse(raw).map_err(|e| AppError::field("owner_uscc", e.message()))?;
            let found = crate::domain::organizations::find_by_uscc(db, &code).await?;
            Some(found.ok_or_else(|| {
                AppError::field(
                    "owner_uscc",
                    Msg::new("该机构尚未登记", "no organization has this code"),
                )
            })?)
        }
        None => None,
    };
    let owner = match (user.role, named) {
        (Role::Member, named) => {
            let own = user.organization_id.ok_or_else(|| {
                AppError::ForbiddenBecause(Msg::new(
                    "账号尚未关联机构",
                    "the account belongs to no organization yet",
                ))
            })?;
            if named.as_ref().is_some_and(|n| n.id != own) {
                return Err(AppError::field(
                    "owner_uscc",
                    Msg::new(
                        "只能登记本机构的专利",
                        "a member lists only its own organization's patents",
                    ),
                ));
            }
            organizations::Entity::find_by_id(own)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?
        }
        (Role::Center, Some(named)) => named,
        (Role::Center, None) => {
            return Err(AppError::field(
                "owner_uscc",
                Msg::new("请填写专利权人的统一社会信用代码", "name the owner's USCC"),
            ));
        }
        _ => return Err(AppError::Forbidden),
    };
    if !OWNER_KINDS.contains(&owner.kind.as_str()) {
        return Err(AppError::ForbiddenBecause(Msg::new(
            "高校、科研院所、医院和企业可以登记专利",
            "universities, research institutes, hospitals and enterprises list patents",
        )));
    }
    if !manages(db, user, owner.id).await? {
        return Err(AppError::field(
            "owner_uscc",
            Msg::new(
                "该机构不是本中心联盟的在册成员",
                "the organization is not a member of this center's alliance",
            ),
        ));
    }
    Ok(owner)
}

/// `input` checked against the industries list (every bad field at once).
async fn checked(
    db: &impl ConnectionTrait,
    input: &ListingInput,
    today: NaiveDate,
) -> Result<Checked, AppError> {
    let names: Vec<String> = industries(db).await?.into_iter().map(|i| i.name).collect();
    let mut errors = FieldErrors::default();
    let checked = input.check(&names, today, &mut errors);
    errors
        .into_result(checked)?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("checked listing missing")))
}

/// A second live listing of one application number (the partial unique index refused it).
fn already_listed(err: sea_orm::DbErr) -> AppError {
    let text = err.to_string();
    if text.contains("ux_patent_listings_live_number")
        || text.contains("patent_listings.application_number")
    {
        return AppError::Conflict(Msg::new(
            "该申请号已在专利转化资源库中上架",
            "this application number is already listed in the library",
        ));
    }
    err.into()
}

/// Lists a patent (in the caller's transaction): 201 with the listing, 409 when its number is
/// already listed, 422 naming every field that does not fit.
pub async fn create(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    input: &ListingInput,
    (today, now): (NaiveDate, DateTime<Utc>),
) -> Result<ListingView, AppError> {
    let owner = owner_for(txn, user, input.owner_uscc.as_deref()).await?;
    let values = checked(txn, input, today).await?;
    let mut row = listings::ActiveModel {
        owner_organization_id: Set(owner.id),
        legal_status_since: Set(values
            .grant_date
            .or(values.application_date)
            .unwrap_or(today)),
        status: Set("listed".into()),
        listed_by: Set(user.id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    fill(&mut row, values, false);
    let saved = row.insert(txn).await.map_err(already_listed)?;
    changed(txn, Kind::Listing, saved.id, now).await?;
    AuditEntry::new(Some(user.id), "listing.create", "patent_listing", saved.id)
        .after(&saved.application_number)
        .write(txn, now)
        .await?;
    view(saved, owner, true)
}

/// Corrects listing `id` at `patch.version` with the fields sent (the rest kept; the application
/// number never changes): 409 naming the version when stale.
pub async fn update(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
    patch: &ListingPatch,
    (today, now): (NaiveDate, DateTime<Utc>),
) -> Result<ListingView, AppError> {
    let (row, owner) = managed(txn, user, id).await?;
    let mut merged = serde_json::to_value(input_of(&row)).map_err(anyhow::Error::from)?;
    for (field, value) in &patch.fields {
        if field == "application_number" {
            return Err(AppError::field(
                "application_number",
                Msg::new(
                    "申请号不能修改：请撤下后重新登记",
                    "the application number does not change: withdraw it and list it anew",
                ),
            ));
        }
        merged[field] = value.clone();
    }
    // `open_license` comes from a declaration: kept as stored unless the modes are sent
    let open = row.offered_modes.contains("\"open_license\"");
    if let (false, Some(modes)) = (
        patch.fields.contains_key("offered_modes"),
        merged["offered_modes"].as_array_mut(),
    ) {
        modes.retain(|m| m != "open_license");
    }
    let input: ListingInput = crate::json::parse_json(merged.to_string().as_bytes())?;
    let values = checked(txn, &input, today).await?;
    let status_changed = values.legal_status.as_str() != row.legal_status;
    let mut active: listings::ActiveModel = row.clone().into();
    fill(&mut active, values, open);
    if status_changed {
        active.legal_status_since = Set(today);
    }
    versioned_save(
        txn,
        user,
        active,
        (&row, patch.version),
        now,
        "listing.update",
    )
    .await?;
    let saved = listings::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if super::changes::terms_changed(&row, &saved) {
        super::changes::record(txn, id, super::changes::Change::Terms, now).await?;
    }
    view(saved, owner, true)
}

/// Withdraws (`listed` false) or relists listing `id` at `version`: 409 naming the state when it
/// is already so, or when relisting a number listed again since.
pub async fn set_listed(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
    version: i32,
    listed: bool,
    now: DateTime<Utc>,
) -> Result<ListingView, AppError> {
    let (row, _) = managed(txn, user, id).await?;
    let to = if listed { "listed" } else { "withdrawn" };
    if row.status == to {
        return Err(AppError::Conflict(if listed {
            Msg::new("该专利已在资源库中上架", "the listing is already listed")
        } else {
            Msg::new("该专利已撤下", "the listing is already withdrawn")
        }));
    }
    let mut active: listings::ActiveModel = row.clone().into();
    active.status = Set(to.to_string());
    let action = if listed {
        "listing.relist"
    } else {
        "listing.withdraw"
    };
    versioned_save(txn, user, active, (&row, version), now, action).await?;
    let change = match listed {
        true => super::changes::Change::Relisted,
        false => super::changes::Change::Withdrawn,
    };
    super::changes::record(txn, id, change, now).await?;
    get(txn, user, id).await
}

/// Saves `active` if the row is still at `version` (409 otherwise), with its audit row.
async fn versioned_save(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    mut active: listings::ActiveModel,
    (row, version): (&listings::Model, i32),
    now: DateTime<Utc>,
    action: &str,
) -> Result<(), AppError> {
    if row.version != version {
        return Err(AppError::Conflict(Msg::new(
            format!("该专利已被修改（当前版本 {}），请刷新后重试", row.version),
            format!(
                "the listing has changed (now version {}); reload and try again",
                row.version
            ),
        )));
    }
    active.version = Set(row.version + 1);
    active.updated_at = Set(now);
    let updated = listings::Entity::update_many()
        .set(active)
        .filter(listings::Column::Id.eq(row.id))
        .filter(listings::Column::Version.eq(version))
        .exec(txn)
        .await
        .map_err(already_listed)?;
    if updated.rows_affected == 0 {
        return Err(AppError::Conflict(Msg::new(
            "该专利已被他人修改，请刷新后重试",
            "someone changed the listing meanwhile; reload and try again",
        )));
    }
    changed(txn, Kind::Listing, row.id, now).await?;
    AuditEntry::new(Some(user.id), action, "patent_listing", row.id)
        .before(&row.version)
        .after(&(row.version + 1))
        .write(txn, now)
        .await
}

/// Listing `id` and its owner, when `user` manages it (404 otherwise, before any state).
pub(crate) async fn managed(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> Result<(listings::Model, organizations::Model), AppError> {
    let row = listings::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !manages(db, user, row.owner_organization_id).await? {
        return Err(if row.status == "listed" {
            AppError::Forbidden
        } else {
            AppError::NotFound
        });
    }
    let owner = organizations::Entity::find_by_id(row.owner_organization_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((row, owner))
}
