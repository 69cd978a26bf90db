use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261121_000001_create_organizations::Organizations;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Centers are created this early so that users can reference them; their own features arrive
/// with the centers issue.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Centers::Table)
                    .col(pk_auto(Centers::Id))
                    .col(string(Centers::Name))
                    .col(string(Centers::Level))
                    .col(string(Centers::Industry))
                    .col(string(Centers::RegionCode))
                    .col(integer(Centers::HostOrganizationId))
                    .col(string(Centers::Status))
                    .col(integer(Centers::Version).default(1))
                    .col(timestamp_with_time_zone(Centers::CreatedAt))
                    .col(timestamp_with_time_zone(Centers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_centers_host")
                            .from(Centers::Table, Centers::HostOrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Centers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Centers {
    Table,
    Id,
    Name,
    Level,
    Industry,
    RegionCode,
    HostOrganizationId,
    Status,
    Version,
    CreatedAt,
    UpdatedAt,
}
