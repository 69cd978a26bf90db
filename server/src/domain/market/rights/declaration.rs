//! Declaring a listed patent under an open licence (开放许可, Patent Law Art. 50–52): the terms
//! checked, every bar named, `open_license` added to the listing's offered modes while the
//! declaration is in force; withdrawn by its owner's side, or ended by the schedule when its term
//! runs out. Licences granted under it are kept.

use chrono::{DateTime, Months, NaiveDate, Utc};
use entities::{open_licences as open, patent_listings as listings};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::{Expr, ExprTrait},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{bars, facts::recorded};
use crate::domain::market::changes::{self, Change};
use crate::{
    auth::CurrentUser,
    domain::{audit::AuditEntry, identifiers::Yuan, market::input::text},
    error::{AppError, FieldErrors},
    i18n::Msg,
    search::{Kind, follow::changed},
};

/// How an open licence's fee is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    LumpSum,
    AnnualFee,
    RoyaltyRate,
}

/// A declaration as the owner's side sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct DeclarationInput {
    pub fee_kind: Option<FeeKind>,
    /// Yuan (`50000.00`) for a lump sum or an annual fee; a percentage (`3.5`) for a royalty rate.
    pub fee: Option<String>,
    /// How and when the licensee pays.
    pub payment: Option<String>,
    /// Years the declaration stays in force.
    pub term_years: Option<i32>,
    /// The co-owners (USCC) whose written consent the owner holds; every co-owner must be named.
    #[serde(default)]
    pub co_owner_consents: Vec<String>,
}

/// A declaration as readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeclarationView {
    pub id: i32,
    pub fee_kind: String,
    pub fee: String,
    pub payment: String,
    pub term_years: i32,
    pub declared_on: NaiveDate,
    pub until: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    /// `withdrawn`, `term_ended` or `not_in_force`.
    pub ended_because: Option<String>,
}

impl From<open::Model> for DeclarationView {
    fn from(m: open::Model) -> Self {
        DeclarationView {
            id: m.id,
            fee_kind: m.fee_kind,
            fee: m.fee,
            payment: m.payment,
            term_years: m.term_years,
            declared_on: m.declared_on,
            until: m.until,
            ended_on: m.ended_on,
            ended_because: m.ended_because,
        }
    }
}

/// Words a declaration may not use (no advertising language).
const ADVERTISING: [&str; 12] = [
    "最佳",
    "最优",
    "最好",
    "最先进",
    "第一",
    "顶级",
    "首选",
    "独家",
    "领先",
    "国家级",
    "世界级",
    "绝对",
];

/// Years of protection from the application date, by patent type (Patent Law Art. 42).
fn protection_years(patent_type: &str) -> u32 {
    match patent_type {
        "utility_model" => 10,
        "design" => 15,
        _ => 20,
    }
}

/// The checked terms as a row, given the listing and `today` (every field named at once).
fn checked(
    input: &DeclarationInput,
    listing: &listings::Model,
    today: NaiveDate,
) -> Result<open::ActiveModel, AppError> {
    let mut errors = FieldErrors::default();
    let required = Msg::new("此项必填", "this field is required");
    let fee_raw = input.fee.as_deref().map(str::trim).unwrap_or("");
    let fee = match input.fee_kind {
        None => {
            errors.add("fee_kind", required.clone());
            None
        }
        Some(_) if fee_raw.is_empty() => {
            errors.add("fee", required.clone());
            None
        }
        Some(FeeKind::RoyaltyRate) => rate(fee_raw, &mut errors),
        Some(_) => Yuan::parse(fee_raw)
            .map_err(|e| errors.add("fee", e.0))
            .ok()
            .map(|y| y.to_string()),
    };
    let payment = text(
        "payment",
        input.payment.as_deref().unwrap_or(""),
        500,
        &mut errors,
    );
    if let Some(word) = ADVERTISING.iter().find(|w| payment.contains(*w)) {
        errors.add(
            "payment",
            Msg::new(
                format!("开放许可声明不得含有广告用语（“{word}”）"),
                format!("a declaration may not advertise ('{word}')"),
            ),
        );
    }
    let term = input.term_years.filter(|y| (1..=20).contains(y));
    if term.is_none() {
        errors.add(
            "term_years",
            Msg::new("许可期限应为 1 至 20 年", "the term is 1 to 20 years"),
        );
    }
    let until = term
        .and_then(|y| today.checked_add_months(Months::new(12 * y as u32)))
        .and_then(|d| d.pred_opt());
    if let (Some(until), Some(filed)) = (until, listing.application_date) {
        let ends = filed
            .checked_add_months(Months::new(12 * protection_years(&listing.patent_type)))
            .and_then(|d| d.pred_opt())
            .unwrap_or(filed);
        if until > ends {
            errors.add(
                "term_years",
                Msg::new(
                    format!("许可期限不能超过专利权期限（至 {ends}）"),
                    format!("the term may not outlast the patent (until {ends})"),
                ),
            );
        }
    }
    errors.into_result(open::ActiveModel {
        fee_kind: Set(input
            .fee_kind
            .map(|k| crate::json::word(&k))
            .unwrap_or_default()),
        fee: Set(fee.unwrap_or_default()),
        payment: Set(payment),
        term_years: Set(term.unwrap_or_default()),
        co_owner_consents: Set(serde_json::to_string(&input.co_owner_consents).unwrap_or_default()),
        declared_on: Set(today),
        until: Set(until.unwrap_or(today)),
        ..Default::default()
    })
}

/// A royalty rate: a percentage above 0 and at most 100, two decimals at most.
fn rate(raw: &str, errors: &mut FieldErrors) -> Option<String> {
    let raw = raw.trim_end_matches('%').trim();
    let ok = raw
        .parse::<f64>()
        .ok()
        .filter(|p| *p > 0.0 && *p <= 100.0)
        .filter(|_| {
            raw.split('.')
                .nth(1)
                .is_none_or(|d| d.len() <= 2 && !d.is_empty())
        });
    if ok.is_none() {
        errors.add(
            "fee",
            Msg::new(
                "提成比例应为 0 至 100 之间的百分数，如 3.5",
                "a royalty rate is a percentage above 0 up to 100, like 3.5",
            ),
        );
    }
    ok.map(|_| raw.to_string())
}

/// The declaration of listing `id` in force on `day`, if any.
pub async fn in_force_on(
    db: &impl ConnectionTrait,
    id: i32,
    day: NaiveDate,
) -> Result<Option<open::Model>, AppError> {
    Ok(open::Entity::find()
        .filter(open::Column::ListingId.eq(id))
        .filter(open::Column::EndedOn.is_null())
        .filter(open::Column::Until.gte(day))
        .one(db)
        .await?)
}

/// Declares an open licence for listing `id`: 409 while one is in force (new terms need a
/// withdrawal first), 422 naming each field, 409 naming every bar; `open_license` joins the
/// listing's offered modes.
pub async fn declare(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
    input: &DeclarationInput,
    (today, now): (NaiveDate, DateTime<Utc>),
) -> Result<DeclarationView, AppError> {
    let (listing, _) = crate::domain::market::listings::managed(txn, user, id).await?;
    if let Some(current) = in_force_on(txn, id, today).await? {
        return Err(AppError::Conflict(Msg::new(
            format!(
                "已有生效的开放许可声明（至 {}），如需变更条件请先撤回",
                current.until
            ),
            format!(
                "an open licence is in force (until {}); withdraw it to change its terms",
                current.until
            ),
        )));
    }
    let mut row = checked(input, &listing, today)?;
    let found = bars::bars(
        &listing,
        &recorded(txn, id, None).await?,
        Some(&input.co_owner_consents),
        today,
    );
    if !found.is_empty() {
        return Err(AppError::Conflict(bars::refusal(&found)));
    }
    row.listing_id = Set(id);
    row.declared_by = Set(user.id);
    row.created_at = Set(now);
    let saved = row.insert(txn).await?;
    set_open_mode(txn, &listing, true, now).await?;
    changes::record(txn, id, Change::OpenLicence, now).await?;
    AuditEntry::new(Some(user.id), "listing.open_licence", "patent_listing", id)
        .after(&saved.id)
        .write(txn, now)
        .await?;
    Ok(saved.into())
}

/// Withdraws the declaration in force of listing `id` (409 when none is): the licences granted
/// under it are kept.
pub async fn withdraw(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
    (today, now): (NaiveDate, DateTime<Utc>),
) -> Result<DeclarationView, AppError> {
    let (listing, _) = crate::domain::market::listings::managed(txn, user, id).await?;
    let current = in_force_on(txn, id, today).await?.ok_or_else(|| {
        AppError::Conflict(Msg::new(
            "该专利没有生效的开放许可声明",
            "no open licence is in force",
        ))
    })?;
    let ended = end_row(txn, current, today, "withdrawn").await?;
    set_open_mode(txn, &listing, false, now).await?;
    changes::record(txn, id, Change::OpenLicenceEnded, now).await?;
    AuditEntry::new(
        Some(user.id),
        "listing.open_licence_withdraw",
        "patent_listing",
        id,
    )
    .after(&ended.id)
    .write(txn, now)
    .await?;
    Ok(ended.into())
}

/// Ends the declarations whose term ran out before `today`, or whose patent is no longer granted
/// and in force (lapsed, invalidated, expired: from the day its status changed) — the schedule;
/// idempotent: the number ended.
pub async fn end_due(
    txn: &impl ConnectionTrait,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let open_rows = open::Entity::find()
        .filter(open::Column::EndedOn.is_null())
        .all(txn)
        .await?;
    let mut ended = 0;
    for row in open_rows {
        let Some(listing) = listings::Entity::find_by_id(row.listing_id)
            .one(txn)
            .await?
        else {
            continue;
        };
        let (day, because) = if row.until < today {
            (row.until.succ_opt().unwrap_or(row.until), "term_ended")
        } else if listing.legal_status != "granted" {
            (
                Ord::max(listing.legal_status_since, row.declared_on),
                "not_in_force",
            )
        } else {
            continue;
        };
        end_row(txn, row, day, because).await?;
        set_open_mode(txn, &listing, false, now).await?;
        changes::record(txn, listing.id, Change::OpenLicenceEnded, now).await?;
        ended += 1;
    }
    Ok(ended)
}

/// The declarations of listing `id`, newest first (as `user` may read the listing).
pub async fn history(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> Result<Vec<DeclarationView>, AppError> {
    crate::domain::market::listings::get(db, user, id).await?;
    let rows = open::Entity::find()
        .filter(open::Column::ListingId.eq(id))
        .order_by_desc(open::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(DeclarationView::from).collect())
}

/// Ends `row` on `day` for `because`.
async fn end_row(
    txn: &impl ConnectionTrait,
    row: open::Model,
    day: NaiveDate,
    because: &str,
) -> Result<open::Model, AppError> {
    let mut active: open::ActiveModel = row.into();
    active.ended_on = Set(Some(day));
    active.ended_because = Set(Some(because.into()));
    Ok(active.update(txn).await?)
}

/// Adds `open_license` to (or removes it from) the listing's offered modes, at a new version
/// (409 when the listing changed since it was read: two declarations sent at once), and tells
/// the search index.
async fn set_open_mode(
    txn: &impl ConnectionTrait,
    listing: &listings::Model,
    open: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut modes: Vec<String> = serde_json::from_str(&listing.offered_modes).unwrap_or_default();
    modes.retain(|m| m != "open_license");
    if open {
        modes.push("open_license".into());
    }
    let updated = listings::Entity::update_many()
        .col_expr(
            listings::Column::OfferedModes,
            serde_json::to_string(&modes).unwrap_or_default().into(),
        )
        .col_expr(
            listings::Column::Version,
            Expr::col(listings::Column::Version).add(1),
        )
        .col_expr(listings::Column::UpdatedAt, now.into())
        .filter(listings::Column::Id.eq(listing.id))
        .filter(listings::Column::Version.eq(listing.version))
        .exec(txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::Conflict(Msg::new(
            "该专利已被他人修改，请刷新后重试",
            "someone changed the listing meanwhile; reload and try again",
        )));
    }
    Ok(changed(txn, Kind::Listing, listing.id, now).await?)
}
