//! Registration: a member signs up with the organization it works for.

use super::{
    Role, UserView,
    accounts::{Account, check_name, email_taken, find_by_email, insert},
    authentication::check_password,
    normalize_email,
};
use chrono::{DateTime, Utc};
use entities::users;
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::{
    audit::AuditEntry,
    organizations::{self, OrganizationInput, OrganizationView},
};
use crate::{
    auth::password,
    error::{AppError, FieldErrors},
};

/// A visitor's registration: `{"email","password","organization":{…}}`. An organization already
/// registered is named by its code alone (`{"uscc"}`): the account then asks to be linked to it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RegisterInput {
    pub email: String,
    /// The person's name as others see it (optional, up to 50 characters).
    #[serde(default)]
    pub name: String,
    pub password: String,
    pub organization: RegisterOrganization,
}

/// The organization of a registration: its code, and the rest only when it is new.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RegisterOrganization {
    pub uscc: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub kind: Option<crate::domain::organizations::OrgKind>,
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub flags: Vec<crate::domain::organizations::OrgFlag>,
}

impl RegisterOrganization {
    /// The new organization in full; its missing fields named.
    fn new_organization(self, errors: &mut FieldErrors) -> Option<OrganizationInput> {
        let missing = |field: &str, errors: &mut FieldErrors| {
            let why = crate::i18n::Msg::new(
                "新登记的机构须填写此项",
                "required for an organization not yet registered",
            );
            errors.add(format!("organization.{field}"), why);
        };
        if self.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            missing("name", errors);
        }
        if self.kind.is_none() {
            missing("kind", errors);
        }
        if self
            .region_code
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
        {
            missing("region_code", errors);
        }
        Some(OrganizationInput {
            uscc: self.uscc,
            name: self.name.unwrap_or_default(),
            kind: self.kind?,
            region_code: self.region_code.unwrap_or_default(),
            flags: self.flags,
            uscc_check_override_reason: None,
        })
    }
}

/// Registers a `member` user together with its organization, in one transaction; an organization
/// already registered is asked for (a link request) rather than refused; a taken e-mail is 409.
#[tracing::instrument(skip_all)]
pub async fn register_member(
    db: &DatabaseConnection,
    input: RegisterInput,
    now: DateTime<Utc>,
) -> Result<users::Model, AppError> {
    let code = crate::domain::identifiers::Uscc::parse(input.organization.uscc.trim());
    let registered = match code {
        Ok(code) => organizations::find_by_uscc(db, &code).await?,
        Err(_) => None,
    };
    match registered {
        Some(organization) => ask_to_link(db, input, organization, now).await,
        None => register_with_organization(db, input, now).await,
    }
}

/// The person of a registration: the e-mail (normalized) and name, each error named; the
/// password checked.
fn person(input: &RegisterInput, errors: &mut FieldErrors) -> (Option<String>, String) {
    let email = normalize_email(&input.email)
        .map_err(|m| errors.add("email", m))
        .ok();
    let name = check_name(&input.name)
        .map_err(|m| errors.add("name", m))
        .unwrap_or_default();
    let _ = check_password(&input.password).map_err(|m| errors.add("password", m));
    (email, name)
}

/// The password's hash for a new account of `email` (409 when the e-mail is taken).
async fn fresh_account(
    db: &DatabaseConnection,
    email: &str,
    password: String,
) -> Result<String, AppError> {
    if find_by_email(db, email).await?.is_some() {
        return Err(email_taken());
    }
    password::hash(password).await
}

/// A member whose organization is already registered: the account, and its request to be linked.
async fn ask_to_link(
    db: &DatabaseConnection,
    input: RegisterInput,
    organization: entities::organizations::Model,
    now: DateTime<Utc>,
) -> Result<users::Model, AppError> {
    let mut errors = FieldErrors::default();
    let (email, name) = person(&input, &mut errors);
    let email = errors.into_result(email)?.unwrap_or_default();
    let hash = fresh_account(db, &email, input.password).await?;
    crate::db::write(db, async |txn| {
        let account = Account {
            email,
            name,
            password_hash: hash,
            role: Role::Member,
            organization_id: None,
            center_id: None,
            region_code: None,
        };
        let user = insert(txn, account, now).await?;
        let link = super::links::request(txn, user.id, organization.id, now).await?;
        AuditEntry::new(Some(user.id), "user.register", "user", user.id)
            .after(&serde_json::json!({
                "user": UserView::from(user.clone()),
                "organization_link": {"id": link.id, "organization_id": organization.id, "status": link.status},
            }))
            .write(txn, now)
            .await?;
        Ok(user)
    })
    .await
}

/// A member and its new organization.
async fn register_with_organization(
    db: &DatabaseConnection,
    input: RegisterInput,
    now: DateTime<Utc>,
) -> Result<users::Model, AppError> {
    let mut errors = FieldErrors::default();
    let (email, name) = person(&input, &mut errors);
    let org = (input.organization.new_organization(&mut errors))
        .and_then(|org| org.validate("organization.", false, &mut errors));
    let (email, org) = match (email, org) {
        (Some(email), Some(org)) if errors.is_empty() => (email, org),
        _ => return Err(AppError::Validation(errors)),
    };
    let hash = fresh_account(db, &email, input.password).await?;
    crate::db::write(db, async |txn| {
        let organization = organizations::insert(txn, org, now).await?;
        let account = Account {
            email,
            name,
            password_hash: hash,
            role: Role::Member,
            organization_id: Some(organization.id),
            center_id: None,
            region_code: None,
        };
        let user = insert(txn, account, now).await?;
        AuditEntry::new(Some(user.id), "user.register", "user", user.id)
            .after(&serde_json::json!({
                "user": UserView::from(user.clone()),
                "organization": OrganizationView::from(organization.clone()),
            }))
            .write(txn, now)
            .await?;
        Ok(user)
    })
    .await
}
