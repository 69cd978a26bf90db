//! `GET /api/openapi.json` and the rendered document at `/api/docs/` (assets inside the binary).

use actix_web::web;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{Http, HttpAuthScheme, SecurityScheme},
};
use utoipa_swagger_ui::SwaggerUi;

use super::{
    accreditation, admin, alliance, auth, centers, dashboard, health, imports, ledger, lifecycle,
    market, organizations, provenance, public, reports,
};

/// The OpenAPI document of every route.
#[derive(OpenApi)]
#[openapi(
    info(title = "ipoc API", description = "产业知识产权运营中心管理系统 — industrial IP operation centers.\n\n[← 返回 ipoc 工作台 · back to ipoc](/home)"),
    paths(
        health::health,
        auth::api::login_route,
        auth::api::register,
        auth::api::logout,
        auth::api::me,
        auth::links::pending,
        auth::links::approve,
        auth::links::decline,
        admin::api::create_user,
        admin::api::list_users,
        admin::api::update_user,
        admin::rulebook::list_versions,
        admin::rulebook::create_version,
        organizations::api::create_organization,
        organizations::api::search_organizations,
        centers::api::create_center,
        centers::api::list_centers,
        centers::api::get_center,
        centers::api::center_metrics,
        centers::api::register_cycle,
        centers::api::list_industries,
        centers::api::add_industry,
        alliance::api::add_member,
        alliance::api::list_members,
        alliance::api::withdraw_member,
        alliance::api::update_member,
        alliance::api::delete_member,
        alliance::api::request_to_join,
        alliance::api::list_join_requests,
        alliance::api::approve_request,
        alliance::api::decline_request,
        ledger::api::create_transaction,
        ledger::api::list_transactions,
        ledger::api::update_transaction,
        ledger::api::delete_transaction,
        ledger::api::create_project,
        ledger::api::list_projects,
        ledger::api::update_project,
        ledger::api::delete_project,
        ledger::api::create_event,
        ledger::api::list_events,
        ledger::api::update_event,
        ledger::api::delete_event,
        imports::api::import_transactions,
        imports::api::import_members,
        accreditation::api::create_application,
        accreditation::api::list_center_applications,
        accreditation::queue::queue,
        accreditation::api::get_application,
        accreditation::api::save_application,
        accreditation::api::submit,
        accreditation::api::recommend,
        accreditation::api::return_application,
        accreditation::api::assign,
        accreditation::api::conflict,
        accreditation::api::scores,
        accreditation::api::decide,
        accreditation::api::raise_objection,
        accreditation::api::resolve_objection,
        public::api::public_centers,
        public::api::public_center,
        accreditation::api::attach,
        accreditation::api::download_attachment,
        reports::api::list_reports,
        reports::api::get_report,
        reports::api::save_report,
        reports::api::submit_report,
        reports::api::return_report,
        reports::api::assign_report,
        reports::api::declare_on_report,
        reports::api::score_report,
        lifecycle::api::record_decision,
        lifecycle::api::list_decisions,
        lifecycle::api::file_rectification,
        lifecycle::api::get_rectification,
        lifecycle::api::request_withdrawal,
        lifecycle::api::cancel_withdrawal,
        lifecycle::api::list_withdrawals,
        dashboard::api::national_dashboard,
        provenance::api::figure_records,
        market::api::create_listing,
        market::api::list_listings,
        market::api::get_listing,
        market::api::update_listing,
        market::api::withdraw_listing,
        market::api::relist_listing,
        market::api::evaluate,
        market::api::list_evaluations,
        market::api::update_evaluation,
        market::demand_api::create_demand,
        market::demand_api::list_demands,
        market::demand_api::get_demand,
        market::demand_api::update_demand,
        market::rights_api::rights_of,
        market::rights_api::declare,
        market::rights_api::withdraw,
        market::rights_api::record_licence,
        market::rights_api::licences,
        market::rights_api::record_pledge,
        market::rights_api::pledges,
        market::rights_api::record_suspension,
        market::rights_api::suspensions,
        market::rights_api::end_fact,
        market::rights_api::upload_report,
        market::rights_api::download_report,
        market::inventory_api::import_patents,
        market::inventory_api::import_status,
        market::follow_api::add_favourite,
        market::follow_api::remove_favourite,
        market::follow_api::subscribe,
        market::follow_api::unsubscribe,
        market::follow_api::favourites,
    ),
    modifiers(&BearerAuth, &FaultResponses),
    tags((name = "auth"), (name = "users"), (name = "rulebook"), (name = "organizations"), (name = "centers"), (name = "alliance"), (name = "ledger"), (name = "accreditation"), (name = "reports"), (name = "dashboard"), (name = "market"), (name = "health"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The answers every route may give besides its own: 503 `unavailable` (with `Retry-After`)
/// wherever the database is used, and 413 `too_large` wherever a body is read.
struct FaultResponses;

impl Modify for FaultResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Content, Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                )
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            if path == "/health" {
                continue;
            }
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let responses = &mut operation.responses.responses;
                if operation.request_body.is_some() {
                    responses.entry("413".into()).or_insert_with(|| {
                        error("too_large: the body exceeds its limit (JSON 1 MiB; uploads IPOC_IMPORT_MAX_MB or IPOC_ATTACHMENT_MAX_MB)").into()
                    });
                }
                responses.entry("503".into()).or_insert_with(|| {
                    error("unavailable: the database cannot be reached, its storage refuses writes, or every connection is busy; try again after `Retry-After` seconds").into()
                });
            }
        }
    }
}

/// The document and its viewer (not attribute routes: the viewer's service registers them).
pub const ROUTES: super::PageRoutes = &[("GET", "/api/openapi.json"), ("GET", "/api/docs/")];

/// Registers the document and its viewer.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", ApiDoc::openapi()));
}
