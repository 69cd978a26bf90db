//! Service events (路演推介, 供需对接, 专利导航, …) and the organizations they served.

use chrono::{DateTime, NaiveDate, Utc};
use entities::{service_event_organizations as served, service_events};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{identifier_list, ledger_date, record::LedgerRecord};
use crate::{
    domain::{identifiers::Uscc, organizations, paging::Paged, parse_enum},
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// The kind of a service event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// 路演推介
    Roadshow,
    /// 供需对接
    Matching,
    Training,
    /// 专利导航
    Navigation,
    /// 分析评议
    Analysis,
    /// 价值评估
    Valuation,
    /// 风险预警
    RiskWarning,
    Other,
}

/// A service event as a client sends it; served organizations are registered ones, by USCC.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EventInput {
    pub kind: EventKind,
    /// `YYYY-MM-DD`, not in the future, not before 2000.
    pub date: String,
    pub title: String,
    #[serde(default)]
    pub served_uscc: Vec<String>,
}

/// A service event as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    pub id: i32,
    pub center_id: i32,
    pub kind: String,
    pub date: NaiveDate,
    pub title: String,
    pub served_uscc: Vec<String>,
    pub deleted: bool,
    pub version: i32,
}

pub struct ValidEvent {
    date: NaiveDate,
    title: String,
    served: Vec<i32>,
}

async fn validate(
    db: &impl ConnectionTrait,
    input: &EventInput,
    today: NaiveDate,
) -> Result<ValidEvent, AppError> {
    let mut errors = FieldErrors::default();
    let title = input.title.trim().to_string();
    if title.is_empty() || title.chars().count() > 200 {
        errors.add(
            "title",
            Msg::new(
                "标题不能为空，且不超过 200 个字符",
                "title is required, at most 200 characters",
            ),
        );
    }
    let date = ledger_date("date", &input.date, today, &mut errors);
    let codes = identifier_list(
        "served_uscc",
        &input.served_uscc,
        |s| s.parse::<Uscc>(),
        &mut errors,
    );
    let mut served = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        match organizations::find_by_uscc(db, code).await? {
            Some(org) if !served.contains(&org.id) => served.push(org.id),
            Some(_) => {}
            None => errors.add(
                format!("served_uscc[{i}]"),
                Msg::new(
                    format!("统一社会信用代码 {code} 的机构尚未登记"),
                    format!("no organization with code {code} is registered"),
                ),
            ),
        }
    }
    match date {
        Some(date) if errors.is_empty() => Ok(ValidEvent {
            date,
            title,
            served,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

fn kind_str(kind: EventKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The views of `events`, with the codes of the organizations each served, in two queries.
async fn views(
    db: &impl ConnectionTrait,
    events: Vec<service_events::Model>,
) -> Result<Vec<EventView>, AppError> {
    let links = served::Entity::find()
        .filter(served::Column::EventId.is_in(events.iter().map(|e| e.id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    let codes: std::collections::HashMap<i32, String> = entities::organizations::Entity::find()
        .filter(
            entities::organizations::Column::Id
                .is_in(links.iter().map(|l| l.organization_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.uscc))
        .collect();
    Ok(events
        .into_iter()
        .map(|m| EventView {
            served_uscc: links
                .iter()
                .filter(|l| l.event_id == m.id)
                .filter_map(|l| codes.get(&l.organization_id).cloned())
                .collect(),
            id: m.id,
            center_id: m.center_id,
            kind: m.kind,
            date: m.event_date,
            title: m.title,
            deleted: m.deleted_at.is_some(),
            version: m.version,
        })
        .collect())
}

async fn replace_served(
    db: &impl ConnectionTrait,
    event_id: i32,
    served: &[i32],
) -> Result<(), AppError> {
    served::Entity::delete_many()
        .filter(served::Column::EventId.eq(event_id))
        .exec(db)
        .await?;
    if !served.is_empty() {
        let rows = served.iter().map(|org| served::ActiveModel {
            event_id: Set(event_id),
            organization_id: Set(*org),
        });
        served::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// The live events of a center, latest first.
pub async fn list(
    db: &impl ConnectionTrait,
    center_id: i32,
    page: u64,
    per_page: u64,
) -> Result<Paged<EventView>, AppError> {
    let paginator = service_events::Entity::find()
        .filter(service_events::Column::CenterId.eq(center_id))
        .filter(service_events::Column::DeletedAt.is_null())
        .order_by_desc(service_events::Column::EventDate)
        .order_by_desc(service_events::Column::Id)
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    let items = views(db, paginator.fetch_page(page - 1).await?).await?;
    Ok(Paged {
        items,
        total,
        page,
        per_page,
    })
}

impl From<&EventView> for EventInput {
    fn from(view: &EventView) -> Self {
        EventInput {
            kind: parse_enum(&view.kind).unwrap_or(EventKind::Other),
            date: view.date.to_string(),
            title: view.title.clone(),
            served_uscc: view.served_uscc.clone(),
        }
    }
}

/// Service events as ledger records: the organizations they served belong to them.
pub struct Event;

impl LedgerRecord for Event {
    type Entity = service_events::Entity;
    type Model = service_events::Model;
    type Input = EventInput;
    type Valid = (EventKind, ValidEvent);
    type View = EventView;
    const NAME: &'static str = "service_event";

    fn key(model: &service_events::Model) -> (i64, i32) {
        (i64::from(model.id), model.version)
    }

    async fn validate(
        db: &impl ConnectionTrait,
        input: &EventInput,
        today: NaiveDate,
    ) -> Result<(EventKind, ValidEvent), AppError> {
        Ok((input.kind, validate(db, input, today).await?))
    }

    async fn insert(
        db: &DatabaseTransaction,
        center_id: i32,
        (kind, valid): &(EventKind, ValidEvent),
        actor_user_id: i32,
        now: DateTime<Utc>,
    ) -> Result<service_events::Model, AppError> {
        let model = service_events::ActiveModel {
            center_id: Set(center_id),
            kind: Set(kind_str(*kind)),
            event_date: Set(valid.date),
            title: Set(valid.title.clone()),
            deleted_at: Set(None),
            version: Set(1),
            created_by: Set(Some(actor_user_id)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        replace_served(db, model.id, &valid.served).await?;
        Ok(model)
    }

    fn changes((kind, valid): &(EventKind, ValidEvent)) -> Vec<(service_events::Column, Expr)> {
        use service_events::Column as C;
        vec![
            (C::Kind, Expr::value(kind_str(*kind))),
            (C::EventDate, Expr::value(valid.date)),
            (C::Title, Expr::value(valid.title.clone())),
        ]
    }

    async fn relink(
        db: &DatabaseTransaction,
        id: i64,
        (_, valid): &(EventKind, ValidEvent),
    ) -> Result<(), AppError> {
        let id = i32::try_from(id).map_err(|_| AppError::NotFound)?;
        replace_served(db, id, &valid.served).await
    }

    async fn views(
        db: &impl ConnectionTrait,
        models: Vec<service_events::Model>,
    ) -> Result<Vec<EventView>, AppError> {
        views(db, models).await
    }

    fn input_of(view: &EventView) -> EventInput {
        EventInput::from(view)
    }
}
