use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The change log each instance's search index follows: every write of a listing or a demand
/// adds its row in the same transaction.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SearchChanges::Table)
                    .col(pk_auto(SearchChanges::Id))
                    .col(string(SearchChanges::Kind))
                    .col(integer(SearchChanges::ItemId))
                    .col(timestamp_with_time_zone(SearchChanges::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SearchChanges::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SearchChanges {
    Table,
    Id,
    Kind,
    ItemId,
    CreatedAt,
}
