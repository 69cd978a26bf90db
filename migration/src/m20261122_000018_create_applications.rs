use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261121_000002_create_centers::Centers;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Accreditation applications: the narrative, the indicators frozen on submission, each step's
/// reason, the decision with its rulebook version and mean score, and the public notice.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Applications::Table)
                    .col(pk_auto(Applications::Id))
                    .col(integer(Applications::CenterId))
                    .col(string(Applications::Status))
                    .col(text(Applications::Narratives))
                    .col(text(Applications::NothingToReport))
                    .col(text_null(Applications::Snapshot))
                    .col(integer_null(Applications::SnapshotYear))
                    .col(boolean(Applications::CriteriaFailed).default(false))
                    .col(text_null(Applications::ReturnReason))
                    .col(text_null(Applications::RecommendReason))
                    .col(string_null(Applications::Outcome))
                    .col(text_null(Applications::DecisionReason))
                    .col(integer_null(Applications::DecisionRulebookVersion))
                    .col(string_null(Applications::MeanScore))
                    .col(integer_null(Applications::DecidedBy))
                    .col(timestamp_with_time_zone_null(Applications::DecidedAt))
                    .col(date_null(Applications::NoticeEndsOn))
                    .col(text_null(Applications::Objection))
                    .col(boolean(Applications::ObjectionOpen).default(false))
                    .col(date_null(Applications::EffectiveOn))
                    .col(timestamp_with_time_zone_null(Applications::SubmittedAt))
                    .col(timestamp_with_time_zone(Applications::WaitingSince))
                    .col(integer(Applications::Version))
                    .col(timestamp_with_time_zone(Applications::CreatedAt))
                    .col(timestamp_with_time_zone(Applications::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_applications_center")
                            .from(Applications::Table, Applications::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // one application in progress per center (a rejected one may be followed by another)
        manager
            .create_index(
                Index::create()
                    .name("uq_applications_open")
                    .table(Applications::Table)
                    .col(Applications::CenterId)
                    .unique()
                    .and_where(Expr::col(Applications::Status).ne("rejected"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_applications_status")
                    .table(Applications::Table)
                    .col(Applications::Status)
                    .col(Applications::WaitingSince)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Applications::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    CenterId,
    Status,
    Narratives,
    NothingToReport,
    Snapshot,
    SnapshotYear,
    CriteriaFailed,
    ReturnReason,
    RecommendReason,
    Outcome,
    DecisionReason,
    DecisionRulebookVersion,
    MeanScore,
    DecidedBy,
    DecidedAt,
    NoticeEndsOn,
    Objection,
    ObjectionOpen,
    EffectiveOn,
    SubmittedAt,
    WaitingSince,
    Version,
    CreatedAt,
    UpdatedAt,
}
