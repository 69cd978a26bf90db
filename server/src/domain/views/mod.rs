//! What readers see of centers, gathered from several subjects for one screen: the centers list
//! one center (profile, indicators, open proposals) and its metrics, a center's home and its
//! reviews.

pub mod center_home;
pub mod center_reviews;
pub mod centers;
pub mod expert_home;
pub mod member_home;
pub mod metrics;
pub mod provenance;
pub mod waiting;
