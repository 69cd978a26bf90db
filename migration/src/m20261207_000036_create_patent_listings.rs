use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The conversion resource library (专利转化资源库): one listing per patent its owner offers; an
/// application number is listed at most once at a time (a partial unique index over the live ones).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PatentListings::Table)
                    .col(pk_auto(PatentListings::Id))
                    .col(string(PatentListings::ApplicationNumber))
                    .col(string(PatentListings::Title))
                    .col(text(PatentListings::AbstractText))
                    .col(text_null(PatentListings::Claims))
                    .col(text(PatentListings::Ipc))
                    .col(string(PatentListings::PatentType))
                    .col(integer(PatentListings::OwnerOrganizationId))
                    .col(text(PatentListings::CoOwnerUscc))
                    .col(text(PatentListings::Inventors))
                    .col(date_null(PatentListings::ApplicationDate))
                    .col(date_null(PatentListings::GrantDate))
                    .col(string(PatentListings::LegalStatus))
                    .col(date(PatentListings::LegalStatusSince))
                    .col(date_null(PatentListings::AnnualFeePaidUntil))
                    .col(string(PatentListings::Industry))
                    .col(integer_null(PatentListings::Maturity))
                    .col(text(PatentListings::OfferedModes))
                    .col(big_integer_null(PatentListings::AskingPriceFen))
                    .col(string_null(PatentListings::ContactName))
                    .col(string_null(PatentListings::ContactPhone))
                    .col(string_null(PatentListings::ContactEmail))
                    .col(string(PatentListings::Status))
                    .col(integer(PatentListings::ListedBy))
                    .col(integer(PatentListings::Version).default(1))
                    .col(timestamp_with_time_zone(PatentListings::CreatedAt))
                    .col(timestamp_with_time_zone(PatentListings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_patent_listings_owner")
                            .from(PatentListings::Table, PatentListings::OwnerOrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_patent_listings_owner")
                    .table(PatentListings::Table)
                    .col(PatentListings::OwnerOrganizationId)
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_patent_listings_live_number ON patent_listings \
                 (application_number) WHERE status = 'listed'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PatentListings::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PatentListings {
    Table,
    Id,
    ApplicationNumber,
    Title,
    AbstractText,
    Claims,
    Ipc,
    PatentType,
    OwnerOrganizationId,
    CoOwnerUscc,
    Inventors,
    ApplicationDate,
    GrantDate,
    LegalStatus,
    LegalStatusSince,
    AnnualFeePaidUntil,
    Industry,
    Maturity,
    OfferedModes,
    AskingPriceFen,
    ContactName,
    ContactPhone,
    ContactEmail,
    Status,
    ListedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
