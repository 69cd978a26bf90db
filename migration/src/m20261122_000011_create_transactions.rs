use sea_orm_migration::{prelude::*, schema::*};

use crate::{m20261121_000002_create_centers::Centers, m20261122_000008_create_imports::Imports};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Transactions::Table)
                    .col(big_pk_auto(Transactions::Id))
                    .col(integer(Transactions::CenterId))
                    .col(string(Transactions::Kind))
                    // integer fen: SQLite has no exact decimal column
                    .col(big_integer(Transactions::AmountFen))
                    .col(date(Transactions::ContractDate))
                    .col(text(Transactions::PatentNumbers))
                    .col(text(Transactions::CounterpartyUscc))
                    .col(string_null(Transactions::ContractNo))
                    .col(boolean(Transactions::RelatedParty).default(false))
                    .col(text_null(Transactions::Note))
                    .col(integer_null(Transactions::ImportId))
                    .col(timestamp_with_time_zone_null(Transactions::DeletedAt))
                    .col(integer(Transactions::Version).default(1))
                    .col(integer_null(Transactions::CreatedBy))
                    .col(timestamp_with_time_zone(Transactions::CreatedAt))
                    .col(timestamp_with_time_zone(Transactions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_transactions_center")
                            .from(Transactions::Table, Transactions::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_transactions_import")
                            .from(Transactions::Table, Transactions::ImportId)
                            .to(Imports::Table, Imports::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // covers the yearly sums of the metrics: live rows of a center by date, with kind and amount
        manager
            .create_index(
                Index::create()
                    .name("idx_transactions_live_by_date")
                    .table(Transactions::Table)
                    .col(Transactions::CenterId)
                    .col(Transactions::ContractDate)
                    .col(Transactions::Kind)
                    .col(Transactions::RelatedParty)
                    .col(Transactions::AmountFen)
                    .and_where(Expr::col(Transactions::DeletedAt).is_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Transactions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Transactions {
    Table,
    Id,
    CenterId,
    Kind,
    AmountFen,
    ContractDate,
    PatentNumbers,
    CounterpartyUscc,
    ContractNo,
    RelatedParty,
    Note,
    ImportId,
    DeletedAt,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}
