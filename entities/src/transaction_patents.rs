use sea_orm::entity::prelude::*;

/// A patent a deal concerns: one row per number, in the order the deal lists them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transaction_patents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub transaction_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    /// The normalized application number (e.g. `201710601862.3`).
    pub patent_number: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
