use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261121_000002_create_centers::Centers;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One row per accepted import file; the rows it creates carry its id.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Imports::Table)
                    .col(pk_auto(Imports::Id))
                    .col(integer(Imports::CenterId))
                    .col(string(Imports::Kind))
                    .col(string(Imports::FileName))
                    .col(integer(Imports::RowCount))
                    .col(string(Imports::Sha256))
                    .col(integer_null(Imports::CreatedBy))
                    .col(timestamp_with_time_zone(Imports::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_imports_center")
                            .from(Imports::Table, Imports::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Imports::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Imports {
    Table,
    Id,
    CenterId,
    Kind,
    FileName,
    RowCount,
    Sha256,
    CreatedBy,
    CreatedAt,
}
