use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261121_000003_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Experts assigned to review something (an application; later an annual report): their
/// conflict-of-interest declaration, kept as a record, and their scores.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReviewAssignments::Table)
                    .col(pk_auto(ReviewAssignments::Id))
                    .col(string(ReviewAssignments::SubjectKind))
                    .col(integer(ReviewAssignments::SubjectId))
                    .col(integer(ReviewAssignments::ExpertId))
                    .col(boolean(ReviewAssignments::Active))
                    .col(string(ReviewAssignments::ConflictStatus))
                    .col(text_null(ReviewAssignments::ConflictNote))
                    .col(timestamp_with_time_zone_null(ReviewAssignments::DeclaredAt))
                    .col(text_null(ReviewAssignments::Scores))
                    .col(integer_null(ReviewAssignments::Total))
                    .col(text_null(ReviewAssignments::Comment))
                    .col(timestamp_with_time_zone_null(ReviewAssignments::ScoredAt))
                    .col(integer(ReviewAssignments::AssignedBy))
                    .col(timestamp_with_time_zone(ReviewAssignments::AssignedAt))
                    .col(integer(ReviewAssignments::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_review_assignments_expert")
                            .from(ReviewAssignments::Table, ReviewAssignments::ExpertId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_review_assignments_active")
                    .table(ReviewAssignments::Table)
                    .col(ReviewAssignments::SubjectKind)
                    .col(ReviewAssignments::SubjectId)
                    .col(ReviewAssignments::ExpertId)
                    .unique()
                    .and_where(Expr::col(ReviewAssignments::Active).eq(true))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_review_assignments_expert")
                    .table(ReviewAssignments::Table)
                    .col(ReviewAssignments::ExpertId)
                    .col(ReviewAssignments::Active)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReviewAssignments::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ReviewAssignments {
    Table,
    Id,
    SubjectKind,
    SubjectId,
    ExpertId,
    Active,
    ConflictStatus,
    ConflictNote,
    DeclaredAt,
    Scores,
    Total,
    Comment,
    ScoredAt,
    AssignedBy,
    AssignedAt,
    Version,
}
