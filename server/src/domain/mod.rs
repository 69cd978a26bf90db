//! The rules of ipoc by subject. No HTTP types here; database functions take a connection.

pub mod access;
pub mod accreditation;
pub mod alliance;
pub mod audit;
pub mod centers;
pub mod cycles;
pub mod dashboard;
pub mod decisions;
pub mod demo;
pub mod demo_reviews;
pub mod derived;
pub mod exit;
pub mod identifiers;
pub mod ledger;
pub mod metrics;
pub mod narratives;
pub mod organizations;
pub mod paging;
pub mod proposals;
pub mod public;
pub mod rectification;
pub mod reminders;
pub mod reports;
pub mod review;
pub mod rulebook;
pub mod users;
pub mod withdrawal;

/// Parses a snake_case enum value the way JSON bodies do (for form fields and query strings).
pub fn parse_enum<T: serde::de::DeserializeOwned>(raw: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(raw.trim().to_string())).ok()
}
