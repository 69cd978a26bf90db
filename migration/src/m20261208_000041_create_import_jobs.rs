use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Imports that run in the background (an inventory of patents): their progress, then what they
/// changed or why they were refused; one accepted or running import per file (by its sha256) and
/// scope. Listings an import wrote carry its id and stay `importing` (invisible) until it
/// publishes them all at once.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportJobs::Table)
                    .col(pk_auto(ImportJobs::Id))
                    .col(string(ImportJobs::Kind))
                    .col(string(ImportJobs::Scope))
                    .col(integer(ImportJobs::RequestedBy))
                    .col(string(ImportJobs::FileName))
                    .col(string(ImportJobs::Sha256))
                    .col(string(ImportJobs::State))
                    .col(integer(ImportJobs::RowsTotal).default(0))
                    .col(integer(ImportJobs::RowsDone).default(0))
                    .col(integer(ImportJobs::Created).default(0))
                    .col(integer(ImportJobs::Updated).default(0))
                    .col(text_null(ImportJobs::Outcome))
                    .col(timestamp_with_time_zone(ImportJobs::HeartbeatAt))
                    .col(timestamp_with_time_zone(ImportJobs::CreatedAt))
                    .col(timestamp_with_time_zone_null(ImportJobs::FinishedAt))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_import_jobs_once ON import_jobs (kind, scope, sha256) \
             WHERE state IN ('running', 'done')",
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(PatentListings::Table)
                    .add_column(integer_null(PatentListings::ImportId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_patent_listings_import")
                    .table(PatentListings::Table)
                    .col(PatentListings::ImportId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_patent_listings_number")
                    .table(PatentListings::Table)
                    .col(PatentListings::ApplicationNumber)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("ix_patent_listings_number").to_owned())
            .await?;
        manager
            .drop_index(Index::drop().name("ix_patent_listings_import").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(PatentListings::Table)
                    .drop_column(PatentListings::ImportId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ImportJobs::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ImportJobs {
    Table,
    Id,
    Kind,
    Scope,
    RequestedBy,
    FileName,
    Sha256,
    State,
    RowsTotal,
    RowsDone,
    Created,
    Updated,
    Outcome,
    HeartbeatAt,
    CreatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum PatentListings {
    Table,
    ImportId,
    ApplicationNumber,
}
