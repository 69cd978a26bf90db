//! sea-orm entities of ipoc; enums are stored as strings and parsed in the domain layer.

pub mod annual_report_revisions;
pub mod annual_reports;
pub mod application_attachments;
pub mod applications;
pub mod audit_log;
pub mod center_year_totals;
pub mod centers;
pub mod cycles;
pub mod decisions;
pub mod imports;
pub mod industries;
pub mod join_requests;
pub mod login_failures;
pub mod memberships;
pub mod organizations;
pub mod outbox;
pub mod projects;
pub mod rectifications;
pub mod reminders_sent;
pub mod review_assignments;
pub mod rulebook_versions;
pub mod service_event_organizations;
pub mod service_events;
pub mod transactions;
pub mod users;
pub mod withdrawal_requests;
