//! Accounts: created by an admin or at first start, listed, changed, disabled; the caller as `me`.

use super::{
    Role, UserView,
    authentication::check_password,
    jurisdiction::{check_jurisdiction, check_references},
    normalize_email,
};
use chrono::{DateTime, Utc};
use entities::users;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
    sea_query::{Expr, ExprTrait},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{
    audit::AuditEntry,
    organizations::{self, OrganizationView},
    paging::Paged,
};
use crate::{
    auth::password,
    error::{AppError, FieldErrors},
    i18n::Msg,
};

pub(super) fn email_taken() -> AppError {
    AppError::Conflict(Msg::new(
        "该电子邮箱已注册",
        "this e-mail address is already registered",
    ))
}

/// A new account as an admin (or the CLI) creates it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewUserInput {
    pub email: String,
    /// The person's name as others see it (up to 50 characters; empty when absent).
    #[serde(default)]
    pub name: String,
    pub password: String,
    pub role: Role,
    #[serde(default)]
    pub organization_id: Option<i32>,
    #[serde(default)]
    pub center_id: Option<i32>,
    /// Required for `local_office`: `XX0000` (province) or `XXYY00` (city).
    #[serde(default)]
    pub region_code: Option<String>,
}

/// Creates an account (409 when the e-mail is taken) and audits it.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &DatabaseConnection,
    actor_user_id: Option<i32>,
    input: NewUserInput,
    now: DateTime<Utc>,
) -> Result<users::Model, AppError> {
    let mut errors = FieldErrors::default();
    let email = normalize_email(&input.email)
        .map_err(|m| errors.add("email", m))
        .ok();
    let name = check_name(&input.name)
        .map_err(|m| errors.add("name", m))
        .unwrap_or_default();
    let _ = check_password(&input.password).map_err(|m| errors.add("password", m));
    let region = check_jurisdiction(input.role, input.region_code.as_deref(), &mut errors);
    check_references(db, input.organization_id, input.center_id, &mut errors).await?;
    let email = errors.into_result(email)?.unwrap_or_default();
    let hash = password::hash(input.password).await?;
    crate::db::write(db, async |txn| {
        let account = Account {
            email,
            name,
            password_hash: hash,
            role: input.role,
            organization_id: input.organization_id,
            center_id: input.center_id,
            region_code: region,
        };
        let user = insert(txn, account, now).await?;
        AuditEntry::new(actor_user_id, "user.create", "user", user.id)
            .after(&UserView::from(user.clone()))
            .write(txn, now)
            .await?;
        Ok(user)
    })
    .await
}

/// An account's fields as stored, already checked.
pub struct Account {
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub organization_id: Option<i32>,
    pub center_id: Option<i32>,
    pub region_code: Option<String>,
}

/// The trimmed name, or the field's message (at most 50 characters, no control characters).
pub fn check_name(raw: &str) -> Result<String, crate::i18n::Msg> {
    let name = raw.trim();
    if name.chars().count() > 50 || name.chars().any(char::is_control) {
        return Err(crate::i18n::Msg::new(
            "姓名不超过 50 个字符",
            "a name has at most 50 characters",
        ));
    }
    Ok(name.to_string())
}

pub(super) async fn insert(
    db: &impl ConnectionTrait,
    account: Account,
    now: DateTime<Utc>,
) -> Result<users::Model, AppError> {
    if find_by_email(db, &account.email).await?.is_some() {
        return Err(email_taken());
    }
    users::ActiveModel {
        email: Set(account.email),
        name: Set(account.name),
        password_hash: Set(account.password_hash),
        role: Set(account.role.as_str().to_string()),
        organization_id: Set(account.organization_id),
        center_id: Set(account.center_id),
        region_code: Set(account.region_code),
        disabled: Set(false),
        token_version: Set(1),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Conflict(_) => email_taken(),
        other => other,
    })
}

/// Inserts an account whose fields are already valid (demo data), without its own audit row.
pub async fn insert_seeded(
    db: &impl ConnectionTrait,
    account: Account,
    now: DateTime<Utc>,
) -> Result<users::Model, AppError> {
    insert(db, account, now).await
}

/// Creates the first admin with a random one-time password when no account exists; returns the
/// e-mail and password to show once.
pub async fn ensure_initial_admin(
    db: &DatabaseConnection,
    email: &str,
    now: DateTime<Utc>,
) -> Result<Option<(String, String)>, AppError> {
    if any_exists(db).await? {
        return Ok(None);
    }
    let one_time = password::random_password(20);
    let input = NewUserInput {
        email: email.to_string(),
        name: String::new(),
        password: one_time.clone(),
        role: Role::Admin,
        organization_id: None,
        center_id: None,
        region_code: None,
    };
    match create(db, None, input, now).await {
        Ok(user) => Ok(Some((user.email, one_time))),
        // another instance created it at the same moment
        Err(AppError::Conflict(_)) => Ok(None),
        Err(other) => Err(other),
    }
}

/// The account with this (normalized) e-mail.
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<users::Model>, AppError> {
    Ok(users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?)
}

/// An admin's change to a user: `{"role"?,"disabled"?,"center_id"?,"region_code"?,"version"}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UserPatch {
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub disabled: Option<bool>,
    #[serde(default)]
    pub center_id: Option<i32>,
    #[serde(default)]
    pub region_code: Option<String>,
    pub version: i32,
}

/// Applies an admin's change if `version` is current (409 otherwise); disabling or changing the
/// role revokes the user's tokens at once (its token version moves on).
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &DatabaseConnection,
    actor_user_id: i32,
    id: i32,
    patch: UserPatch,
    now: DateTime<Utc>,
) -> Result<users::Model, AppError> {
    let before = users::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = patch
        .role
        .or_else(|| Role::parse(&before.role))
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    let region = match &patch.region_code {
        Some(_) => check_jurisdiction(role, patch.region_code.as_deref(), &mut errors),
        None => {
            let current = before.region_code.clone();
            if patch.role.is_some() {
                check_jurisdiction(role, current.as_deref(), &mut errors)
            } else {
                current
            }
        }
    };
    check_references(db, None, patch.center_id, &mut errors).await?;
    if id == actor_user_id
        && (patch.disabled == Some(true) || patch.role.is_some_and(|r| r != Role::Admin))
    {
        errors.add(
            if patch.disabled == Some(true) {
                "disabled"
            } else {
                "role"
            },
            Msg::new(
                "不能停用自己的账户或取消自己的管理员角色",
                "you cannot disable your own account or give up your own admin role",
            ),
        );
    }
    errors.into_result(())?;
    let revoke = patch.role.is_some_and(|r| r.as_str() != before.role)
        || patch.disabled == Some(true) && !before.disabled;
    crate::db::write(db, async |txn| {
        let mut update = users::Entity::update_many()
            .col_expr(users::Column::Role, Expr::value(role.as_str()))
            .col_expr(
                users::Column::Disabled,
                Expr::value(patch.disabled.unwrap_or(before.disabled)),
            )
            .col_expr(
                users::Column::CenterId,
                Expr::value(patch.center_id.or(before.center_id)),
            )
            .col_expr(users::Column::RegionCode, Expr::value(region))
            .col_expr(
                users::Column::Version,
                Expr::col(users::Column::Version).add(1),
            )
            .col_expr(users::Column::UpdatedAt, Expr::value(now));
        if revoke {
            update = update.col_expr(
                users::Column::TokenVersion,
                Expr::col(users::Column::TokenVersion).add(1),
            );
        }
        let result = update
            .filter(users::Column::Id.eq(id))
            .filter(users::Column::Version.eq(patch.version))
            .exec(txn)
            .await?;
        if result.rows_affected == 0 {
            return Err(AppError::Conflict(Msg::new(
                format!(
                    "该用户已被他人修改（当前版本 {}），请刷新后重试",
                    before.version
                ),
                format!(
                    "the user was changed by someone else (current version {}); reload and try again",
                    before.version
                ),
            )));
        }
        let after = users::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or(AppError::NotFound)?;
        AuditEntry::new(Some(actor_user_id), "user.update", "user", id)
            .before(&UserView::from(before))
            .after(&UserView::from(after.clone()))
            .write(txn, now)
            .await?;
        Ok(after)
    })
    .await
}

/// Users whose e-mail or name contains `q` (all without it), by e-mail, a page at a time.
pub async fn list(
    db: &impl ConnectionTrait,
    q: Option<&str>,
    page: u64,
    per_page: u64,
) -> Result<Paged<UserView>, AppError> {
    let mut query = users::Entity::find().order_by_asc(users::Column::Email);
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        query = query.filter(
            sea_orm::Condition::any()
                .add(users::Column::Email.contains(q.to_lowercase()))
                .add(users::Column::Name.contains(q)),
        );
    }
    let paginator = query.paginate(db, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Paged {
        items: items.into_iter().map(UserView::from).collect(),
        total,
        page,
        per_page,
    })
}

/// The caller as `GET /api/v1/me` shows it: the account with its organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    #[serde(flatten)]
    pub user: UserView,
    pub organization: Option<OrganizationView>,
    /// The request to be linked to an organization already registered, while the account has none.
    pub organization_link: Option<super::links::LinkView>,
}

/// The account `id` with its organization.
pub async fn me(db: &impl ConnectionTrait, id: i32) -> Result<Me, AppError> {
    let user = users::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let organization = match user.organization_id {
        Some(org_id) => organizations::find_by_id(db, org_id)
            .await?
            .map(OrganizationView::from),
        None => None,
    };
    let organization_link = match organization {
        Some(_) => None,
        None => super::links::latest_of(db, user.id).await?,
    };
    Ok(Me {
        user: UserView::from(user),
        organization,
        organization_link,
    })
}

/// Whether any account exists (first start creates the admin).
pub async fn any_exists(db: &impl ConnectionTrait) -> Result<bool, AppError> {
    Ok(users::Entity::find().count(db).await? > 0)
}
