use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The rule values live in `rules` as JSON so that later issues can add keys without a schema
/// change; version 1 is inserted by the application at start-up, from its typed defaults.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RulebookVersions::Table)
                    .col(integer(RulebookVersions::Version).primary_key())
                    .col(date_uniq(RulebookVersions::EffectiveFrom))
                    .col(text(RulebookVersions::Rules))
                    .col(integer_null(RulebookVersions::CreatedBy))
                    .col(timestamp_with_time_zone(RulebookVersions::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RulebookVersions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RulebookVersions {
    Table,
    Version,
    EffectiveFrom,
    Rules,
    CreatedBy,
    CreatedAt,
}
