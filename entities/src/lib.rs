//! sea-orm entities of ipoc; enums are stored as strings and parsed in the domain layer.

pub mod audit_log;
pub mod centers;
pub mod login_failures;
pub mod organizations;
pub mod rulebook_versions;
pub mod users;
