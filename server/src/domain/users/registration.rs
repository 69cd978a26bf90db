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

/// A visitor's registration: `{"email","password","organization":{…}}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RegisterInput {
    pub email: String,
    /// The person's name as others see it (optional, up to 50 characters).
    #[serde(default)]
    pub name: String,
    pub password: String,
    pub organization: OrganizationInput,
}

/// Registers a `member` user together with its organization, in one transaction; a taken e-mail
/// or USCC is 409.
#[tracing::instrument(skip_all)]
pub async fn register_member(
    db: &DatabaseConnection,
    input: RegisterInput,
    now: DateTime<Utc>,
) -> Result<(users::Model, entities::organizations::Model), AppError> {
    let mut errors = FieldErrors::default();
    let email = normalize_email(&input.email)
        .map_err(|m| errors.add("email", m))
        .ok();
    let name = check_name(&input.name)
        .map_err(|m| errors.add("name", m))
        .unwrap_or_default();
    let _ = check_password(&input.password).map_err(|m| errors.add("password", m));
    let org = input
        .organization
        .validate("organization.", false, &mut errors);
    let (email, org) = match (email, org) {
        (Some(email), Some(org)) if errors.is_empty() => (email, org),
        _ => return Err(AppError::Validation(errors)),
    };
    if find_by_email(db, &email).await?.is_some() {
        return Err(email_taken());
    }
    let hash = password::hash(input.password).await?;
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
        Ok((user, organization))
    })
    .await
}
