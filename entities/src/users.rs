use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Lower-cased on the way in.
    #[sea_orm(unique)]
    pub email: String,
    /// The person's name as shown to others (empty on accounts made before names).
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub organization_id: Option<i32>,
    pub center_id: Option<i32>,
    pub region_code: Option<String>,
    pub disabled: bool,
    pub token_version: i32,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
