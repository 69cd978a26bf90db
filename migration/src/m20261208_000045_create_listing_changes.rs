use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The changes of listings their subscribers are told of: written in the transaction of the
/// change, mailed by the schedule once.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ListingChanges::Table)
                    .col(pk_auto(ListingChanges::Id))
                    .col(integer(ListingChanges::ListingId))
                    .col(string(ListingChanges::What))
                    .col(boolean(ListingChanges::Mailed).default(false))
                    .col(timestamp_with_time_zone(ListingChanges::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_listing_changes_mailed")
                    .table(ListingChanges::Table)
                    .col(ListingChanges::Mailed)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ListingChanges::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ListingChanges {
    Table,
    Id,
    ListingId,
    What,
    Mailed,
    CreatedAt,
}
