//! The market: the conversion resource library's listings (`api.rs`, `pages.rs`) and members'
//! technology demands (`demand_api.rs`, `demand_pages.rs`), a listing's rights (`rights_*.rs`) and
//! inventories imported from a file (`inventory_*.rs`).

pub mod api;
pub mod demand_api;
mod demand_data;
pub mod demand_page;
pub mod demand_pages;
mod export;
pub mod follow_api;
pub mod follow_pages;
pub mod inventory_api;
pub mod inventory_pages;
mod library_data;
pub mod listing_pages;
mod page_data;
pub mod pages;
pub mod rights_api;
mod rights_data;
pub mod rights_pages;
