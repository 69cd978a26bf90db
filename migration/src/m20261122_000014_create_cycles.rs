use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261121_000002_create_centers::Centers;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A center's construction cycles: when each starts and which reporting years it covers.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Cycles::Table)
                    .col(pk_auto(Cycles::Id))
                    .col(integer(Cycles::CenterId))
                    .col(integer(Cycles::Number))
                    .col(date(Cycles::StartDate))
                    .col(integer(Cycles::FirstYear))
                    .col(integer(Cycles::LastYear))
                    .col(text_null(Cycles::Reason))
                    .col(integer_null(Cycles::CreatedBy))
                    .col(timestamp_with_time_zone(Cycles::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_cycles_center")
                            .from(Cycles::Table, Cycles::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_cycles_center_number")
                    .table(Cycles::Table)
                    .col(Cycles::CenterId)
                    .col(Cycles::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Cycles::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Cycles {
    Table,
    Id,
    CenterId,
    Number,
    StartDate,
    FirstYear,
    LastYear,
    Reason,
    CreatedBy,
    CreatedAt,
}
