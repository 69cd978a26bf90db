//! Routes by subject, mirroring `domain/`: each subject's `api.rs` (JSON under `/api/v1`) and
//! `pages.rs` (HTML), each with its `configure`; plus the plumbing (health, OpenAPI, statics).

pub mod accreditation;
pub mod admin;
pub mod alliance;
pub mod auth;
pub mod centers;
pub mod dashboard;
pub mod health;
pub mod home;
pub mod imports;
pub mod ledger;
pub mod lifecycle;
pub mod openapi;
pub mod organizations;
pub mod provenance;
pub mod public;
pub mod reports;
mod statics;

use actix_web::web;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    openapi::configure(cfg);
    statics::configure(cfg);
    cfg.service(
        web::scope("/api/v1")
            .configure(auth::api::configure)
            .configure(auth::links::configure_api)
            .configure(admin::api::configure)
            .configure(admin::rulebook::configure)
            .configure(organizations::api::configure)
            .configure(centers::api::configure)
            .configure(alliance::api::configure)
            .configure(ledger::api::configure)
            .configure(imports::api::configure)
            .configure(accreditation::api::configure)
            .configure(reports::api::configure)
            .configure(lifecycle::api::configure)
            .configure(dashboard::api::configure)
            .configure(provenance::api::configure)
            .configure(public::api::configure)
            .configure(accreditation::queue::configure),
    );
    home::pages::configure(cfg);
    auth::pages::configure(cfg);
    auth::register::configure(cfg);
    auth::links::configure(cfg);
    admin::pages::configure(cfg);
    admin::rulebook_pages::configure(cfg);
    organizations::pages::configure(cfg);
    accreditation::pages::configure(cfg);
    accreditation::forms::configure(cfg);
    accreditation::review::configure(cfg);
    public::pages::configure(cfg);
    dashboard::pages::configure(cfg);
    dashboard::charts::configure(cfg);
    ledger::downloads::configure(cfg);
    ledger::pages::configure(cfg);
    ledger::forms::configure(cfg);
    alliance::pages::configure(cfg);
    lifecycle::pages::configure(cfg);
    reports::pages::configure(cfg);
    lifecycle::forms::configure(cfg);
    reports::forms::configure(cfg);
    provenance::pages::configure(cfg);
    centers::list::configure(cfg);
    centers::forms::configure(cfg);
    centers::imports::configure(cfg);
    imports::pages::configure(cfg);
    centers::pages::configure(cfg);
}
