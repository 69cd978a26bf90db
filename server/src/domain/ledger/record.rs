//! The one shape of a center's ledger records — deals, projects, service events: each kind says
//! how its input is validated, how it is inserted and changed with what belongs to it (a deal's
//! patents, an event's organizations served), what it moves while it counts (a deal, its
//! center's year totals) and how it is shown; one set of commands creates, edits at a version
//! and deletes (entered by mistake) any of them inside the caller's transaction, with its audit
//! row. Taking the transaction itself, a command cannot be run without one, and any command can
//! be composed inside another's.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, sea_query::Expr,
};
use serde::{Serialize, de::DeserializeOwned};

use super::{VersionedTable, find_live, id_value, merge_patch, update_if_current, version_of};
use crate::{domain::audit::AuditEntry, error::AppError};

/// A kind of ledger record.
// The commands run on actix's per-thread workers and in `block_on`: no `Send` bound is needed.
#[allow(async_fn_in_trait)]
pub trait LedgerRecord {
    /// Its table.
    type Entity: VersionedTable<Model = Self::Model>;
    /// Its row.
    type Model: Clone + Send + Sync + 'static;
    /// What a client sends; an edit lays its fields over the record's own.
    type Input: Serialize + DeserializeOwned;
    /// The input once validated whole.
    type Valid;
    /// The record as it is shown (and audited).
    type View: Serialize;

    /// Its name in the audit (`<name>.create`, `.update`, `.delete`).
    const NAME: &'static str;

    /// Its id and version.
    fn key(model: &Self::Model) -> (i64, i32);

    /// `input` validated whole, or every field's error (422).
    async fn validate(
        db: &impl ConnectionTrait,
        input: &Self::Input,
        today: NaiveDate,
    ) -> Result<Self::Valid, AppError>;

    /// Inserts the record of `center_id` and what belongs to it.
    async fn insert(
        db: &DatabaseTransaction,
        center_id: i32,
        valid: &Self::Valid,
        actor_user_id: i32,
        now: DateTime<Utc>,
    ) -> Result<Self::Model, AppError>;

    /// The columns an edit sets.
    fn changes(valid: &Self::Valid) -> Vec<(<Self::Entity as EntityTrait>::Column, Expr)>;

    /// Before an edit of the record `id` is written: refuses one that would clash with another
    /// record (409), with a message saying with which.
    async fn admit(
        _db: &DatabaseTransaction,
        _id: i64,
        _valid: &Self::Valid,
    ) -> Result<(), AppError> {
        Ok(())
    }

    /// After an edit: writes again what belongs to the record `id`.
    async fn relink(db: &DatabaseTransaction, id: i64, valid: &Self::Valid)
    -> Result<(), AppError>;

    /// What the record moves when it starts (`sign` 1) or stops (-1) counting.
    async fn moves(
        _db: &DatabaseTransaction,
        _model: &Self::Model,
        _sign: i64,
    ) -> Result<(), AppError> {
        Ok(())
    }

    /// The records as they are shown.
    async fn views(
        db: &impl ConnectionTrait,
        models: Vec<Self::Model>,
    ) -> Result<Vec<Self::View>, AppError>;

    /// The input that would make the record as it is (what an edit is laid over).
    fn input_of(view: &Self::View) -> Self::Input;
}

/// One record as it is shown.
async fn view_of<R: LedgerRecord>(
    db: &impl ConnectionTrait,
    model: R::Model,
) -> Result<R::View, AppError> {
    R::views(db, vec![model])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// The live `R` `id` of `center_id` as it is shown (404 when it is not there, or deleted).
pub async fn find_view<R: LedgerRecord>(
    db: &impl ConnectionTrait,
    center_id: i32,
    id: i64,
) -> Result<R::View, AppError> {
    let model = find_live::<R::Entity>(db, center_id, id).await?;
    view_of::<R>(db, model).await
}

/// Records a new `R` of `center_id` with what belongs to it and what it moves, and audits it.
pub async fn create<R: LedgerRecord>(
    db: &DatabaseTransaction,
    center_id: i32,
    actor_user_id: i32,
    input: R::Input,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<R::View, AppError> {
    let valid = R::validate(db, &input, today).await?;
    let model = R::insert(db, center_id, &valid, actor_user_id, now).await?;
    R::moves(db, &model, 1).await?;
    let (id, _) = R::key(&model);
    let view = view_of::<R>(db, model).await?;
    AuditEntry::new(
        Some(actor_user_id),
        &format!("{}.create", R::NAME),
        R::NAME,
        id,
    )
    .after(&view)
    .write(db, now)
    .await?;
    Ok(view)
}

/// Edits the live `R` `id` of `center_id`: the fields of `patch` are laid over the record and
/// validated whole; 409 when its `version` is stale.
pub async fn update<R: LedgerRecord>(
    db: &DatabaseTransaction,
    center_id: i32,
    id: i64,
    actor_user_id: i32,
    patch: serde_json::Map<String, serde_json::Value>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<R::View, AppError> {
    let version = version_of(&patch)?;
    let before = find_live::<R::Entity>(db, center_id, id).await?;
    let before_view = view_of::<R>(db, before.clone()).await?;
    let input = merge_patch(&R::input_of(&before_view), patch)?;
    let valid = R::validate(db, &input, today).await?;
    let (_, current) = R::key(&before);
    R::admit(db, id, &valid).await?;
    update_if_current::<R::Entity>(db, (id, version, current), R::changes(&valid), now).await?;
    R::relink(db, id, &valid).await?;
    let after = find_live::<R::Entity>(db, center_id, id).await?;
    R::moves(db, &before, -1).await?;
    R::moves(db, &after, 1).await?;
    let after_view = view_of::<R>(db, after).await?;
    AuditEntry::new(
        Some(actor_user_id),
        &format!("{}.update", R::NAME),
        R::NAME,
        id,
    )
    .before(&before_view)
    .after(&after_view)
    .write(db, now)
    .await?;
    Ok(after_view)
}

/// Marks the live `R` `id` of `center_id` entered by mistake as deleted (it never counts again);
/// 409 when `version` is stale.
pub async fn delete<R: LedgerRecord>(
    db: &DatabaseTransaction,
    center_id: i32,
    id: i64,
    version: i32,
    actor_user_id: i32,
    now: DateTime<Utc>,
) -> Result<R::View, AppError> {
    let before = find_live::<R::Entity>(db, center_id, id).await?;
    let before_view = view_of::<R>(db, before.clone()).await?;
    let (_, current) = R::key(&before);
    let deleted = vec![(R::Entity::columns().deleted_at, Expr::value(now))];
    update_if_current::<R::Entity>(db, (id, version, current), deleted, now).await?;
    R::moves(db, &before, -1).await?;
    let after = R::Entity::find()
        .filter(R::Entity::columns().id.eq(id_value::<R::Entity>(id)?))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    AuditEntry::new(
        Some(actor_user_id),
        &format!("{}.delete", R::NAME),
        R::NAME,
        id,
    )
    .before(&before_view)
    .write(db, now)
    .await?;
    view_of::<R>(db, after).await
}
