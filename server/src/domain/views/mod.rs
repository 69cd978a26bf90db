//! What readers see of centers, gathered from several subjects for one screen: the centers list
//! and one center (profile, indicators, open proposals), and a center's home.

pub mod center_home;
pub mod center_reviews;
pub mod centers;
