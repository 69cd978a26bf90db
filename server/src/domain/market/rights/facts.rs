//! The recorded facts of a listed patent (licences, pledges, suspensions): recorded by those who
//! manage the listing, read by everyone who reads it, ended on a day when they end early.

use chrono::{DateTime, NaiveDate, Utc};
use entities::listing_facts as facts;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::declaration::in_force_on;
use crate::{
    auth::CurrentUser,
    domain::{audit::AuditEntry, market::input::date},
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// A licence as recorded: its kind, licensee and term.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LicenceInput {
    /// `exclusive` (独占), `sole` (排他) or `ordinary` (普通).
    pub kind: Option<LicenceKind>,
    pub licensee: Option<String>,
    /// YYYY-MM-DD.
    pub from: Option<String>,
    /// YYYY-MM-DD, the last day.
    pub to: Option<String>,
}

/// A licence's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LicenceKind {
    Exclusive,
    Sole,
    Ordinary,
}

/// A pledge as recorded: the pledgee, its term and whether it consents to an open licence.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PledgeInput {
    pub pledgee: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(default)]
    pub pledgee_consent: bool,
}

/// A suspension as recorded: why, and from when (to when, if known).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SuspensionInput {
    /// `ownership_dispute` (权属纠纷) or `preservation` (法院财产保全).
    pub reason: Option<SuspensionReason>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Why a patent is suspended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SuspensionReason {
    OwnershipDispute,
    Preservation,
}

/// A fact to record, checked field by field.
pub enum FactInput {
    Licence(LicenceInput),
    Pledge(PledgeInput),
    Suspension(SuspensionInput),
}

/// The day a fact ends early.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EndInput {
    /// YYYY-MM-DD, its last day in force.
    pub to: Option<String>,
}

/// A recorded fact as readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FactView {
    pub id: i32,
    /// `licence`, `pledge`, `suspension` or `evaluation_report`.
    pub fact: String,
    /// A licence's kind or a suspension's reason.
    pub kind: Option<String>,
    /// The licensee or the pledgee.
    pub party: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// A pledgee's consent to an open licence.
    pub consent: Option<bool>,
    /// An evaluation report's file name.
    pub file_name: Option<String>,
    pub in_force: bool,
    pub created_at: DateTime<Utc>,
}

/// `row` as readers see it on `today`.
pub fn view(row: facts::Model, today: NaiveDate) -> FactView {
    FactView {
        in_force: super::bars::in_force(&row, today),
        id: row.id,
        fact: row.fact,
        kind: row.kind,
        party: row.party,
        from: row.from_date,
        to: row.to_date,
        consent: row.consent,
        file_name: row.file_name,
        created_at: row.created_at,
    }
}

/// A party's name: required, at most 100 characters.
fn party(field: &str, raw: &Option<String>, errors: &mut FieldErrors) -> String {
    super::super::input::text(field, raw.as_deref().unwrap_or(""), 100, errors)
}

/// The checked row of `input` (422 naming every field that does not fit).
fn checked(input: &FactInput) -> Result<facts::ActiveModel, AppError> {
    let mut errors = FieldErrors::default();
    let required = Msg::new("此项必填", "this field is required");
    let (fact, kind, who, (from, to), consent) = match input {
        FactInput::Licence(l) => {
            let kind = l.kind.map(|k| crate::json::word(&k));
            (kind.is_none()).then(|| errors.add("kind", required.clone()));
            (l.to.is_none()).then(|| errors.add("to", required.clone()));
            (
                "licence",
                kind,
                party("licensee", &l.licensee, &mut errors),
                (&l.from, &l.to),
                None,
            )
        }
        FactInput::Pledge(p) => {
            let who = party("pledgee", &p.pledgee, &mut errors);
            (
                "pledge",
                None,
                who,
                (&p.from, &p.to),
                Some(p.pledgee_consent),
            )
        }
        FactInput::Suspension(s) => {
            let reason = s.reason.map(|r| crate::json::word(&r));
            (reason.is_none()).then(|| errors.add("reason", required.clone()));
            ("suspension", reason, String::new(), (&s.from, &s.to), None)
        }
    };
    (from.is_none()).then(|| errors.add("from", required));
    let from = date("from", from.as_deref(), &mut errors);
    let to = date("to", to.as_deref(), &mut errors);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        errors.add(
            "to",
            Msg::new(
                "结束日期不能早于开始日期",
                "the end may not precede the start",
            ),
        );
    }
    errors.into_result(facts::ActiveModel {
        fact: Set(fact.into()),
        kind: Set(kind),
        party: Set(Some(who).filter(|w| !w.is_empty())),
        from_date: Set(from),
        to_date: Set(to),
        consent: Set(consent),
        ..Default::default()
    })
}

/// Records a fact on listing `id` (those who manage it; 404 to others): an exclusive or sole
/// licence overlapping an open licence in force is refused (409).
pub async fn record(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
    input: FactInput,
    (today, now): (NaiveDate, DateTime<Utc>),
) -> Result<FactView, AppError> {
    let (listing, _) = crate::domain::market::listings::managed(txn, user, id).await?;
    let mut row = checked(&input)?;
    if let FactInput::Licence(l) = &input
        && matches!(l.kind, Some(LicenceKind::Exclusive | LicenceKind::Sole))
        && let Some(open) = in_force_on(txn, listing.id, today).await?
    {
        return Err(AppError::Conflict(Msg::new(
            format!(
                "开放许可声明有效期间（至 {}）不得登记独占或排他许可",
                open.until
            ),
            format!(
                "no exclusive or sole licence while an open licence is in force (until {})",
                open.until
            ),
        )));
    }
    row.listing_id = Set(listing.id);
    row.recorded_by = Set(user.id);
    row.created_at = Set(now);
    let saved = row.insert(txn).await?;
    AuditEntry::new(
        Some(user.id),
        &format!("listing.{}", saved.fact),
        "patent_listing",
        id,
    )
    .after(&saved.id)
    .write(txn, now)
    .await?;
    Ok(view(saved, today))
}

/// Ends fact `fact_id` of listing `id` on `input.to` (its last day): 409 when it already ended.
pub async fn end(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    (id, fact_id): (i32, i32),
    input: &EndInput,
    (today, now): (NaiveDate, DateTime<Utc>),
) -> Result<FactView, AppError> {
    let (listing, _) = crate::domain::market::listings::managed(txn, user, id).await?;
    let row = facts::Entity::find_by_id(fact_id)
        .filter(facts::Column::ListingId.eq(listing.id))
        .filter(facts::Column::Fact.ne("evaluation_report"))
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    (input.to.is_none()).then(|| errors.add("to", Msg::new("此项必填", "this field is required")));
    let to = date("to", input.to.as_deref(), &mut errors);
    if let (Some(t), Some(f)) = (to, row.from_date)
        && t < f
    {
        errors.add(
            "to",
            Msg::new(
                "结束日期不能早于开始日期",
                "the end may not precede the start",
            ),
        );
    }
    let to = errors.into_result(to)?.unwrap_or(today);
    if row.to_date.is_some_and(|t| t <= to) {
        return Err(AppError::Conflict(Msg::new(
            "该记录已于此前结束",
            "it ended already",
        )));
    }
    let mut active: facts::ActiveModel = row.clone().into();
    active.to_date = Set(Some(to));
    let saved = active.update(txn).await?;
    AuditEntry::new(
        Some(user.id),
        &format!("listing.{}_end", row.fact),
        "patent_listing",
        id,
    )
    .after(&to)
    .write(txn, now)
    .await?;
    Ok(view(saved, today))
}

/// The facts of listing `id` (as `user` may read it), `fact` only when given, oldest first.
pub async fn of_listing(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
    fact: Option<&str>,
    today: NaiveDate,
) -> Result<Vec<FactView>, AppError> {
    crate::domain::market::listings::get(db, user, id).await?;
    Ok(recorded(db, id, fact)
        .await?
        .into_iter()
        .map(|f| view(f, today))
        .collect())
}

/// The stored facts of listing `id` (`fact` only when given), oldest first.
pub(super) async fn recorded(
    db: &impl ConnectionTrait,
    id: i32,
    fact: Option<&str>,
) -> Result<Vec<facts::Model>, AppError> {
    let mut select = facts::Entity::find().filter(facts::Column::ListingId.eq(id));
    if let Some(fact) = fact {
        select = select.filter(facts::Column::Fact.eq(fact));
    }
    Ok(select.order_by_asc(facts::Column::Id).all(db).await?)
}
