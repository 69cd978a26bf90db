//! The landing page and each role's home.

pub mod pages;
