use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// What decides whether a listed patent may be declared under an open licence: the recorded facts
/// (licences with their kind and term, pledges with or without the pledgee's consent, suspensions,
/// the patent evaluation report) and the declarations themselves, each with its dates.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ListingFacts::Table)
                    .col(pk_auto(ListingFacts::Id))
                    .col(integer(ListingFacts::ListingId))
                    .col(string(ListingFacts::Fact))
                    .col(string_null(ListingFacts::Kind))
                    .col(string_null(ListingFacts::Party))
                    .col(date_null(ListingFacts::FromDate))
                    .col(date_null(ListingFacts::ToDate))
                    .col(boolean_null(ListingFacts::Consent))
                    .col(string_null(ListingFacts::FileName))
                    .col(string_null(ListingFacts::ContentType))
                    .col(big_integer_null(ListingFacts::SizeBytes))
                    .col(string_null(ListingFacts::Sha256))
                    .col(string_null(ListingFacts::StoredName))
                    .col(integer(ListingFacts::RecordedBy))
                    .col(timestamp_with_time_zone(ListingFacts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_listing_facts_listing")
                            .from(ListingFacts::Table, ListingFacts::ListingId)
                            .to(PatentListings::Table, PatentListings::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_listing_facts_listing")
                    .table(ListingFacts::Table)
                    .col(ListingFacts::ListingId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OpenLicences::Table)
                    .col(pk_auto(OpenLicences::Id))
                    .col(integer(OpenLicences::ListingId))
                    .col(string(OpenLicences::FeeKind))
                    .col(string(OpenLicences::Fee))
                    .col(text(OpenLicences::Payment))
                    .col(integer(OpenLicences::TermYears))
                    .col(text(OpenLicences::CoOwnerConsents))
                    .col(date(OpenLicences::DeclaredOn))
                    .col(date(OpenLicences::Until))
                    .col(date_null(OpenLicences::EndedOn))
                    .col(string_null(OpenLicences::EndedBecause))
                    .col(integer(OpenLicences::DeclaredBy))
                    .col(timestamp_with_time_zone(OpenLicences::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_open_licences_listing")
                            .from(OpenLicences::Table, OpenLicences::ListingId)
                            .to(PatentListings::Table, PatentListings::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_open_licences_listing")
                    .table(OpenLicences::Table)
                    .col(OpenLicences::ListingId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OpenLicences::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ListingFacts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ListingFacts {
    Table,
    Id,
    ListingId,
    Fact,
    Kind,
    Party,
    FromDate,
    ToDate,
    Consent,
    FileName,
    ContentType,
    SizeBytes,
    Sha256,
    StoredName,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OpenLicences {
    Table,
    Id,
    ListingId,
    FeeKind,
    Fee,
    Payment,
    TermYears,
    CoOwnerConsents,
    DeclaredOn,
    Until,
    EndedOn,
    EndedBecause,
    DeclaredBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PatentListings {
    Table,
    Id,
}
