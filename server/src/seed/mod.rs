//! Seed data, out of the domain: the demo accounts, organizations and centers (`serve --demo`,
//! `seed --scale demo`), and the national benchmark data set (`seed --scale national`) with its
//! reporting history.

pub mod demo;
mod demo_market;
mod demo_reviews;
pub mod national;
mod reports;

pub use national::{NATIONAL, seed};
