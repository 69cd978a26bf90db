//! The schema of ipoc, one change per file, applied in order on SQLite and PostgreSQL alike.

pub use sea_orm_migration::prelude::*;

mod m20261121_000001_create_organizations;
mod m20261121_000002_create_centers;
mod m20261121_000003_create_users;
mod m20261121_000004_create_audit_log;
mod m20261121_000005_create_rulebook_versions;
mod m20261121_000006_create_login_failures;

/// Every migration of the schema, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_create_organizations::Migration),
            Box::new(m20261121_000002_create_centers::Migration),
            Box::new(m20261121_000003_create_users::Migration),
            Box::new(m20261121_000004_create_audit_log::Migration),
            Box::new(m20261121_000005_create_rulebook_versions::Migration),
            Box::new(m20261121_000006_create_login_failures::Migration),
        ]
    }
}
