use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The listings a person follows: keeps as a favourite (收藏) or subscribes to (订阅), once per
/// person, listing and kind.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ListingFollows::Table)
                    .col(pk_auto(ListingFollows::Id))
                    .col(integer(ListingFollows::ListingId))
                    .col(integer(ListingFollows::UserId))
                    .col(string(ListingFollows::Kind))
                    .col(timestamp_with_time_zone(ListingFollows::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_listing_follows_listing")
                            .from(ListingFollows::Table, ListingFollows::ListingId)
                            .to(PatentListings::Table, PatentListings::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_listing_follows_once")
                    .table(ListingFollows::Table)
                    .col(ListingFollows::UserId)
                    .col(ListingFollows::ListingId)
                    .col(ListingFollows::Kind)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ListingFollows::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ListingFollows {
    Table,
    Id,
    ListingId,
    UserId,
    Kind,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PatentListings {
    Table,
    Id,
}
