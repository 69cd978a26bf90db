//! Spreadsheet imports of deals and members.

pub mod api;
