//! The market: the conversion resource library's listings (`api.rs`).

pub mod api;
