use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub center_id: i32,
    /// `annual_result`, `extension`, `rectification`, `cycle_result` or `exit`.
    pub kind: String,
    pub year: Option<i32>,
    pub result: Option<String>,
    pub accepted: Option<bool>,
    pub new_due_date: Option<Date>,
    pub reason: Option<String>,
    /// What the system proposed when the decision was made.
    pub proposed_result: Option<String>,
    pub rulebook_version: i32,
    pub decided_by: i32,
    pub decided_at: DateTimeUtc,
    /// An exit's public notice ends on this day.
    pub notice_ends_on: Option<Date>,
    /// The day an exit took effect.
    pub effective_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
