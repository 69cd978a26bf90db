//! Signing in and out, registration, the caller.

pub mod api;
pub mod pages;
pub mod register;
