//! Operation centers: creating one, its page, the list of centers and their figures.

pub mod api;
pub mod export;
pub mod forms;
pub mod imports;
pub mod list;
pub mod pages;
