//! A center's alliance: memberships and requests to join.

pub mod api;
pub mod export;
pub mod pages;
