//! The records behind each figure.

pub mod api;
pub mod pages;
