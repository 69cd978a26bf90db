//! Members' technology demands (技术需求): what an enterprise needs, registered by it or by a
//! center's staff on its behalf, read within `domain.md` "Visibility", expiring by themselves.

pub mod expiry;
mod input;
pub mod reads;
pub mod search;
mod view;
pub mod write;

pub use input::{DemandInput, DemandPatch, DemandStatus, Visibility, WantedMode};
pub use reads::{DemandQuery, all, get, list};
pub use search::{DemandsPage, FoundDemand};
pub use view::{DemandMember, DemandView, OnBehalf, status_of};
pub use write::{create, members_for, update};
