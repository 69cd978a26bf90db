//! Downloads from a center's page with the page's own session (`/api` takes only Bearer
//! tokens): `/centers/{id}/downloads/{transactions|members|projects|events}.{xlsx|csv}`.

use actix_web::{HttpResponse, get, web};

use super::export::{self, ExportFormat};
use crate::{
    auth::CurrentUser,
    domain::{access, alliance, ledger::records},
    error::AppError,
    state::AppState,
};

/// A whole list of the center's records as a file (readers of the center), the same file the
/// API's `?format=` gives.
#[get("/centers/{id}/downloads/{file}")]
async fn download(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, file) = path.into_inner();
    let (kind, format) = match file.rsplit_once('.') {
        Some((kind, "xlsx")) => (kind, ExportFormat::Xlsx),
        Some((kind, "csv")) => (kind, ExportFormat::Csv),
        _ => return Err(AppError::NotFound),
    };
    let center = access::readable_center(&state.db, &user, id).await?;
    let all = u64::MAX / 2;
    match kind {
        "transactions" => {
            let filter = crate::domain::ledger::transactions_filter(None, None);
            let list = records::list_transactions(&state.db, center.id, &filter, 1, all).await?;
            export::download(format, export::transactions(&list.items))
        }
        "members" => {
            let list = alliance::list(&state.db, center.id, Default::default(), 1, all).await?;
            export::download(format, export::members(&list.items))
        }
        "projects" => {
            let list = records::list_projects(&state.db, center.id, 1, all).await?;
            export::download(format, export::projects(&list.items))
        }
        "events" => {
            let list = records::list_events(&state.db, center.id, 1, all).await?;
            export::download(format, export::events(&list.items))
        }
        _ => Err(AppError::NotFound),
    }
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(download);
}
