//! The market: the conversion resource library's listings (`api.rs`, `pages.rs`).

pub mod api;
mod export;
pub mod listing_pages;
mod page_data;
pub mod pages;
