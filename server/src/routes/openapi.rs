//! `GET /api/openapi.json` and the rendered document at `/api/docs/` (assets inside the binary).

use actix_web::web;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{Http, HttpAuthScheme, SecurityScheme},
};
use utoipa_swagger_ui::SwaggerUi;

use super::{api_auth, api_organizations, api_rulebook, api_users, health};

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
    ),
    modifiers(&BearerAuth),
    tags((name = "auth"), (name = "users"), (name = "rulebook"), (name = "organizations"), (name = "health"))
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

/// Registers the document and its viewer.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", ApiDoc::openapi()));
}
