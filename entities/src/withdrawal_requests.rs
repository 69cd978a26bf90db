use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "withdrawal_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub center_id: i32,
    pub reason: String,
    /// The user who asked.
    pub requested_by: i32,
    pub requested_on: Date,
    /// `open`, `confirmed` (by an exit decision) or `cancelled`.
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
