//! The market inside each alliance: the conversion resource library (专利转化资源库), whose
//! listings owners offer and every signed-in user reads. Who may list, and who sees a listing's
//! contact, follow `domain.md` ("The market inside each alliance").

pub mod changes;
pub mod demands;
pub mod evaluations;
pub mod follows;
mod input;
pub mod inventory;
pub mod listings;
pub mod reads;
pub mod rights;
mod rows;
pub mod search;

pub use input::{Contact, LegalStatus, ListingInput, ListingPatch, OfferedMode};
pub use reads::ListingQuery;
pub use rows::{ListingView, manages};
