//! The rules of ipoc by subject. No HTTP types here; database functions take a connection.

pub mod access;
pub mod accreditation;
pub mod alliance;
pub mod audit;
pub mod centers;
pub mod dashboard;
pub mod derived;
pub mod identifiers;
pub mod jurisdiction;
pub mod ledger;
pub mod lifecycle;
pub mod market;
pub mod metrics;
pub mod narratives;
pub mod notice;
pub mod organizations;
pub mod paging;
pub mod public;
pub mod reminders;
pub mod reports;
pub mod review;
pub mod rulebook;
pub mod services;
pub mod states;
pub mod users;
pub mod views;

/// Parses a snake_case enum value the way JSON bodies do (for form fields and query strings).
pub fn parse_enum<T: serde::de::DeserializeOwned>(raw: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(raw.trim().to_string())).ok()
}
