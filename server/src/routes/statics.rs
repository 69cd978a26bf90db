//! Static assets (stylesheet) embedded in the binary.

use actix_web::{HttpResponse, get, http::header, web};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "static"]
struct Assets;

#[get("/static/{file}")]
async fn asset(file: web::Path<String>) -> HttpResponse {
    match Assets::get(&file) {
        Some(content) => {
            let mime = if file.ends_with(".css") {
                "text/css; charset=utf-8"
            } else if file.ends_with(".js") {
                "text/javascript; charset=utf-8"
            } else if file.ends_with(".svg") {
                "image/svg+xml"
            } else {
                "application/octet-stream"
            };
            HttpResponse::Ok()
                .insert_header((header::CONTENT_TYPE, mime))
                .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
                .body(content.data.into_owned())
        }
        None => HttpResponse::NotFound().finish(),
    }
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::PageRoutes = &[("GET", "/static/{file}")];

/// Registers the route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(asset);
}
