//! A center's records: deals, projects and service events, and their downloads.

pub mod api;
pub mod downloads;
pub mod export;
pub mod forms;
pub mod pages;
