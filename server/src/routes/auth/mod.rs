//! Signing in and out, registration, the caller.

pub mod api;
pub mod links;
pub mod pages;
pub mod register;
