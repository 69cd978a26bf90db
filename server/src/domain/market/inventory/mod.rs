//! Inventories (盘点入库): many listings from one file, checked row by row before anything is
//! written (`check.rs`), written without holding other writers up and published all at once
//! (`write.rs`), followed as a job with its progress and outcome (`jobs.rs`).

pub mod check;
pub mod jobs;
pub mod write;
