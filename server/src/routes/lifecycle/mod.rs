//! A center's life after accreditation: cycles, decisions, rectification, withdrawal and exit.

pub mod api;
pub mod forms;
pub mod pages;
