use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "centers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub level: String,
    pub industry: String,
    pub region_code: String,
    pub host_organization_id: i32,
    pub status: String,
    pub version: i32,
    /// Moved by database triggers on every change to the rows the center's figures come from.
    #[serde(skip)]
    pub figures_version: i64,
    /// Moved by database triggers on every change to the center's reports, decisions,
    /// rectifications and withdrawal requests.
    #[serde(skip)]
    pub lifecycle_version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The host organization (建设主体).
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::HostOrganizationId",
        to = "super::organizations::Column::Id"
    )]
    Host,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Host.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
