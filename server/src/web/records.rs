//! The JSON answers of the ledger's record commands, for every kind of record (deals, projects,
//! service events, memberships): the center's staff only, one transaction through `db::write`.

use actix_web::HttpResponse;

use crate::{
    auth::CurrentUser,
    db::write,
    domain::{access, ledger::records},
    error::AppError,
    state::AppState,
};

/// The fields of an edit, with its `version`.
pub type Patch = serde_json::Map<String, serde_json::Value>;

/// Records a new `R` of center `id`: 201 with the record.
pub async fn create<R: records::LedgerRecord>(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    input: R::Input,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, user, id).await?;
    let (today, now) = (state.clock.today(), state.clock.now());
    let created = write(&state.db, async |txn| {
        records::create::<R>(txn, center.id, user.id, input, today, now).await
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Edits the `R` `record` of center `id` at the patch's `version`: 200 with the record.
pub async fn update<R: records::LedgerRecord>(
    state: &AppState,
    user: &CurrentUser,
    (id, record): (i32, i64),
    patch: Patch,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, user, id).await?;
    let (today, now) = (state.clock.today(), state.clock.now());
    let updated = write(&state.db, async |txn| {
        records::update::<R>(txn, center.id, record, user.id, patch, today, now).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(updated))
}

/// Deletes the `R` `record` of center `id` entered by mistake, at `version`: 200 with the record.
pub async fn delete<R: records::LedgerRecord>(
    state: &AppState,
    user: &CurrentUser,
    (id, record): (i32, i64),
    version: i32,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, user, id).await?;
    let now = state.clock.now();
    let deleted = write(&state.db, async |txn| {
        records::delete::<R>(txn, center.id, record, version, user.id, now).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(deleted))
}
