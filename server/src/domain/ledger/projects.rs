//! IP conversion projects (知识产权转化项目) and patent industrialization projects (专利产业化项目).

use chrono::{DateTime, NaiveDate, Utc};
use entities::projects;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{from_json_list, identifier_list, ledger_date, record::LedgerRecord, to_json_list};
use crate::{
    domain::{
        identifiers::{PatentNumber, Uscc},
        paging::Paged,
        parse_enum,
    },
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// The kind of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectKind {
    Conversion,
    Industrialization,
}

/// Where a project stands; `running`, `completed` and `stopped` count as organized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Planned,
    Running,
    Completed,
    Stopped,
}

/// A project as a client sends it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProjectInput {
    pub kind: ProjectKind,
    pub name: String,
    /// `YYYY-MM-DD`, not in the future, not before 2000.
    pub start_date: String,
    pub status: ProjectStatus,
    #[serde(default)]
    pub patent_numbers: Vec<String>,
    #[serde(default)]
    pub partner_uscc: Vec<String>,
}

pub struct ValidProject {
    name: String,
    start_date: NaiveDate,
    patent_numbers: Vec<PatentNumber>,
    partner_uscc: Vec<Uscc>,
}

fn validate(input: &ProjectInput, today: NaiveDate) -> Result<ValidProject, AppError> {
    let mut errors = FieldErrors::default();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        errors.add(
            "name",
            Msg::new(
                "名称不能为空，且不超过 200 个字符",
                "name is required, at most 200 characters",
            ),
        );
    }
    let start_date = ledger_date("start_date", &input.start_date, today, &mut errors);
    let patent_numbers = identifier_list(
        "patent_numbers",
        &input.patent_numbers,
        PatentNumber::parse,
        &mut errors,
    );
    let partner_uscc = identifier_list(
        "partner_uscc",
        &input.partner_uscc,
        |s| s.parse::<Uscc>(),
        &mut errors,
    );
    match start_date {
        Some(start_date) if errors.is_empty() => Ok(ValidProject {
            name,
            start_date,
            patent_numbers,
            partner_uscc,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// A project as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectView {
    pub id: i32,
    pub center_id: i32,
    pub kind: String,
    pub name: String,
    pub start_date: NaiveDate,
    pub status: String,
    pub patent_numbers: Vec<String>,
    pub partner_uscc: Vec<String>,
    pub deleted: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

impl From<projects::Model> for ProjectView {
    fn from(m: projects::Model) -> Self {
        ProjectView {
            id: m.id,
            center_id: m.center_id,
            kind: m.kind,
            name: m.name,
            start_date: m.start_date,
            status: m.status,
            patent_numbers: from_json_list(&m.patent_numbers),
            partner_uscc: from_json_list(&m.partner_uscc),
            deleted: m.deleted_at.is_some(),
            version: m.version,
            created_at: m.created_at,
        }
    }
}

fn as_str<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The live projects of a center, latest start first.
pub async fn list(
    db: &impl ConnectionTrait,
    center_id: i32,
    page: u64,
    per_page: u64,
) -> Result<Paged<ProjectView>, AppError> {
    let paginator = projects::Entity::find()
        .filter(projects::Column::CenterId.eq(center_id))
        .filter(projects::Column::DeletedAt.is_null())
        .order_by_desc(projects::Column::StartDate)
        .order_by_desc(projects::Column::Id)
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Paged {
        items: items.into_iter().map(ProjectView::from).collect(),
        total,
        page,
        per_page,
    })
}

impl From<&ProjectView> for ProjectInput {
    fn from(view: &ProjectView) -> Self {
        ProjectInput {
            kind: parse_enum(&view.kind).unwrap_or(ProjectKind::Conversion),
            name: view.name.clone(),
            start_date: view.start_date.to_string(),
            status: parse_enum(&view.status).unwrap_or(ProjectStatus::Planned),
            patent_numbers: view.patent_numbers.clone(),
            partner_uscc: view.partner_uscc.clone(),
        }
    }
}

/// Projects as ledger records.
pub struct Project;

impl LedgerRecord for Project {
    type Entity = projects::Entity;
    type Model = projects::Model;
    type Input = ProjectInput;
    type Valid = (ProjectInput, ValidProject);
    type View = ProjectView;
    const NAME: &'static str = "project";

    fn key(model: &projects::Model) -> (i64, i32) {
        (i64::from(model.id), model.version)
    }

    async fn validate(
        _db: &impl ConnectionTrait,
        input: &ProjectInput,
        today: NaiveDate,
    ) -> Result<(ProjectInput, ValidProject), AppError> {
        Ok((input.clone(), validate(input, today)?))
    }

    async fn insert(
        db: &DatabaseTransaction,
        center_id: i32,
        (input, valid): &(ProjectInput, ValidProject),
        actor_user_id: i32,
        now: DateTime<Utc>,
    ) -> Result<projects::Model, AppError> {
        Ok(projects::ActiveModel {
            center_id: Set(center_id),
            kind: Set(as_str(input.kind)),
            name: Set(valid.name.clone()),
            start_date: Set(valid.start_date),
            status: Set(as_str(input.status)),
            patent_numbers: Set(to_json_list(&valid.patent_numbers)),
            partner_uscc: Set(to_json_list(&valid.partner_uscc)),
            deleted_at: Set(None),
            version: Set(1),
            created_by: Set(Some(actor_user_id)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?)
    }

    fn changes((input, valid): &(ProjectInput, ValidProject)) -> Vec<(projects::Column, Expr)> {
        use projects::Column as C;
        vec![
            (C::Kind, Expr::value(as_str(input.kind))),
            (C::Name, Expr::value(valid.name.clone())),
            (C::StartDate, Expr::value(valid.start_date)),
            (C::Status, Expr::value(as_str(input.status))),
            (
                C::PatentNumbers,
                Expr::value(to_json_list(&valid.patent_numbers)),
            ),
            (
                C::PartnerUscc,
                Expr::value(to_json_list(&valid.partner_uscc)),
            ),
        ]
    }

    async fn relink(
        _db: &DatabaseTransaction,
        _id: i64,
        _valid: &(ProjectInput, ValidProject),
    ) -> Result<(), AppError> {
        Ok(())
    }

    async fn views(
        _db: &impl ConnectionTrait,
        models: Vec<projects::Model>,
    ) -> Result<Vec<ProjectView>, AppError> {
        Ok(models.into_iter().map(ProjectView::from).collect())
    }

    fn input_of(view: &ProjectView) -> ProjectInput {
        ProjectInput::from(view)
    }
}
