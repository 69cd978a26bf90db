use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "annual_report_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub report_id: i32,
    pub revision: i32,
    pub narratives: String,
    pub nothing_to_report: String,
    /// JSON: the year's figures and verdicts at submission.
    pub snapshot: String,
    pub rulebook_version: i32,
    pub submitted_by: i32,
    pub submitted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
