//! Accounts and roles: creation, registration of members, login, and admin changes that revoke
//! tokens at once.

use chrono::{DateTime, Utc};
use entities::users;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::ValidateEmail;

use crate::i18n::Msg;

mod accounts;
mod authentication;
mod jurisdiction;
pub mod links;
mod registration;

pub use accounts::*;
pub use authentication::*;
pub use jurisdiction::organization_named;
pub use registration::*;

/// What a user may do in ipoc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Cnipa,
    Expert,
    LocalOffice,
    Center,
    Member,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Cnipa,
        Role::Expert,
        Role::LocalOffice,
        Role::Center,
        Role::Member,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Cnipa => "cnipa",
            Role::Expert => "expert",
            Role::LocalOffice => "local_office",
            Role::Center => "center",
            Role::Member => "member",
        }
    }

    /// The role of a stored name.
    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// A user as the API shows it (never the password hash).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role: String,
    pub organization_id: Option<i32>,
    pub center_id: Option<i32>,
    pub region_code: Option<String>,
    pub disabled: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

impl From<users::Model> for UserView {
    fn from(u: users::Model) -> Self {
        UserView {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            organization_id: u.organization_id,
            center_id: u.center_id,
            region_code: u.region_code,
            disabled: u.disabled,
            version: u.version,
            created_at: u.created_at,
        }
    }
}

/// The trimmed, lower-cased e-mail, or the field's message.
pub fn normalize_email(raw: &str) -> Result<String, Msg> {
    let email = raw.trim().to_lowercase();
    if email.validate_email() && email.len() <= 254 {
        Ok(email)
    } else {
        Err(Msg::new(
            "电子邮箱地址格式不正确",
            "the e-mail address is not valid",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::jurisdiction::check_jurisdiction;
    use super::*;
    use crate::error::FieldErrors;

    #[test]
    fn email_and_password_rules() {
        assert_eq!(
            normalize_email("  Admin@Demo.IPOC.cn ").unwrap(),
            "admin@demo.ipoc.cn"
        );
        assert!(normalize_email("not-an-email").is_err());
        assert!(check_password("123456789").is_err());
        assert!(check_password("1234567890").is_ok());
        assert!(check_password("密码密码密码密码密码").is_ok());
    }

    #[test]
    fn jurisdictions_are_provinces_or_cities() {
        let mut errors = FieldErrors::default();
        assert_eq!(
            check_jurisdiction(Role::LocalOffice, Some("320000"), &mut errors),
            Some("320000".into())
        );
        assert_eq!(
            check_jurisdiction(Role::LocalOffice, Some("320500"), &mut errors),
            Some("320500".into())
        );
        assert!(errors.is_empty());
        assert_eq!(
            check_jurisdiction(Role::LocalOffice, Some("320506"), &mut errors),
            None
        );
        assert_eq!(
            check_jurisdiction(Role::LocalOffice, None, &mut errors),
            None
        );
        assert_eq!(errors.0["region_code"].len(), 2);
    }
}
