use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transactions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub center_id: i32,
    pub kind: String,
    pub amount_fen: i64,
    pub contract_date: Date,
    /// JSON array of USCCs.
    pub counterparty_uscc: String,
    pub contract_no: Option<String>,
    pub related_party: bool,
    pub note: Option<String>,
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
