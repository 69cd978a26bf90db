//! Accreditation: applications, their review and decision, what waits on whom.

pub mod api;
pub mod forms;
pub mod pages;
pub mod queue;
pub mod review;
