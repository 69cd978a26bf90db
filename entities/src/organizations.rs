use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub uscc: String,
    pub name: String,
    pub kind: String,
    pub region_code: String,
    pub flag_leading: bool,
    pub flag_tech_sme: bool,
    pub flag_high_tech: bool,
    pub flag_specialized: bool,
    pub flag_state_owned: bool,
    pub flag_national_level: bool,
    pub uscc_check_override_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
