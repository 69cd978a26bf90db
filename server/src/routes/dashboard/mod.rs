//! The national dashboard and its charts.

pub mod api;
pub mod charts;
pub mod export;
mod filters;
pub mod pages;
