use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An enterprise's market evaluation of a listing (市场评价): one current evaluation per enterprise
/// and listing (a unique index), corrected at its version.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ListingEvaluations::Table)
                    .col(pk_auto(ListingEvaluations::Id))
                    .col(integer(ListingEvaluations::ListingId))
                    .col(integer(ListingEvaluations::OrganizationId))
                    .col(integer(ListingEvaluations::Prospect))
                    .col(text(ListingEvaluations::ImprovementNeeds))
                    .col(string(ListingEvaluations::Intent))
                    .col(integer(ListingEvaluations::EvaluatedBy))
                    .col(integer(ListingEvaluations::Version).default(1))
                    .col(timestamp_with_time_zone(ListingEvaluations::CreatedAt))
                    .col(timestamp_with_time_zone(ListingEvaluations::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_listing_evaluations_listing")
                            .from(ListingEvaluations::Table, ListingEvaluations::ListingId)
                            .to(PatentListings::Table, PatentListings::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_listing_evaluations_organization")
                            .from(
                                ListingEvaluations::Table,
                                ListingEvaluations::OrganizationId,
                            )
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_listing_evaluations_once")
                    .table(ListingEvaluations::Table)
                    .col(ListingEvaluations::ListingId)
                    .col(ListingEvaluations::OrganizationId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ListingEvaluations::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ListingEvaluations {
    Table,
    Id,
    ListingId,
    OrganizationId,
    Prospect,
    ImprovementNeeds,
    Intent,
    EvaluatedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PatentListings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
