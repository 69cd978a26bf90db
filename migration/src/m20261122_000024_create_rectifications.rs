use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Rectification (整改) opened by an unqualified annual result: its deadline, the center's
/// rectification report and the decision on it; and annual, rectification and cycle decisions
/// made once per center and year.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Rectifications::Table)
                    .col(pk_auto(Rectifications::Id))
                    .col(integer(Rectifications::CenterId))
                    .col(integer(Rectifications::Year))
                    .col(date(Rectifications::Deadline))
                    .col(text_null(Rectifications::Report))
                    .col(timestamp_with_time_zone_null(Rectifications::SubmittedAt))
                    .col(string(Rectifications::Status))
                    .col(integer(Rectifications::Version))
                    .col(timestamp_with_time_zone(Rectifications::CreatedAt))
                    .col(timestamp_with_time_zone(Rectifications::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rectifications_center")
                            .from(Rectifications::Table, Rectifications::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_rectifications_center_year")
                    .table(Rectifications::Table)
                    .col(Rectifications::CenterId)
                    .col(Rectifications::Year)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // each of these decisions is made once per center and year, even when two arrive at once
        manager
            .create_index(
                Index::create()
                    .name("uq_decisions_once")
                    .table(Decisions::Table)
                    .col(Decisions::CenterId)
                    .col(Decisions::Kind)
                    .col(Decisions::Year)
                    .unique()
                    .and_where(Expr::col(Decisions::Kind).is_in([
                        "annual_result",
                        "rectification",
                        "cycle_result",
                    ]))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("uq_decisions_once")
                    .table(Decisions::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Rectifications::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Centers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    CenterId,
    Kind,
    Year,
}

#[derive(DeriveIden)]
enum Rectifications {
    Table,
    Id,
    CenterId,
    Year,
    Deadline,
    Report,
    SubmittedAt,
    Status,
    Version,
    CreatedAt,
    UpdatedAt,
}
