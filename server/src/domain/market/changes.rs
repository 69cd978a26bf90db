//! A listing's changes its subscribers are told of — withdrawn, listed again, its terms (price,
//! offered modes, legal status), an open licence declared or ended: recorded in the transaction
//! of the change, mailed by the schedule to the subscribers of that moment, each change once
//! (claimed before it is mailed, so two instances never both send it).

use chrono::{DateTime, Utc};
use entities::{listing_changes as changes, patent_listings as listings};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, sea_query::Expr,
};
use serde::Serialize;

use super::follows::subscribers;
use crate::{domain::services::Services, error::AppError, mail::enqueue};

/// What changed about a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Withdrawn,
    Relisted,
    Terms,
    OpenLicence,
    OpenLicenceEnded,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Change::Withdrawn => "withdrawn",
            Change::Relisted => "relisted",
            Change::Terms => "terms",
            Change::OpenLicence => "open_licence",
            Change::OpenLicenceEnded => "open_licence_ended",
        }
    }

    /// The change in words: (Chinese, English).
    fn words(what: &str) -> (&'static str, &'static str) {
        match what {
            "withdrawn" => ("已撤下", "was withdrawn"),
            "relisted" => ("已重新上架", "is listed again"),
            "open_licence" => ("已声明开放许可", "is offered under an open licence"),
            "open_licence_ended" => ("开放许可已结束", "is no longer under an open licence"),
            _ => (
                "报价、转化方式或法律状态有变化",
                "changed its price, modes or legal status",
            ),
        }
    }
}

/// Records, in the caller's transaction, that listing `id` changed (`what`).
pub async fn record(
    txn: &impl ConnectionTrait,
    id: i32,
    what: Change,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    changes::ActiveModel {
        listing_id: Set(id),
        what: Set(what.as_str().into()),
        mailed: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Whether a correction from `before` to `after` changes the terms subscribers are told of.
pub fn terms_changed(before: &listings::Model, after: &listings::Model) -> bool {
    before.asking_price_fen != after.asking_price_fen
        || before.offered_modes != after.offered_modes
        || before.legal_status != after.legal_status
}

#[derive(Serialize)]
struct Mailed {
    title: String,
    number: String,
    what_zh: &'static str,
    what_en: &'static str,
    link: String,
}

/// Mails every change not mailed yet to the listing's subscribers (the schedule): how many
/// changes.
pub async fn mail_due(services: &Services<'_>) -> Result<usize, AppError> {
    let due: Vec<i32> = changes::Entity::find()
        .select_only()
        .column(changes::Column::Id)
        .filter(changes::Column::Mailed.eq(false))
        .order_by_asc(changes::Column::Id)
        .limit(1_000)
        .into_tuple()
        .all(services.db)
        .await?;
    let mut sent = 0;
    for id in due {
        let mailed =
            crate::db::write(services.db, async |txn| mail_one(txn, services, id).await).await?;
        sent += usize::from(mailed);
    }
    Ok(sent)
}

/// Claims change `id` and writes its mails in one transaction: false when another instance
/// claimed it first.
async fn mail_one(
    txn: &impl ConnectionTrait,
    services: &Services<'_>,
    id: i32,
) -> Result<bool, AppError> {
    let claimed = changes::Entity::update_many()
        .col_expr(changes::Column::Mailed, Expr::value(true))
        .filter(changes::Column::Id.eq(id))
        .filter(changes::Column::Mailed.eq(false))
        .exec(txn)
        .await?;
    let Some(change) = changes::Entity::find_by_id(id)
        .one(txn)
        .await?
        .filter(|_| claimed.rows_affected == 1)
    else {
        return Ok(false);
    };
    let Some(listing) = listings::Entity::find_by_id(change.listing_id)
        .one(txn)
        .await?
    else {
        return Ok(true);
    };
    let to = subscribers(txn, listing.id).await?;
    if to.is_empty() {
        return Ok(true);
    }
    let (what_zh, what_en) = Change::words(&change.what);
    let data = Mailed {
        title: listing.title,
        number: listing.application_number,
        what_zh,
        what_en,
        link: format!("{}/patents/{}", services.public_url, listing.id),
    };
    enqueue(txn, services.mail(), "listing_changed", &to, &data).await?;
    Ok(true)
}
