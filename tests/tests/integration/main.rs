//! One integration-test binary: every test starts the real server and talks HTTP, on SQLite and,
//! when `IPOC_TEST_POSTGRES_URL` is set, on PostgreSQL too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accreditation;
mod accreditation_pages;
mod admin_users;
mod alliance;
mod attachments;
mod auth;
mod body_limits;
mod center_pages;
mod centers;
mod dashboard;
mod errors_and_docs;
mod exits;
mod faults_writes;
mod hostile_files;
mod imports;
mod ledger;
mod lifecycle;
mod lifecycle_rules;
mod mail;
mod metrics;
mod migrations;
mod organizations;
mod pages;
mod provenance;
mod rectification;
mod register;
mod reminders;
mod report_pages;
mod report_review;
mod reports;
mod rulebook;
mod simultaneous_start;
mod support;
mod withdrawal;
