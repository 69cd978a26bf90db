//! `GET /api/openapi.json` and the rendered document at `/api/docs/` (assets inside the binary).

use actix_web::web;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{Http, HttpAuthScheme, SecurityScheme},
};
use utoipa_swagger_ui::SwaggerUi;

use super::{
    api_alliance, api_applications, api_auth, api_centers, api_dashboard, api_exit, api_imports,
    api_ledger, api_organizations, api_provenance, api_public, api_queue, api_reports,
    api_rulebook, api_users, health,
};

/// The OpenAPI document of every route.
#[derive(OpenApi)]
#[openapi(
    info(title = "ipoc API", description = "产业知识产权运营中心管理系统 — industrial IP operation centers"),
    paths(
        health::health,
        api_auth::login_route,
        api_auth::register,
        api_auth::me,
        api_users::create_user,
        api_users::list_users,
        api_users::update_user,
        api_rulebook::list_versions,
        api_rulebook::create_version,
        api_organizations::create_organization,
        api_organizations::search_organizations,
        api_centers::create_center,
        api_centers::list_centers,
        api_centers::get_center,
        api_centers::center_metrics,
        api_centers::register_cycle,
        api_centers::list_industries,
        api_centers::add_industry,
        api_alliance::add_member,
        api_alliance::list_members,
        api_alliance::withdraw_member,
        api_alliance::update_member,
        api_alliance::delete_member,
        api_alliance::request_to_join,
        api_alliance::list_join_requests,
        api_alliance::approve_request,
        api_alliance::decline_request,
        api_ledger::create_transaction,
        api_ledger::list_transactions,
        api_ledger::update_transaction,
        api_ledger::delete_transaction,
        api_ledger::create_project,
        api_ledger::list_projects,
        api_ledger::update_project,
        api_ledger::delete_project,
        api_ledger::create_event,
        api_ledger::list_events,
        api_ledger::update_event,
        api_ledger::delete_event,
        api_imports::import_transactions,
        api_imports::import_members,
        api_applications::create_application,
        api_applications::list_center_applications,
        api_queue::queue,
        api_applications::get_application,
        api_applications::save_application,
        api_applications::submit,
        api_applications::recommend,
        api_applications::return_application,
        api_applications::assign,
        api_applications::conflict,
        api_applications::scores,
        api_applications::decide,
        api_applications::raise_objection,
        api_applications::resolve_objection,
        api_public::public_centers,
        api_applications::attach,
        api_applications::download_attachment,
        api_reports::list_reports,
        api_reports::get_report,
        api_reports::save_report,
        api_reports::submit_report,
        api_reports::return_report,
        api_reports::assign_report,
        api_reports::declare_on_report,
        api_reports::score_report,
        api_reports::record_decision,
        api_reports::list_decisions,
        api_reports::file_rectification,
        api_reports::get_rectification,
        api_exit::request_withdrawal,
        api_exit::cancel_withdrawal,
        api_exit::list_withdrawals,
        api_dashboard::national_dashboard,
        api_provenance::figure_records,
    ),
    modifiers(&BearerAuth, &FaultResponses),
    tags((name = "auth"), (name = "users"), (name = "rulebook"), (name = "organizations"), (name = "centers"), (name = "alliance"), (name = "ledger"), (name = "accreditation"), (name = "reports"), (name = "dashboard"), (name = "health"))
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

/// Registers the document and its viewer.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", ApiDoc::openapi()));
}
