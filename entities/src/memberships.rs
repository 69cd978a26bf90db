use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "memberships")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub center_id: i32,
    pub organization_id: i32,
    /// The organization's kind, copied at insert (kept in step when an organization's kind changes).
    pub org_kind: String,
    pub joined_on: Date,
    pub left_on: Option<Date>,
    pub import_id: Option<i32>,
    pub deleted_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
