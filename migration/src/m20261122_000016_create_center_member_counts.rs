use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261121_000002_create_centers::Centers;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Active (not withdrawn, not deleted) memberships of each center by organization kind, moved in
/// the same transaction as every membership write: today's alliance size in a few rows.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CenterMemberCounts::Table)
                    .col(integer(CenterMemberCounts::CenterId))
                    .col(string(CenterMemberCounts::OrgKind))
                    .col(big_integer(CenterMemberCounts::ActiveCount))
                    .primary_key(
                        Index::create()
                            .col(CenterMemberCounts::CenterId)
                            .col(CenterMemberCounts::OrgKind),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_center_member_counts_center")
                            .from(CenterMemberCounts::Table, CenterMemberCounts::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CenterMemberCounts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CenterMemberCounts {
    Table,
    CenterId,
    OrgKind,
    ActiveCount,
}
