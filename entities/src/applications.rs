use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub center_id: i32,
    pub status: String,
    /// JSON object: achievement area → narrative.
    pub narratives: String,
    /// JSON array of achievement areas with nothing to report.
    pub nothing_to_report: String,
    /// JSON: the indicators and verdicts frozen on submission.
    pub snapshot: Option<String>,
    pub snapshot_year: Option<i32>,
    pub criteria_failed: bool,
    pub return_reason: Option<String>,
    pub recommend_reason: Option<String>,
    pub outcome: Option<String>,
    pub decision_reason: Option<String>,
    pub decision_rulebook_version: Option<i32>,
    /// Mean expert score, two decimals.
    pub mean_score: Option<String>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    pub notice_ends_on: Option<Date>,
    pub objection: Option<String>,
    pub objection_open: bool,
    /// The day the accreditation took effect (cycle 1 started).
    pub effective_on: Option<Date>,
    pub submitted_at: Option<DateTimeUtc>,
    /// Since when the application waits on its current step.
    pub waiting_since: DateTimeUtc,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
