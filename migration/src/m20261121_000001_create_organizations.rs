use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(pk_auto(Organizations::Id))
                    .col(string_uniq(Organizations::Uscc))
                    .col(string(Organizations::Name))
                    .col(string(Organizations::Kind))
                    .col(string(Organizations::RegionCode))
                    .col(boolean(Organizations::FlagLeading).default(false))
                    .col(boolean(Organizations::FlagTechSme).default(false))
                    .col(boolean(Organizations::FlagHighTech).default(false))
                    .col(boolean(Organizations::FlagSpecialized).default(false))
                    .col(boolean(Organizations::FlagStateOwned).default(false))
                    .col(boolean(Organizations::FlagNationalLevel).default(false))
                    .col(text_null(Organizations::UsccCheckOverrideReason))
                    .col(integer(Organizations::Version).default(1))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .col(timestamp_with_time_zone(Organizations::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_organizations_name")
                    .table(Organizations::Table)
                    .col(Organizations::Name)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Organizations::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Organizations {
    Table,
    Id,
    Uscc,
    Name,
    Kind,
    RegionCode,
    FlagLeading,
    FlagTechSme,
    FlagHighTech,
    FlagSpecialized,
    FlagStateOwned,
    FlagNationalLevel,
    UsccCheckOverrideReason,
    Version,
    CreatedAt,
    UpdatedAt,
}
