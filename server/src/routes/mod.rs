//! Routes by subject: JSON under `/api/v1`, pages under `/`.

pub mod api_alliance;
pub mod api_applications;
pub mod api_auth;
pub mod api_centers;
pub mod api_dashboard;
pub mod api_exit;
pub mod api_imports;
pub mod api_ledger;
pub mod api_organizations;
pub mod api_provenance;
pub mod api_public;
pub mod api_queue;
pub mod api_reports;
pub mod api_rulebook;
pub mod api_users;
pub mod export;
pub mod health;
pub mod openapi;
pub mod pages;
mod pages_admin;
mod pages_application_forms;
mod pages_applications;
mod pages_auth;
mod pages_center_records;
mod pages_centers;
mod pages_centers_list;
mod pages_charts;
mod pages_dashboard;
mod pages_downloads;
mod pages_report;
mod pages_report_forms;
mod pages_report_review;
mod pages_reports;
mod statics;

use actix_web::web;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    openapi::configure(cfg);
    statics::configure(cfg);
    cfg.service(
        web::scope("/api/v1")
            .configure(api_auth::configure)
            .configure(api_users::configure)
            .configure(api_rulebook::configure)
            .configure(api_organizations::configure)
            .configure(api_centers::configure)
            .configure(api_alliance::configure)
            .configure(api_ledger::configure)
            .configure(api_imports::configure)
            .configure(api_applications::configure)
            .configure(api_reports::configure)
            .configure(api_exit::configure)
            .configure(api_dashboard::configure)
            .configure(api_provenance::configure)
            .configure(api_public::configure)
            .configure(api_queue::configure),
    );
    pages::configure(cfg);
    pages_auth::configure(cfg);
    pages_admin::configure(cfg);
    // before the center pages: `/centers/{id}/application` is not one of their `/centers/{id}/{record}`
    pages_applications::configure(cfg);
    pages_dashboard::configure(cfg);
    pages_charts::configure(cfg);
    pages_downloads::configure(cfg);
    pages_reports::configure(cfg);
    pages_report::configure(cfg);
    pages_report_forms::configure(cfg);
    pages_centers_list::configure(cfg);
    pages_center_records::configure(cfg);
    pages_centers::configure(cfg);
}
