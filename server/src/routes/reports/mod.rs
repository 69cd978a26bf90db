//! Annual reports and their review.

pub mod api;
pub mod forms;
pub mod pages;
pub mod review;
