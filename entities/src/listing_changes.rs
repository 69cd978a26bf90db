use sea_orm::entity::prelude::*;

/// A change of a listing its subscribers are told of: written with the change, mailed once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "listing_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub listing_id: i32,
    /// `withdrawn`, `relisted`, `terms`, `open_licence` or `open_licence_ended`.
    pub what: String,
    pub mailed: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
