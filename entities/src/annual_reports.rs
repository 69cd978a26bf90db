use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "annual_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub center_id: i32,
    pub cycle_id: i32,
    pub year: i32,
    /// `draft`, `submitted`, `returned` or `decided`; `not_due` and `overdue` are computed.
    pub status: String,
    /// JSON object: achievement area → narrative.
    pub narratives: String,
    /// JSON array of achievement areas with nothing to report.
    pub nothing_to_report: String,
    /// Submissions so far (0 for a draft never submitted).
    pub revision: i32,
    pub return_reason: Option<String>,
    /// The last day a returned report may be submitted again.
    pub correction_due: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
