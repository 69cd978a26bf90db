use sea_orm::entity::prelude::*;

/// One write of a listing or a demand, for the search indexes to follow.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "search_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `listing` or `demand`.
    pub kind: String,
    pub item_id: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
