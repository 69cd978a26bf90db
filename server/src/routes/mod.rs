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
pub mod market;
pub mod openapi;
pub mod organizations;
pub mod provenance;
pub mod public;
pub mod reports;
mod statics;

use actix_web::web;

/// Page routes a module registers: `(method, path)`.
pub type PageRoutes = &'static [(&'static str, &'static str)];

/// Every page route by the file that registers it (relative to `server/src/routes`, without
/// `.rs`), so a test can hold each list against its file and give every route its row.
pub fn pages() -> Vec<(&'static str, PageRoutes)> {
    vec![
        ("statics", statics::ROUTES),
        ("openapi", openapi::ROUTES),
        ("home/pages", home::pages::ROUTES),
        ("auth/pages", auth::pages::ROUTES),
        ("auth/register", auth::register::ROUTES),
        ("auth/links", auth::links::ROUTES),
        ("admin/pages", admin::pages::ROUTES),
        ("admin/rulebook_pages", admin::rulebook_pages::ROUTES),
        ("organizations/pages", organizations::pages::ROUTES),
        ("accreditation/pages", accreditation::pages::ROUTES),
        ("accreditation/forms", accreditation::forms::ROUTES),
        ("accreditation/review", accreditation::review::ROUTES),
        ("public/pages", public::pages::ROUTES),
        ("dashboard/pages", dashboard::pages::ROUTES),
        ("dashboard/charts", dashboard::charts::ROUTES),
        ("ledger/downloads", ledger::downloads::ROUTES),
        ("ledger/pages", ledger::pages::ROUTES),
        ("ledger/forms", ledger::forms::ROUTES),
        ("alliance/pages", alliance::pages::ROUTES),
        ("lifecycle/pages", lifecycle::pages::ROUTES),
        ("lifecycle/forms", lifecycle::forms::ROUTES),
        ("reports/pages", reports::pages::ROUTES),
        ("reports/forms", reports::forms::ROUTES),
        ("provenance/pages", provenance::pages::ROUTES),
        ("centers/list", centers::list::ROUTES),
        ("centers/forms", centers::forms::ROUTES),
        ("centers/imports", centers::imports::ROUTES),
        ("imports/pages", imports::pages::ROUTES),
        ("centers/pages", centers::pages::ROUTES),
        ("market/pages", market::pages::ROUTES),
        ("market/listing_pages", market::listing_pages::ROUTES),
        ("market/demand_pages", market::demand_pages::ROUTES),
        ("market/demand_page", market::demand_page::ROUTES),
        ("market/rights_pages", market::rights_pages::ROUTES),
        ("market/inventory_pages", market::inventory_pages::ROUTES),
        ("market/follow_pages", market::follow_pages::ROUTES),
    ]
}

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
            .configure(market::api::configure)
            .configure(market::demand_api::configure)
            .configure(market::rights_api::configure)
            .configure(market::inventory_api::configure)
            .configure(market::follow_api::configure)
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
    market::pages::configure(cfg);
    market::inventory_pages::configure(cfg);
    market::follow_pages::configure(cfg);
    market::listing_pages::configure(cfg);
    market::rights_pages::configure(cfg);
    market::demand_pages::configure(cfg);
    market::demand_page::configure(cfg);
}
