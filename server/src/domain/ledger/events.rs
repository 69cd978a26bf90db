//! Service events (路演推介, 供需对接, 专利导航, …) and the organizations they served.

use chrono::{DateTime, NaiveDate, Utc};
use entities::{service_event_organizations as served, service_events};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{identifier_list, ledger_date, update_if_current};
use crate::{
    domain::{audit::AuditEntry, identifiers::Uscc, organizations, paging::Paged, parse_enum},
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

struct ValidEvent {
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

async fn view(db: &impl ConnectionTrait, m: service_events::Model) -> Result<EventView, AppError> {
    let mut views = views(db, vec![m]).await?;
    views
        .pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("event view missing")))
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

/// Records a service event of `center_id` with the organizations it served, and audits it.
pub async fn create(
    db: &DatabaseConnection,
    center_id: i32,
    actor_user_id: i32,
    input: EventInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<EventView, AppError> {
    let valid = validate(db, &input, today).await?;
    crate::db::write(db, async |txn| {
        let model = service_events::ActiveModel {
            center_id: Set(center_id),
            kind: Set(kind_str(input.kind)),
            event_date: Set(valid.date),
            title: Set(valid.title),
            deleted_at: Set(None),
            version: Set(1),
            created_by: Set(Some(actor_user_id)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        replace_served(txn, model.id, &valid.served).await?;
        let created = view(txn, model).await?;
        AuditEntry::new(
            Some(actor_user_id),
            "service_event.create",
            "service_event",
            created.id,
        )
        .after(&created)
        .write(txn, now)
        .await?;
        Ok(created)
    })
    .await
}

/// Edits an event (fields laid over the record, validated whole); 409 on a stale `version`.
pub async fn update(
    db: &DatabaseConnection,
    center_id: i32,
    id: i32,
    actor_user_id: i32,
    patch: serde_json::Map<String, serde_json::Value>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<EventView, AppError> {
    let version = super::version_of(&patch)?;
    let before = view(
        db,
        super::find_live::<service_events::Entity>(db, center_id, i64::from(id)).await?,
    )
    .await?;
    let current = EventInput {
        kind: parse_enum(&before.kind).unwrap_or(EventKind::Other),
        date: before.date.to_string(),
        title: before.title.clone(),
        served_uscc: before.served_uscc.clone(),
    };
    let input = super::merge_patch(&current, patch)?;
    let valid = validate(db, &input, today).await?;
    crate::db::write(db, async |txn| {
        use service_events::Column as C;
        let changes = vec![
            (C::Kind, Expr::value(kind_str(input.kind))),
            (C::EventDate, Expr::value(valid.date)),
            (C::Title, Expr::value(valid.title)),
        ];
        update_if_current::<service_events::Entity>(
            txn,
            (i64::from(id), version, before.version),
            changes,
            now,
        )
        .await?;
        replace_served(txn, id, &valid.served).await?;
        let after = view(
            txn,
            super::find_live::<service_events::Entity>(txn, center_id, i64::from(id)).await?,
        )
        .await?;
        AuditEntry::new(
            Some(actor_user_id),
            "service_event.update",
            "service_event",
            id,
        )
        .before(&before)
        .after(&after)
        .write(txn, now)
        .await?;
        Ok(after)
    })
    .await
}

/// Marks an event entered by mistake as deleted; 409 on a stale `version`.
pub async fn delete(
    db: &DatabaseConnection,
    center_id: i32,
    id: i32,
    version: i32,
    actor_user_id: i32,
    now: DateTime<Utc>,
) -> Result<EventView, AppError> {
    let before = view(
        db,
        super::find_live::<service_events::Entity>(db, center_id, i64::from(id)).await?,
    )
    .await?;
    crate::db::write(db, async |txn| {
        use service_events::Column as C;
        let changes = vec![(C::DeletedAt, Expr::value(now))];
        update_if_current::<service_events::Entity>(
            txn,
            (i64::from(id), version, before.version),
            changes,
            now,
        )
        .await?;
        AuditEntry::new(
            Some(actor_user_id),
            "service_event.delete",
            "service_event",
            id,
        )
        .before(&before)
        .write(txn, now)
        .await?;
        let after = service_events::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let after = view(txn, after).await?;
        Ok(after)
    })
    .await
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
