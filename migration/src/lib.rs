//! The schema of ipoc, one change per file, applied in order on SQLite and PostgreSQL alike.

pub use sea_orm_migration::prelude::*;

mod lock;
pub use lock::MigrationLock;

mod m20261121_000001_create_organizations;
mod m20261121_000002_create_centers;
mod m20261121_000003_create_users;
mod m20261121_000004_create_audit_log;
mod m20261121_000005_create_rulebook_versions;
mod m20261121_000006_create_login_failures;
mod m20261122_000007_create_industries;
mod m20261122_000008_create_imports;
mod m20261122_000009_create_memberships;
mod m20261122_000010_create_join_requests;
mod m20261122_000011_create_transactions;
mod m20261122_000012_create_projects;
mod m20261122_000013_create_service_events;
mod m20261122_000014_create_cycles;
mod m20261122_000015_create_center_year_totals;
mod m20261122_000016_create_center_member_counts;
mod m20261122_000017_add_center_figures_version;
mod m20261122_000018_create_applications;
mod m20261122_000019_create_review_assignments;
mod m20261122_000020_create_outbox;
mod m20261122_000021_create_application_attachments;
mod m20261122_000022_create_annual_reports;
mod m20261122_000023_create_decisions;
mod m20261122_000024_create_rectifications;
mod m20261122_000025_create_reminders_sent;
mod m20261122_000026_add_decision_notice;
mod m20261122_000027_create_withdrawal_requests;
mod m20261122_000028_add_center_lifecycle_version;
mod m20261207_000029_create_health_probe;
mod m20261207_000030_add_outbox_message_id;
mod m20261207_000031_create_transaction_patents;
mod m20261207_000032_create_sessions;
mod m20261207_000033_add_user_names;
mod m20261207_000034_unique_contract_numbers;
mod m20261207_000035_create_organization_links;
mod m20261207_000036_create_patent_listings;
mod m20261207_000037_create_listing_evaluations;
mod m20261207_000038_create_demands;
mod m20261207_000039_create_search_changes;
mod m20261208_000040_create_listing_rights;
mod m20261208_000041_create_import_jobs;
mod m20261208_000042_add_evaluation_contact;
mod m20261208_000043_add_demand_expiry_mailed;
mod m20261208_000044_create_listing_follows;
mod m20261208_000045_create_listing_changes;

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
            Box::new(m20261122_000007_create_industries::Migration),
            Box::new(m20261122_000008_create_imports::Migration),
            Box::new(m20261122_000009_create_memberships::Migration),
            Box::new(m20261122_000010_create_join_requests::Migration),
            Box::new(m20261122_000011_create_transactions::Migration),
            Box::new(m20261122_000012_create_projects::Migration),
            Box::new(m20261122_000013_create_service_events::Migration),
            Box::new(m20261122_000014_create_cycles::Migration),
            Box::new(m20261122_000015_create_center_year_totals::Migration),
            Box::new(m20261122_000016_create_center_member_counts::Migration),
            Box::new(m20261122_000017_add_center_figures_version::Migration),
            Box::new(m20261122_000018_create_applications::Migration),
            Box::new(m20261122_000019_create_review_assignments::Migration),
            Box::new(m20261122_000020_create_outbox::Migration),
            Box::new(m20261122_000021_create_application_attachments::Migration),
            Box::new(m20261122_000022_create_annual_reports::Migration),
            Box::new(m20261122_000023_create_decisions::Migration),
            Box::new(m20261122_000024_create_rectifications::Migration),
            Box::new(m20261122_000025_create_reminders_sent::Migration),
            Box::new(m20261122_000026_add_decision_notice::Migration),
            Box::new(m20261122_000027_create_withdrawal_requests::Migration),
            Box::new(m20261122_000028_add_center_lifecycle_version::Migration),
            Box::new(m20261207_000029_create_health_probe::Migration),
            Box::new(m20261207_000030_add_outbox_message_id::Migration),
            Box::new(m20261207_000031_create_transaction_patents::Migration),
            Box::new(m20261207_000032_create_sessions::Migration),
            Box::new(m20261207_000033_add_user_names::Migration),
            Box::new(m20261207_000034_unique_contract_numbers::Migration),
            Box::new(m20261207_000035_create_organization_links::Migration),
            Box::new(m20261207_000036_create_patent_listings::Migration),
            Box::new(m20261207_000037_create_listing_evaluations::Migration),
            Box::new(m20261207_000038_create_demands::Migration),
            Box::new(m20261207_000039_create_search_changes::Migration),
            Box::new(m20261208_000040_create_listing_rights::Migration),
            Box::new(m20261208_000041_create_import_jobs::Migration),
            Box::new(m20261208_000042_add_evaluation_contact::Migration),
            Box::new(m20261208_000043_add_demand_expiry_mailed::Migration),
            Box::new(m20261208_000044_create_listing_follows::Migration),
            Box::new(m20261208_000045_create_listing_changes::Migration),
        ]
    }
}
