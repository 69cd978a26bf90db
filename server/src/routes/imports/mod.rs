//! Spreadsheet imports of deals and members.

pub mod api;
pub mod pages;
