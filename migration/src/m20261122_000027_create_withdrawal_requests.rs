use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A center's request to withdraw (主动退出): open until cnipa confirms it with an exit decision
/// or the center cancels it; one open request per center. And one exit decision per center, even
/// when two arrive at once.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WithdrawalRequests::Table)
                    .col(pk_auto(WithdrawalRequests::Id))
                    .col(integer(WithdrawalRequests::CenterId))
                    .col(text(WithdrawalRequests::Reason))
                    .col(integer(WithdrawalRequests::RequestedBy))
                    .col(date(WithdrawalRequests::RequestedOn))
                    .col(string(WithdrawalRequests::Status))
                    .col(timestamp_with_time_zone(WithdrawalRequests::CreatedAt))
                    .col(timestamp_with_time_zone(WithdrawalRequests::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_withdrawal_requests_center")
                            .from(WithdrawalRequests::Table, WithdrawalRequests::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_withdrawal_requests_open")
                    .table(WithdrawalRequests::Table)
                    .col(WithdrawalRequests::CenterId)
                    .unique()
                    .and_where(Expr::col(WithdrawalRequests::Status).eq("open"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_decisions_exit")
                    .table(Decisions::Table)
                    .col(Decisions::CenterId)
                    .unique()
                    .and_where(Expr::col(Decisions::Kind).eq("exit"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("uq_decisions_exit")
                    .table(Decisions::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(WithdrawalRequests::Table).to_owned())
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
}

#[derive(DeriveIden)]
enum WithdrawalRequests {
    Table,
    Id,
    CenterId,
    Reason,
    RequestedBy,
    RequestedOn,
    Status,
    CreatedAt,
    UpdatedAt,
}
