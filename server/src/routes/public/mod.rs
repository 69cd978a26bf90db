//! What anyone may read without logging in.

pub mod api;
pub mod pages;
