use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Decisions on a center after accreditation (annual results, extensions, later rectification,
/// cycle results and exits), each with the rulebook version it was made under and, where the
/// system proposed one, the proposal it was made against.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Decisions::Table)
                    .col(pk_auto(Decisions::Id))
                    .col(integer(Decisions::CenterId))
                    .col(string(Decisions::Kind))
                    .col(integer_null(Decisions::Year))
                    .col(string_null(Decisions::Result))
                    .col(boolean_null(Decisions::Accepted))
                    .col(date_null(Decisions::NewDueDate))
                    .col(text_null(Decisions::Reason))
                    .col(string_null(Decisions::ProposedResult))
                    .col(integer(Decisions::RulebookVersion))
                    .col(integer(Decisions::DecidedBy))
                    .col(timestamp_with_time_zone(Decisions::DecidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decisions_center")
                            .from(Decisions::Table, Decisions::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_decisions_center_kind_year")
                    .table(Decisions::Table)
                    .col(Decisions::CenterId)
                    .col(Decisions::Kind)
                    .col(Decisions::Year)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Decisions::Table).to_owned())
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
    Id,
    CenterId,
    Kind,
    Year,
    Result,
    Accepted,
    NewDueDate,
    Reason,
    ProposedResult,
    RulebookVersion,
    DecidedBy,
    DecidedAt,
}
