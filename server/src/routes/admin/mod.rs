//! The platform administration: accounts and the rulebook.

pub mod api;
pub mod pages;
pub mod rulebook;
pub mod rulebook_pages;
