//! Organizations, found by name or unified social credit code.

pub mod api;
pub mod pages;
