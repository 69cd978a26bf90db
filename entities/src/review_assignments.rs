use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `application` (later: `report`).
    pub subject_kind: String,
    pub subject_id: i32,
    pub expert_id: i32,
    /// False once the expert declared a conflict and left.
    pub active: bool,
    /// `not_asked`, `declared_none` or `declared_conflict`.
    pub conflict_status: String,
    pub conflict_note: Option<String>,
    pub declared_at: Option<DateTimeUtc>,
    /// JSON object: rubric key → score.
    pub scores: Option<String>,
    pub total: Option<i32>,
    pub comment: Option<String>,
    pub scored_at: Option<DateTimeUtc>,
    pub assigned_by: i32,
    pub assigned_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
