use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261121_000002_create_centers::Centers;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The sums of each center's live deals by contract year, kind and related-party flag, kept in
/// the same transaction as every write of a deal, so that indicators read a handful of rows.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CenterYearTotals::Table)
                    .col(integer(CenterYearTotals::CenterId))
                    .col(integer(CenterYearTotals::Year))
                    .col(string(CenterYearTotals::Kind))
                    .col(boolean(CenterYearTotals::RelatedParty))
                    .col(big_integer(CenterYearTotals::AmountFen))
                    .col(big_integer(CenterYearTotals::DealCount))
                    .primary_key(
                        Index::create()
                            .col(CenterYearTotals::CenterId)
                            .col(CenterYearTotals::Year)
                            .col(CenterYearTotals::Kind)
                            .col(CenterYearTotals::RelatedParty),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_center_year_totals_center")
                            .from(CenterYearTotals::Table, CenterYearTotals::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CenterYearTotals::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CenterYearTotals {
    Table,
    CenterId,
    Year,
    Kind,
    RelatedParty,
    AmountFen,
    DealCount,
}
