//! What every page and API route shares and no subject owns: the page frame and error pages,
//! the middleware, request extractors, page forms, multipart uploads, list downloads and the
//! SVG charts.

pub mod charts;
pub mod demand_form;
pub mod download;
pub mod error_page;
pub mod extract;
pub mod form;
pub mod ledger_forms;
pub mod listing_form;
pub mod menu;
pub mod middleware;
pub mod page;
pub mod page_form;
pub mod records;
pub mod rules;
pub mod upload;
