use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Annual performance reports (年度绩效报告), one per center and reporting year, and every
/// submitted revision of each, frozen with the year's figures.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AnnualReports::Table)
                    .col(pk_auto(AnnualReports::Id))
                    .col(integer(AnnualReports::CenterId))
                    .col(integer(AnnualReports::CycleId))
                    .col(integer(AnnualReports::Year))
                    .col(string(AnnualReports::Status))
                    .col(text(AnnualReports::Narratives))
                    .col(text(AnnualReports::NothingToReport))
                    .col(integer(AnnualReports::Revision))
                    .col(text_null(AnnualReports::ReturnReason))
                    .col(date_null(AnnualReports::CorrectionDue))
                    .col(integer(AnnualReports::Version))
                    .col(timestamp_with_time_zone(AnnualReports::CreatedAt))
                    .col(timestamp_with_time_zone(AnnualReports::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_annual_reports_center")
                            .from(AnnualReports::Table, AnnualReports::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_annual_reports_cycle")
                            .from(AnnualReports::Table, AnnualReports::CycleId)
                            .to(Cycles::Table, Cycles::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_annual_reports_center_year")
                    .table(AnnualReports::Table)
                    .col(AnnualReports::CenterId)
                    .col(AnnualReports::Year)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AnnualReportRevisions::Table)
                    .col(pk_auto(AnnualReportRevisions::Id))
                    .col(integer(AnnualReportRevisions::ReportId))
                    .col(integer(AnnualReportRevisions::Revision))
                    .col(text(AnnualReportRevisions::Narratives))
                    .col(text(AnnualReportRevisions::NothingToReport))
                    .col(text(AnnualReportRevisions::Snapshot))
                    .col(integer(AnnualReportRevisions::RulebookVersion))
                    .col(integer(AnnualReportRevisions::SubmittedBy))
                    .col(timestamp_with_time_zone(AnnualReportRevisions::SubmittedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_annual_report_revisions_report")
                            .from(
                                AnnualReportRevisions::Table,
                                AnnualReportRevisions::ReportId,
                            )
                            .to(AnnualReports::Table, AnnualReports::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_annual_report_revisions")
                    .table(AnnualReportRevisions::Table)
                    .col(AnnualReportRevisions::ReportId)
                    .col(AnnualReportRevisions::Revision)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AnnualReportRevisions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AnnualReports::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Centers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Cycles {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AnnualReports {
    Table,
    Id,
    CenterId,
    CycleId,
    Year,
    Status,
    Narratives,
    NothingToReport,
    Revision,
    ReturnReason,
    CorrectionDue,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AnnualReportRevisions {
    Table,
    Id,
    ReportId,
    Revision,
    Narratives,
    NothingToReport,
    Snapshot,
    RulebookVersion,
    SubmittedBy,
    SubmittedAt,
}
