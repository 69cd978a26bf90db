use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub center_id: i32,
    /// `annual_result`, `extension` (later: `rectification`, `cycle_result`, `exit`).
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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
